/* global window, document, performance, requestAnimationFrame, MessageChannel, MutationObserver */
/**
 * The live bench's helpers in the JupyterLab page (a classic script, after
 * bench/generate.mjs): window.__liveBench. A generated trace is replayed as a
 * live trace growing span by span, and each update is handed to one trace
 * renderer the way JupyterLab hands an update_display_data to the output's
 * renderer (`renderModel` again, with freshly parsed data).
 */
(function () {
  const MIME = 'application/vnd.mlflow.trace+json';
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const afterPaint = () =>
    new Promise(r =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => r(performance.now());
        ch.port2.postMessage(0);
      })
    );
  function widgetClass(w) {
    let C = w.constructor;
    while (C && !Object.prototype.hasOwnProperty.call(C, 'attach')) {
      C = Object.getPrototypeOf(C);
    }
    return C;
  }

  let trace = null;
  let current = null;

  /**
   * Update `k` of the replay (the first is 0): the spans that had started by then, the
   * ones not ended yet as MLflow's LiveSpan.to_dict() writes a running span. New objects
   * every time, as each update_display_data is parsed afresh.
   */
  function payload(k) {
    const count = trace.first + k * trace.perUpdate;
    const spans = trace.byStart.slice(0, count);
    const cut = spans[spans.length - 1].start_time_unix_nano;
    const entry = {
      trace_id: trace.info.trace_id,
      info: { ...trace.info, state: 'IN_PROGRESS' },
      spans: spans.map(s =>
        s.end_time_unix_nano > cut
          ? {
              ...s,
              end_time_unix_nano: null,
              status: { code: 'STATUS_CODE_UNSET', message: '' }
            }
          : s
      ),
      live: {
        status: 'running',
        updated_unix_ms: Date.now(),
        update_every_ms: 2000,
        sequence: k + 1
      }
    };
    delete entry.info.execution_duration;
    const running = entry.spans.filter(s => s.end_time_unix_nano === null);
    return {
      bundle: JSON.parse(JSON.stringify({ version: 1, traces: [entry] })),
      spans: count,
      running: running.length
    };
  }

  /**
   * Calls `render`, then waits until the DOM shows update `sequence`: the view's
   * `[data-live-sequence]` says so (when it has one), and a frame went by without DOM
   * changes. `ms` runs from the call to the end of the last DOM change's batch, with
   * style and layout forced there (the DOM committed and laid out, not yet painted);
   * `paintedMs` to the paint of the frame that showed it (so it includes the wait for
   * that frame); `renderedMs` until `render`'s promise resolved.
   */
  async function drawn(host, sequence, render, timeoutMs = 10000) {
    const marker = () =>
      host
        .querySelector('[data-live-sequence]')
        ?.getAttribute('data-live-sequence');
    const hasMarker = marker() !== undefined;
    let last = null;
    let batches = 0;
    const observer = new MutationObserver(() => {
      // the browser would do this before the next paint anyway
      void host.offsetHeight;
      last = performance.now();
      batches += 1;
    });
    observer.observe(host, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true
    });
    try {
      const t0 = performance.now();
      await render();
      const renderedMs = performance.now() - t0;
      // batches counted at the last frame, and the paint of the frame that showed them
      let counted = 0;
      let paintedAt = null;
      for (;;) {
        const painted = await afterPaint();
        const shown = !hasMarker || marker() === `${sequence}`;
        if (batches !== counted) {
          counted = batches;
          paintedAt = painted;
        } else if (shown && last !== null) {
          return {
            ms: last - t0,
            paintedMs: paintedAt - t0,
            renderedMs,
            batches,
            how: hasMarker
              ? 'data-live-sequence, then a quiet frame'
              : 'a quiet frame'
          };
        }
        if (painted - t0 > timeoutMs) {
          throw new Error(
            `update ${sequence} not drawn within ${timeoutMs / 1000} s`
          );
        }
      }
    } finally {
      observer.disconnect();
    }
  }

  window.__liveBench = {
    /** Generate the trace and plan `updates` updates, `perUpdate` new spans each, ending at `spans`. */
    prepare(spans, updates, perUpdate, seed = 1) {
      const g = window.__generateTrace(spans, { seed });
      const byStart = [...g.spans].sort(
        (a, b) => a.start_time_unix_nano - b.start_time_unix_nano
      );
      trace = {
        info: g.info,
        byStart,
        perUpdate,
        first: spans - (updates - 1) * perUpdate
      };
      return { spans: byStart.length };
    },
    /** Mount a renderer with update 0; resolves after the paint showing its rows. */
    async mount() {
      window.__liveBench.unmount();
      const rm = window.jupyterapp.shell.currentWidget.content.rendermime;
      const host = document.createElement('div');
      host.style.cssText =
        'position:fixed;left:0;top:0;width:1200px;height:800px;z-index:100000;' +
        'background:var(--jp-layout-color0);display:flex;flex-direction:column;overflow:hidden';
      document.body.appendChild(host);
      const widget = rm.createRenderer(MIME);
      widget.node.style.flex = '1 1 auto';
      widget.node.style.minHeight = '0';
      widgetClass(widget).attach(widget, host);
      current = { widget, host };
      const first = payload(0);
      await widget.renderModel(model(first.bundle));
      for (let i = 0; i < 600; i++) {
        if (host.querySelector('[role=treeitem]')) {
          await afterPaint();
          return { spans: first.spans, running: first.running };
        }
        await frame();
      }
      throw new Error('the first live update showed no rows within 600 frames');
    },
    /**
     * Update `k` (>= 1): renderModel with its data, called in a task of its own as a
     * message from the kernel is → the DOM showing it (see drawn()).
     */
    async update(k) {
      const next = payload(k);
      const m = model(next.bundle);
      await afterPaint();
      const done = await drawn(current.host, k + 1, () =>
        current.widget.renderModel(m)
      );
      return { ...done, spans: next.spans, running: next.running };
    },
    unmount() {
      if (current) {
        current.widget.dispose();
        current.host.remove();
        current = null;
      }
    }
  };

  function model(bundle) {
    return {
      data: { [MIME]: bundle },
      metadata: {},
      trusted: true,
      setData() {}
    };
  }
})();
