/* global window */
/**
 * The live-traces rows of `npm run bench` (issue 20):
 *  - tracing overhead per span with live display on against off, in one kernel run
 *    (blocks of sequential spans, off and on alternating), in tslab and in ipykernel;
 *  - iopub traffic of a loop of 10,000 spans with live on: trace displays per second and
 *    their bytes per second (mean, and peak over 1 s), as the client receives them;
 *  - the renderer's time per live update at 1k and 10k spans, in JupyterLab in Chromium.
 * Each kernel runs against a real `mlflow server` (bench/live_kernel.py drives it).
 *
 *   node bench/live.mjs [--quick] [--kernels=tslab,python3] [--no-kernels] [--no-render]
 *                       [--build=DIR] [--json=FILE]
 *
 * run.mjs calls `liveKernelResults` and `liveRenderResults` (with its JupyterLab page).
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';
import { startJupyter, writeBenchNotebook } from './jupyter.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const {
  ROOT,
  PYTHON,
  CHROMIUM,
  CHROMIUM_ARGS,
  venvEnv
} = require('../scripts/lib/paths.cjs');
const {
  startMlflowServer,
  stopProcessGroup
} = require('../scripts/lib/mlflow-server.cjs');
const { coldWarm, median, ratioOf } = require('./judge.cjs');
const { cellsFor, loopMs } = require('./live-cells.cjs');
const { iopubRates } = require('./live-iopub.cjs');

/** The kernels measured, and the name of each in the rows. */
export const KERNELS = { tslab: 'ts', python3: 'py' };
const TRACE_NAME = { tslab: 'tslab', python3: 'ipykernel' };

/** How much each part measures (`quick`: for working on the bench). */
function plan(quick) {
  // A block of spans runs for about a second in each kernel, so live on sends updates
  // while it runs (the first comes 250 ms after the root starts)
  return quick
    ? {
        spans: { tslab: 20000, python3: 1500 },
        blocks: 3,
        capSpans: 2000,
        updates: 8
      }
    : {
        spans: { tslab: 50000, python3: 3000 },
        blocks: 6,
        capSpans: 10000,
        updates: 21
      };
}

const round = v =>
  typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v;

function run(command, args, opts = {}) {
  return new Promise((resolve, reject) =>
    execFile(
      command,
      args,
      { maxBuffer: 256 << 20, ...opts },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(`${error.message}\n${String(stderr).slice(-2000)}`)
            )
          : resolve(stdout)
    )
  );
}

/** The live displays among a cell's trace displays (those with a `live` key). */
const liveDisplays = cell =>
  cell.displays.filter(d => d.live.some(l => l !== null && l !== undefined));

/**
 * The rows of both kernels: each runs once, its cells in one kernel, against the
 * server at `mlflowUrl`. `libNode` is the Node library measured; its package (the
 * folder two levels up) is what tslab imports and what ipykernel's PYTHONPATH holds.
 */
