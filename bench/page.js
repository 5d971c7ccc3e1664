/* global window, document, performance, requestAnimationFrame, MessageChannel, HTMLInputElement, Event, MouseEvent, WheelEvent */
/**
 * Benchmark helpers injected into the JupyterLab page (a classic script):
 * window.__bench. Every timing ends "after paint": a MessageChannel task
 * posted from the requestAnimationFrame callback of the frame that shows the
 * change, which runs once that frame's style, layout and paint are done.
 */
(function () {
  const MIME = 'application/vnd.mlflow.trace+json';
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const postTask = () =>
    new Promise(r => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => r(performance.now());
      ch.port2.postMessage(0);
    });
  const afterPaint = () =>
    new Promise(r =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => r(performance.now());
        ch.port2.postMessage(0);
      })
    );
  /** Time after the paint of the first frame in which pred() holds. */
  async function waitFor(pred, timeoutMs = 120000) {
    const t0 = performance.now();
    await Promise.resolve();
    if (pred()) {
      return afterPaint();
    }
    for (;;) {
      await frame();
      if (pred()) {
        return postTask();
      }
      if (performance.now() - t0 > timeoutMs) {
        throw new Error('timed out waiting for the view');
      }
    }
  }
  function widgetClass(w) {
    let C = w.constructor;
    while (C && !Object.prototype.hasOwnProperty.call(C, 'attach')) {
      C = Object.getPrototypeOf(C);
    }
    return C;
  }
  function setValue(input, value) {
    const setter = Object.getOwnPropertyDescriptor(
      HTMLInputElement.prototype,
      'value'
    ).set;
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  let current = null;
  const q = sel => current.host.querySelector(sel);
  const title = () =>
    q('.jp-MlflowTraceExplorer-none, .jp-MlflowTrace-detailsTitle')
      ?.textContent ?? '';

  const bench = {
    data: null,
    /** Generate a trace in the page (bench/generate.mjs, injected). */
    generate(spans, seed) {
      const g = window.__generateTrace(spans, { seed });
      bench.data = {
        version: 1,
        traces: [{ trace_id: g.traceId, info: g.info, spans: g.spans }]
      };
      return { traceId: g.traceId, spans: g.spans.length };
    },
    /** Use a bundle passed from Node. */
    setData(bundle) {
      bench.data = bundle;
    },
    unmount() {
      if (current) {
        current.widget.dispose();
        current.host.remove();
        current = null;
      }
    },
    clearData() {
      bench.data = null;
    },
    /** Renderer receives the data → first paint showing tree rows and timeline bars. */
    async mount() {
      bench.unmount();
      const app = window.jupyterapp;
      const panel = app.shell.currentWidget;
      const rm = panel.content.rendermime;
      const host = document.createElement('div');
      host.className = 'bench-host';
      host.style.cssText =
        'position:fixed;left:0;top:0;width:1200px;height:800px;z-index:100000;' +
        'background:var(--jp-layout-color0);display:flex;flex-direction:column;overflow:hidden';
      document.body.appendChild(host);
      const widget = rm.createRenderer(MIME);
      widget.node.style.flex = '1 1 auto';
      widget.node.style.minHeight = '0';
      widgetClass(widget).attach(widget, host);
      current = { widget, host };
      const model = {
        data: { [MIME]: bench.data },
        metadata: {},
        trusted: true,
        setData() {}
      };
      const t0 = performance.now();
      await widget.renderModel(model);
      const t1 = await waitFor(
        () =>
          host.querySelector('[role=treeitem]') &&
          host.querySelector('.jp-MlflowTrace-bar')
      );
      const sc = q('.jp-MlflowTrace-scroller');
      return {
        ms: t1 - t0,
        rowsInDom: host.querySelectorAll('[role=treeitem]').length,
        scrollHeight: sc ? sc.scrollHeight : -1,
        clientHeight: sc ? sc.clientHeight : -1
      };
    },
    async button(text) {
      const b = [...current.host.querySelectorAll('button')].find(
        x => x.textContent.trim() === text
      );
      if (!b) {
        throw new Error(`no button ${text}`);
      }
      const sc = q('.jp-MlflowTrace-scroller');
      const h0 = sc.scrollHeight;
      await afterPaint();
      const t0 = performance.now();
      b.click();
      const t1 = await waitFor(() => sc.scrollHeight !== h0);
      return { ms: t1 - t0, from: h0, to: sc.scrollHeight };
    },
    /**
     * Scroll the expanded tree for `frames` frames, one step per frame. A
     * step is at least `minStepViewports` viewports (so every frame shows rows
     * that are all new, whatever the trace's size) and at least total/frames
     * (so a big tree is crossed top to bottom); the scroll turns back at
     * either end. `stepPx` forces one step size (for comparing sizes).
     * Per frame: rAF → set scrollTop + scroll event → after that frame's paint.
     */
    async scroll(frames, minStepViewports = 1.25, stepPx = 0) {
      const sc = q('.jp-MlflowTrace-scroller');
      sc.scrollTop = 0;
      await afterPaint();
      await afterPaint();
      const total = sc.scrollHeight - sc.clientHeight;
      const step =
        stepPx || Math.max(sc.clientHeight * minStepViewports, total / frames);
      const work = [];
      const stamps = [];
      let top = 0;
      let direction = 1;
      let reachedBottom = false;
      for (let i = 1; i <= frames; i++) {
        top += direction * step;
        if (top >= total - 1) {
          top = total;
          direction = -1;
          reachedBottom = true;
        } else if (top <= 0) {
          top = 0;
          direction = 1;
        }
        const targetPx = Math.round(top);
        work.push(
          await new Promise(res =>
            requestAnimationFrame(ts => {
              const t0 = performance.now();
              stamps.push(ts);
              sc.scrollTop = targetPx;
              sc.dispatchEvent(new Event('scroll'));
              const ch = new MessageChannel();
              ch.port1.onmessage = () => res(performance.now() - t0);
              ch.port2.postMessage(0);
            })
          )
        );
      }
      // The last row is drawn when scrolled to the bottom
      sc.scrollTop = total;
      sc.dispatchEvent(new Event('scroll'));
      await afterPaint();
      await afterPaint();
      const intervals = stamps.slice(1).map((s, i) => s - stamps[i]);
      const rows = sc.querySelectorAll('[role=treeitem]');
      const last = rows[rows.length - 1];
      return {
        work,
        intervals,
        steps: frames,
        stepPx: Math.round(step),
        viewportPx: sc.clientHeight,
        totalPx: total,
        atBottom: reachedBottom && Math.abs(sc.scrollTop - total) < 2,
        lastRowVisible:
          !!last &&
          last.getBoundingClientRect().top < sc.getBoundingClientRect().bottom
      };
    },
    /** One input event setting the query (from an empty box) → count + highlight painted. */
    async search(query) {
      const input = q('[aria-label="Search spans"]');
      const count = q('.jp-MlflowTrace-searchCount');
      setValue(input, '');
      await waitFor(() => count.textContent === '');
      await afterPaint();
      const t0 = performance.now();
      setValue(input, query);
      const t1 = await waitFor(
        () =>
          count.textContent !== '' &&
          !!current.host.querySelector('.jp-mod-match, .jp-mod-current')
      );
      const text = count.textContent;
      setValue(input, '');
      await waitFor(() => count.textContent === '');
      return { ms: t1 - t0, text };
    },
    /** Click the row of `name` (near the top) → the details heading shows it. */
    async select(name, resetName) {
      const sc = q('.jp-MlflowTrace-scroller');
      sc.scrollTop = 0;
      sc.dispatchEvent(new Event('scroll'));
      await afterPaint();
      await afterPaint();
      const rowOf = n =>
        [...current.host.querySelectorAll('[role=treeitem]')].find(r =>
          r.querySelector('.jp-MlflowTrace-spanName')
            ? r.querySelector('.jp-MlflowTrace-spanName').textContent === n
            : r.textContent.includes(n)
        );
      const reset = rowOf(resetName);
      reset.click();
      await waitFor(() => title() === resetName);
      await afterPaint();
      const row = rowOf(name);
      if (!row) {
        throw new Error(`no row ${name}`);
      }
      const t0 = performance.now();
      row.click();
      const t1 = await waitFor(() => title() === name);
      return { ms: t1 - t0 };
    },
    /**
     * The explorer's "Flame graph" tab clicked (from the tree view) → the paint
     * of the first frame its canvas drew (the canvas counts its draws).
     */
    async flameOpen() {
      const tab = label =>
        [...current.host.querySelectorAll('[role=tab]')].find(
          t => t.textContent.trim() === label
        );
      if (!q('canvas')) {
        await afterPaint();
      } else {
        tab('Tree + timeline').click();
        await waitFor(() => !q('canvas'));
      }
      const t0 = performance.now();
      tab('Flame graph').click();
      const t1 = await waitFor(() => Number(q('canvas')?.dataset.draws) >= 1);
      return { ms: t1 - t0 };
    },
    /**
     * Frames of the flame graph while zooming and panning: `zooms` times a
     * click on a span of the second row then "All spans", `pans` scroll
     * steps of the zoomed-out view, then `wheels` times a Ctrl + wheel zoom
     * into the middle and a Shift + wheel pan along the time axis. Each is
     * timed as the tree's scroll frames are: the event dispatched in a
     * requestAnimationFrame callback, to the end of that frame's paint; a
     * frame in which the canvas did not draw is a miss, not a time.
     */
    async flameFrames(zooms, pans, wheels) {
      const canvas = q('canvas');
      const draws = () => Number(canvas.dataset.draws || 0);
      const frames = [];
      // After a frame of its own: what the last step left for the next frame
      // (the browser's own scroll event) is drawn before the clock starts
      const timed = async act => {
        await afterPaint();
        return new Promise((resolve, reject) =>
          requestAnimationFrame(() => {
            const before = draws();
            const t0 = performance.now();
            act();
            const ch = new MessageChannel();
            ch.port1.onmessage = () =>
              draws() > before
                ? resolve(performance.now() - t0)
                : reject(new Error('the frame drew nothing'));
            ch.port2.postMessage(0);
          })
        );
      };
      const allSpans = () =>
        [...current.host.querySelectorAll('button')].find(
          b => b.textContent.trim() === 'All spans'
        );
      let zoomed = 0;
      for (let i = 0; i < zooms; i++) {
        const box = canvas.getBoundingClientRect();
        // Row 1 (18 px rows): the first x, left to right, that lands on a span
        const click = fraction => () =>
          canvas.dispatchEvent(
            new MouseEvent('click', {
              bubbles: true,
              clientX: box.left + box.width * fraction,
              clientY: box.top + 18 + 9
            })
          );
        let hit = false;
        for (const fraction of [0.02, 0.1, 0.3, 0.5, 0.7, 0.9]) {
          // A click beside every span draws nothing: the next x is tried
          const ms = await timed(click(fraction)).catch(() => null);
          if (ms !== null) {
            frames.push(ms);
            hit = true;
            break;
          }
        }
        if (!hit) {
          break;
        }
        zoomed++;
        frames.push(await timed(() => allSpans().click()));
      }
      const scroller = q('.jp-MlflowTrace-flameScroller');
      const stepPx = Math.max(18, scroller.clientHeight / 2);
      for (let i = 0; i < pans; i++) {
        const room = scroller.scrollHeight - scroller.clientHeight;
        if (room <= 0) {
          break;
        }
        const next = (scroller.scrollTop + stepPx) % room;
        frames.push(
          await timed(() => {
            scroller.scrollTop = next;
            scroller.dispatchEvent(new Event('scroll'));
          })
        );
      }
      const box = canvas.getBoundingClientRect();
      const wheel = init => () =>
        canvas.dispatchEvent(
          new WheelEvent('wheel', {
            bubbles: true,
            cancelable: true,
            clientX: box.left + box.width / 2,
            clientY: box.top + 9,
            ...init
          })
        );
      let wheeled = 0;
      for (let i = 0; i < wheels; i++) {
        frames.push(await timed(wheel({ ctrlKey: true, deltaY: -120 })));
        // Back and forth, so no step stops at an edge and draws nothing
        const deltaY = i % 2 === 0 ? 200 : -200;
        frames.push(await timed(wheel({ shiftKey: true, deltaY })));
        wheeled++;
      }
      return { frames, zoomed, wheeled };
    },
    /**
     * The trace-summary renderer gets `payload` → first paint showing its charts' bars
     * and lines (bench/summary.mjs); unmounted after.
     */
    async mountSummary(payload) {
      const SUMMARY = 'application/vnd.mlflow.trace-summary+json';
      bench.unmount();
      const rm = window.jupyterapp.shell.currentWidget.content.rendermime;
      const host = document.createElement('div');
      host.style.cssText =
        'position:fixed;left:0;top:0;width:1200px;height:800px;z-index:100000;' +
        'background:var(--jp-layout-color0);overflow:auto';
      document.body.appendChild(host);
      const widget = rm.createRenderer(SUMMARY);
      widgetClass(widget).attach(widget, host);
      current = { widget, host };
      const model = {
        data: { [SUMMARY]: payload },
        metadata: {},
        trusted: true,
        setData() {}
      };
      const t0 = performance.now();
      await widget.renderModel(model);
      const t1 = await waitFor(
        () =>
          host.querySelector('.jp-MlflowTraceSummary-bar') &&
          host.querySelector('.jp-MlflowTraceSummary-line')
      );
      const marks = host.querySelectorAll('svg *').length;
      bench.unmount();
      return { ms: t1 - t0, marks };
    }
  };
  window.__bench = bench;
})();