export async function liveKernelResults(
  libNode,
  {
    mlflowUrl,
    log = console.error,
    quick = false,
    kernels = Object.keys(KERNELS)
  }
) {
  const results = [];
  const pkg = path.resolve(libNode, '..', '..');
  // a --build copy holds no Python sources: ipykernel then imports this checkout's
  const pyRoot = fs.existsSync(
    path.join(pkg, 'jupyterlab_mlflow_traces', '__init__.py')
  )
    ? pkg
    : ROOT;
  log(
    `[live] tslab imports ${pkg}, ipykernel's PYTHONPATH is ${pyRoot}; server ${mlflowUrl}`
  );
  const { spans, ...sizes } = plan(quick);
  for (const kernel of kernels) {
    const work = fs.mkdtempSync(
      path.join(os.tmpdir(), `bench-live-${kernel}-`)
    );
    try {
      results.push(
        ...(await measureKernel(kernel, {
          work,
          pkg,
          pyRoot,
          mlflowUrl,
          sizes: { ...sizes, spans: spans[kernel] },
          log
        }))
      );
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return results;
}

async function measureKernel(
  kernel,
  { work, pkg, pyRoot, mlflowUrl, sizes, log }
) {
  const lang = KERNELS[kernel];
  const trace = TRACE_NAME[kernel];
  const rows = [];
  const row = (metric, spans, value, unit, extra = {}) =>
    rows.push({ metric, spans, value: round(value), unit, trace, ...extra });
  const failed = (metric, spans, why, unit) =>
    rows.push({
      metric,
      spans,
      value: null,
      unit,
      trace,
      failed: String(why).replace(/\s+/g, ' ').slice(0, 300)
    });
  const overheadMetrics = [
    [`live_span_off_us_${lang}`, 'µs'],
    [`live_span_on_us_${lang}`, 'µs'],
    [`live_span_off_cold_us_${lang}`, 'µs'],
    [`live_span_on_cold_us_${lang}`, 'µs'],
    [`live_overhead_ratio_${lang}`, 'ratio']
  ];
  const iopubMetrics = [
    [`live_iopub_updates_per_s_${lang}`, 'msg/s'],
    [`live_iopub_peak_updates_per_s_${lang}`, 'msg/s'],
    [`live_iopub_bytes_per_s_${lang}`, 'B/s'],
    [`live_iopub_peak_bytes_per_s_${lang}`, 'B/s'],
    [`live_iopub_peak_bytes_over_bound_${lang}`, 'ratio']
  ];

  // set-up; blocks of N spans, off then on, alternating; the 10,000-span loop
  const c = cellsFor(kernel);
  const experiment = `bench-live-${lang}-${Date.now()}`;
  const cells = [{ code: c.setup(experiment), timeout_s: 120 }];
  const blocks = [];
  for (let b = 0; b < sizes.blocks; b++) {
    for (const on of [false, true]) {
      cells.push({ code: c.live(experiment, on), timeout_s: 60 });
      blocks.push({ on, index: cells.length });
      cells.push({
        code: c.loop({ spans: sizes.spans }),
        timeout_s: 300,
        settle_s: 0.5
      });
      cells.push({ code: c.flush(), timeout_s: 120 });
    }
  }
  cells.push({ code: c.live(experiment, true), timeout_s: 60 });
  const capIndex = cells.length;
  cells.push({
    code: c.loop({
      spans: sizes.capSpans,
      busyMs: 0.4,
      yieldEvery: 10,
      inputBytes: 200
    }),
    timeout_s: 600,
    settle_s: 3
  });
  cells.push({ code: c.flush(), timeout_s: 120 });

  if (kernel === 'tslab') {
    fs.mkdirSync(path.join(work, 'node_modules'));
    fs.symlinkSync(
      pkg,
      path.join(work, 'node_modules', 'jupyterlab-mlflow-traces'),
      'dir'
    );
  }
  const cellsFile = path.join(work, 'cells.json');
  const outFile = path.join(work, 'out.json');
  fs.writeFileSync(cellsFile, JSON.stringify(cells));
  const started = Date.now();
  let out;
  try {
    await run(
      PYTHON,
      [path.join(HERE, 'live_kernel.py'), kernel, work, cellsFile, outFile],
      {
        cwd: work,
        env: venvEnv({
          MLFLOW_TRACKING_URI: mlflowUrl,
          PYTHONPATH: pyRoot,
          IPYTHONDIR: path.join(work, 'ipython')
        })
      }
    );
    out = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  } catch (error) {
    for (const [metric, unit] of [...overheadMetrics, ...iopubMetrics]) {
      failed(
        metric,
        metric.includes('iopub') ? sizes.capSpans : sizes.spans,
        `the kernel run failed: ${error.message}`,
        unit
      );
    }
    log(`[live] ${kernel}: FAILED: ${error.message.slice(0, 300)}`);
    return rows;
  }
  log(
    `[live] ${kernel}: ${cells.length} cells in ${((Date.now() - started) / 1000).toFixed(0)} s`
  );
  // live_kernel.py stops at the first failed cell: the cells after it are not reached
  const stopped = out.length < cells.length ? out[out.length - 1] : null;
  const whyNot = i =>
    out[i] === undefined
      ? `not reached: cell ${out.length - 1} failed: ${stopped?.error} ${(stopped?.stderr || '').slice(0, 200)}`
      : null;

  // ---- overhead: per-span time of each block, live on over live off ----
  try {
    const perSpan = { true: [], false: [] };
    const updatesDuring = [];
    for (const b of blocks) {
      const cell = out[b.index];
      const missing = whyNot(b.index);
      if (missing) {
        throw new Error(missing);
      }
      const timed = loopMs(cell);
      if (timed.failed) {
        throw new Error(`a live ${b.on ? 'on' : 'off'} block: ${timed.failed}`);
      }
      // live on must have sent live updates while the loop ran, and live off none
      const live = liveDisplays(cell);
      const during = live.filter(d =>
        d.live.some(
          l =>
            l?.updated_unix_ms >= timed.startUnixMs &&
            l.updated_unix_ms <= timed.endUnixMs
        )
      ).length;
      if (b.on && during === 0) {
        throw new Error(
          `live on sent no live update while the loop ran (${live.length} live of ${cell.displays.length} trace displays; loop ${timed.ms.toFixed(0)} ms)`
        );
      }
      if (!b.on && live.length > 0) {
        throw new Error(`live off still sent ${live.length} live updates`);
      }
      if (b.on) {
        updatesDuring.push(during);
      }
      perSpan[b.on].push((timed.ms * 1000) / sizes.spans);
    }
    const off = coldWarm(perSpan.false);
    const on = coldWarm(perSpan.true);
    row(`live_span_off_us_${lang}`, sizes.spans, off.warm, 'µs', {
      runs: perSpan.false.map(round)
    });
    row(`live_span_on_us_${lang}`, sizes.spans, on.warm, 'µs', {
      runs: perSpan.true.map(round),
      // live updates sent while each block's loop ran
      updates_during_loop: updatesDuring
    });
    // one kernel gives one cold figure per mode, and the off block, first, also pays
    // the tracing's own warm-up: the cold figures are shown, the ratio is warm over warm
    row(`live_span_off_cold_us_${lang}`, sizes.spans, off.cold, 'µs');
    row(`live_span_on_cold_us_${lang}`, sizes.spans, on.cold, 'µs');
    const ratio = ratioOf(on.warm, off.warm);
    if (ratio.failed) {
      failed(`live_overhead_ratio_${lang}`, sizes.spans, ratio.failed, 'ratio');
    } else {
      row(`live_overhead_ratio_${lang}`, sizes.spans, ratio.value, 'ratio');
    }
    log(
      `[live] ${kernel} overhead per span (${sizes.spans} spans, ${sizes.blocks} blocks each): off cold ${off.cold.toFixed(1)} warm ${off.warm.toFixed(1)} µs, on cold ${on.cold.toFixed(1)} warm ${on.warm.toFixed(1)} µs, ratio (warm) ${(on.warm / off.warm).toFixed(2)}`
    );
  } catch (error) {
    for (const [metric, unit] of overheadMetrics) {
      failed(metric, sizes.spans, error.message, unit);
    }
    log(`[live] ${kernel} overhead: FAILED: ${error.message.slice(0, 300)}`);
  }

  // ---- iopub at the cap: one loop of capSpans spans with live on ----
  try {
    const missing = whyNot(capIndex);
    if (missing) {
      throw new Error(missing);
    }
    const cell = out[capIndex];
    if (cell.error) {
      throw new Error(
        `the loop failed: ${cell.error} ${(cell.stderr || '').slice(0, 200)}`
      );
    }
    const live = liveDisplays(cell);
    if (live.length === 0) {
      throw new Error(
        `no live update (${cell.displays.length} trace displays)`
      );
    }
    // the live updates; the final trace (no `live`) is today's output, reported apart
    const rates = iopubRates(
      live,
      require(path.join(pkg, 'lib', 'node', 'bundle', 'livesnapshot.js'))
    );
    if (rates.failed) {
      throw new Error(rates.failed);
    }
    const last = cell.displays[cell.displays.length - 1];
    const extra = {
      trace_displays: cell.displays.length,
      seconds: round(rates.seconds),
      cell_ms: cell.ms,
      total_bytes: rates.totalBytes,
      largest_bytes: rates.largestBytes,
      shortest_gap_ms: round(rates.shortestGapMs),
      largest_bundle_bytes: Math.max(...live.map(d => d.bundle_bytes)),
      final_live: last.live[0] ?? null,
      final_spans: last.spans[0],
      final_bytes: last.bytes,
      max_spans_omitted: Math.max(
        0,
        ...live.map(d => d.live[0]?.spans_omitted ?? 0)
      )
    };
    row(
      `live_iopub_updates_per_s_${lang}`,
      sizes.capSpans,
      rates.meanMessagesPerS,
      'msg/s',
      extra
    );
    row(
      `live_iopub_peak_updates_per_s_${lang}`,
      sizes.capSpans,
      rates.peakMessagesPerS,
      'msg/s',
      {
        bound: rates.boundMessagesPerS
      }
    );
    row(
      `live_iopub_bytes_per_s_${lang}`,
      sizes.capSpans,
      rates.meanBytesPerS,
      'B/s'
    );
    row(
      `live_iopub_peak_bytes_per_s_${lang}`,
      sizes.capSpans,
      rates.peakBytesPerS,
      'B/s',
      {
        bound: rates.boundBytesPerS
      }
    );
    row(
      `live_iopub_peak_bytes_over_bound_${lang}`,
      sizes.capSpans,
      rates.peakBytesPerS / rates.boundBytesPerS,
      'ratio'
    );
    log(
      `[live] ${kernel} iopub, ${sizes.capSpans} spans in ${(cell.ms / 1000).toFixed(1)} s: ${cell.displays.length} trace displays, ${live.length} of them live updates: mean ${rates.meanMessagesPerS.toFixed(2)} msg/s ${(rates.meanBytesPerS / 1024).toFixed(0)} KiB/s, peak 1 s ${rates.peakMessagesPerS} msg ${(rates.peakBytesPerS / 1024).toFixed(0)} KiB (bound ${(rates.boundBytesPerS / 1024).toFixed(0)} KiB), largest ${(rates.largestBytes / 1024).toFixed(0)} KiB (its bundle ${(extra.largest_bundle_bytes / 1024).toFixed(0)} KiB); final display (${(last.bytes / 1024).toFixed(0)} KiB): ${last.spans[0]} spans, live ${JSON.stringify(last.live[0] ?? null)}`
    );
  } catch (error) {
    for (const [metric, unit] of iopubMetrics) {
      failed(metric, sizes.capSpans, error.message, unit);
    }
    log(`[live] ${kernel} iopub: FAILED: ${error.message.slice(0, 300)}`);
  }
  return rows;
}

/**
 * The renderer rows, in `page` (JupyterLab with bench/generate.mjs injected): at each
 * size a generated trace is replayed as a live trace growing by 5 spans an update; the
 * first update after the mount is the cold figure, the median of the others the warm one.
 */
export async function liveRenderResults(
  page,
  { log = console.error, quick = false, sizes = [1000, 10000] } = {}
) {
  const results = [];
  const { updates } = plan(quick);
  await page.addScriptTag({ path: path.join(HERE, 'live-page.js') });
  for (const spans of sizes) {
    try {
      await page.evaluate(
        ([n, k]) => window.__liveBench.prepare(n, k, 5),
        [spans, updates]
      );
      const first = await page.evaluate(() => window.__liveBench.mount());
      const runs = [];
      for (let k = 1; k < updates; k++) {
        runs.push(await page.evaluate(i => window.__liveBench.update(i), k));
      }
      const ms = runs.map(r => r.ms);
      const { cold, warm } = coldWarm(ms);
      const extra = {
        runs: ms.map(round),
        // to the paint of the frame after it: includes the wait for that frame
        painted_runs: runs.map(r => round(r.paintedMs)),
        // until renderModel's promise resolved
        render_model_runs: runs.map(r => round(r.renderedMs)),
        dom_batches: runs.map(r => r.batches),
        drawn_when: runs[0].how,
        spans_from: first.spans,
        running: runs.map(r => r.running)
      };
      results.push(
        {
          metric: 'live_update_render_ms',
          spans,
          value: round(warm),
          unit: 'ms',
          trace: 'generated-live',
          ...extra
        },
        {
          metric: 'live_update_render_cold_ms',
          spans,
          value: round(cold),
          unit: 'ms',
          trace: 'generated-live'
        }
      );
      log(
        `[live] render ${spans} spans: ${runs.length} updates of 5 new spans (from ${first.spans}), cold ${cold.toFixed(1)} ms, warm ${warm.toFixed(1)} ms to the DOM committed and laid out; to the paint after it: cold ${runs[0].paintedMs.toFixed(1)} ms, warm ${median(runs.slice(1).map(r => r.paintedMs)).toFixed(1)} ms (drawn when: ${runs[0].how})`
      );
    } catch (error) {
      const why = String(error.message || error)
        .split('\n')[0]
        .slice(0, 300);
      for (const metric of [
        'live_update_render_ms',
        'live_update_render_cold_ms'
      ]) {
        results.push({
          metric,
          spans,
          value: null,
          unit: 'ms',
          trace: 'generated-live',
          failed: why
        });
      }
      log(`[live] render ${spans}: FAILED: ${why}`);
    } finally {
      await page.evaluate(() => window.__liveBench.unmount()).catch(() => {});
    }
  }
  return results;
}

/** Standalone: its own server, kernels, JupyterLab and Chromium; prints the rows. */
async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const kernelsArg = args.find(a => a.startsWith('--kernels='));
  const kernels = kernelsArg
    ? kernelsArg.split('=')[1].split(',')
    : Object.keys(KERNELS);
  // `--build=DIR`: a build copy (bench/build-copy.mjs), as run.mjs measures it
  const buildArg = args.find(a => a.startsWith('--build='));
  const build = buildArg && path.resolve(buildArg.slice('--build='.length));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-live-'));
  const results = [];
  const procs = [];
  let browser;
  try {
    if (!args.includes('--no-kernels')) {
      const mlflow = await startMlflowServer({
        dir: path.join(work, 'mlflow')
      });
      procs.push(mlflow.pid);
      results.push(
        ...(await liveKernelResults(path.join(build ?? ROOT, 'lib', 'node'), {
          mlflowUrl: mlflow.url,
          quick,
          kernels
        }))
      );
    }
    if (!args.includes('--no-render')) {
      const nbRoot = path.join(work, 'nb');
      fs.mkdirSync(nbRoot);
      writeBenchNotebook(path.join(nbRoot, 'bench.ipynb'));
      const jupyter = await startJupyter(nbRoot, {
        labextensionDir:
          build && path.join(build, 'jupyterlab_mlflow_traces', 'labextension')
      });
      procs.push(jupyter.pid);
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS
      });
      const page = await browser.newPage({
        viewport: { width: 1280, height: 900 }
      });
      await page.goto(`${jupyter.url}/lab/tree/bench.ipynb`);
      await page.waitForFunction(
        () => window.jupyterapp?.shell.currentWidget?.content?.rendermime,
        null,
        { timeout: 120000 }
      );
      await page.waitForTimeout(1500);
      await page.addScriptTag({
        content:
          fs
            .readFileSync(path.join(HERE, 'generate.mjs'), 'utf8')
            .replace(/^export /gm, '') +
          '\nwindow.__generateTrace = generateTrace;'
      });
      results.push(...(await liveRenderResults(page, { quick })));
    }
  } finally {
    await browser?.close().catch(() => {});
    procs.forEach(pid => stopProcessGroup(pid));
    fs.rmSync(work, { recursive: true, force: true });
  }
  // `--json=FILE`: the rows with everything they hold (runs, bounds, …)
  const jsonArg = args.find(a => a.startsWith('--json='));
  if (jsonArg) {
    fs.writeFileSync(
      jsonArg.slice('--json='.length),
      JSON.stringify(results, null, 1) + '\n'
    );
  }
  for (const r of results) {
    const shown = r.failed ? `FAILED: ${r.failed}` : `${r.value} ${r.unit}`;
    console.log(`${r.metric} ${r.spans ?? ''} ${r.trace}: ${shown}`);
  }
  if (results.some(r => r.failed)) {
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
