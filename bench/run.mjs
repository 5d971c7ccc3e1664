/* global window, document, performance, requestAnimationFrame, MessageChannel */
/**
 * `npm run bench`: the performance benchmark of issue 6. Prints a table and
 * writes bench/results.json ([{metric, spans, value, unit, trace?}]).
 *
 * One MLflow server, one JupyterLab, one Chromium for the whole run.
 * Order (CPU-quiet phases for the timings on small machines):
 *  1. start MLflow + JupyterLab; write traces to MLflow (fixture SDK script
 *     with its 5,000-span "big" trace; generated 1k/5k/10k via bench/write_mlflow.py)
 *  2. sizes (labextension gzip, embedded bundle vs server JSON)
 *  3. Node: JSON.parse vs JSON.parse + buildTrace; conversation reads (Node, Python)
 *  4. Chromium, our renderer inside JupyterLab, per trace size
 *  5. Chromium, MLflow's notebook trace renderer, same traces
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import zlib from 'zlib';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';
import { generateTrace } from './generate.mjs';
import { conversationReadResults } from './conversation.mjs';
import { summaryResults } from './summary.mjs';
import { startJupyter, writeBenchNotebook } from './jupyter.mjs';
import { liveKernelResults, liveRenderResults } from './live.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const {
  ROOT,
  VENV,
  PYTHON,
  CHROMIUM,
  CHROMIUM_ARGS,
  venvEnv
} = require('../scripts/lib/paths.cjs');
const {
  startMlflowServer,
  stopProcessGroup
} = require('../scripts/lib/mlflow-server.cjs');
const {
  findTarget,
  judge,
  summarize,
  coldWarm,
  ratioOf,
  outputOverServer,
  median,
  pct
} = require('./judge.cjs');

const T_START = Date.now();
const QUICK = process.argv.includes('--quick');
// `--sizes=100000,10000`: only these generated sizes (for working on one figure)
const SIZES_ARG = process.argv.find(a => a.startsWith('--sizes='));
const SIZES = SIZES_ARG
  ? SIZES_ARG.slice('--sizes='.length).split(',').map(Number)
  : QUICK
    ? [1000, 10000]
    : [1000, 5000, 10000, 100000];
const MLFLOW_SIZES = SIZES_ARG
  ? SIZES.filter(n => n <= 10000).slice(0, 1)
  : QUICK
    ? [1000]
    : [1000, 5000, 10000];
// `--profile=DIR`: a Chrome trace of each scroll run, for DevTools
const PROFILE_ARG = process.argv.find(a => a.startsWith('--profile='));
const PROFILE_DIR = PROFILE_ARG && path.resolve(PROFILE_ARG.slice(10));
// `--scroll-step-px=N`: every scroll frame moves N px (for comparing sizes at one step)
const STEP_ARG = process.argv.find(a => a.startsWith('--scroll-step-px='));
const SCROLL_STEP_PX = STEP_ARG ? Number(STEP_ARG.split('=')[1]) : 0;
// `--build=DIR`: measure the build in DIR (a copy of the repo built with
// build:lib:prod and jupyter-builder) instead of this checkout's lib/ and the
// labextension installed into .venv
const BUILD_ARG = process.argv.find(a => a.startsWith('--build='));
const BUILD_DIR = BUILD_ARG && path.resolve(BUILD_ARG.slice('--build='.length));
const LABEXTENSION_DIR =
  BUILD_DIR && path.join(BUILD_DIR, 'jupyterlab_mlflow_traces', 'labextension');
/** The compiled Node library the bench measures. */
const LIB_NODE = path.join(BUILD_DIR ?? ROOT, 'lib', 'node');
// `--mlflow-timeout-s=N` (default 60): how long MLflow's renderer gets to show a row
const TIMEOUT_ARG = process.argv.find(a => a.startsWith('--mlflow-timeout-s='));
const MLFLOW_TIMEOUT_MS =
  (TIMEOUT_ARG ? Number(TIMEOUT_ARG.split('=')[1]) : 60) * 1000;
// `--summary-sizes=10000`: only these trace counts in the summary rows (summary.mjs)
const SUMMARY_SIZES_ARG = process.argv.find(a =>
  a.startsWith('--summary-sizes=')
);
const SUMMARY_SIZES = SUMMARY_SIZES_ARG
  ? SUMMARY_SIZES_ARG.split('=')[1].split(',').map(Number)
  : undefined;
const SCROLL_PASSES = 3;
const SCROLL_FRAMES = 600;
// Fresh outputs per cold figure (each gives one cold run)
const COLD_SESSIONS = 3;
const log = (...a) =>
  console.log(`[bench ${((Date.now() - T_START) / 1000).toFixed(0)}s]`, ...a);

const results = [];
const notes = [];
function record(metric, spans, value, unit, trace = 'generated', extra = {}) {
  results.push({ metric, spans, value: round(value), unit, trace, ...extra });
}
/** A measurement that failed: no value, and why. */
function recordFailed(
  metric,
  spans,
  why,
  unit,
  trace = 'generated',
  extra = {}
) {
  results.push({
    metric,
    spans,
    value: null,
    unit,
    trace,
    failed: why,
    ...extra
  });
}
function round(v) {
  return typeof v === 'number' && Number.isFinite(v)
    ? Math.round(v * 1000) / 1000
    : v;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { env: venvEnv(), maxBuffer: 64 << 20, ...opts },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(
              `${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`
            )
          );
        } else {
          resolve(stdout);
        }
      }
    );
  });
}

/** The labextension JupyterLab serves to the bench, which its sizes measure. */
const SERVED_LABEXTENSION =
  LABEXTENSION_DIR ??
  path.join(
    VENV,
    'share',
    'jupyter',
    'labextensions',
    'jupyterlab-mlflow-traces'
  );

/** Bytes each output adds to a notebook as nbformat writes it (argv[1]: {key: data}). */
const IPYNB_OUTPUT_BYTES_PY = `
import json, sys
import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

def size(outputs):
    nb = new_notebook(cells=[new_code_cell("show(trace)", outputs=outputs)])
    return len(nbformat.writes(nb).encode("utf-8"))

with open(sys.argv[1], encoding="utf-8") as f:
    outputs = json.load(f)
print(json.dumps({key: size([new_output("display_data", data=data)]) - size([])
                  for key, data in outputs.items()}))
`;

async function getJson(url) {
  const r = await fetch(url);
  const text = await r.text();
  if (!r.ok) {
    throw new Error(`${url}: ${r.status} ${text.slice(0, 200)}`);
  }
  return { text, json: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

/**
 * Issue 22's flame graph in Chromium: the tab clicked in a fresh output (cold)
 * and again after the tree (warm), then frames while zooming and panning.
 * A failure is recorded as failed, and the tree's figures still stand.
 */
async function flameResults(page, spans, freshOutput) {
  try {
    const cold = [];
    const warm = [];
    const frames = [];
    let zoomed = 0;
    let wheeled = 0;
    for (let session = 0; session < COLD_SESSIONS; session++) {
      await freshOutput();
      for (let i = 0; i < 3; i++) {
        const { ms } = await page.evaluate(() => window.__bench.flameOpen());
        (i === 0 ? cold : warm).push(ms);
      }
      const run = await page.evaluate(() =>
        window.__bench.flameFrames(5, 20, 10)
      );
      frames.push(...run.frames);
      zoomed += run.zoomed;
      wheeled += run.wheeled;
    }
    if (zoomed === 0) {
      throw new Error('no click on the second row zoomed the flame graph');
    }
    record('flame_first_paint_ms', spans, median(warm), 'ms', 'generated', {
      runs: warm.map(round)
    });
    record(
      'flame_first_paint_cold_ms',
      spans,
      median(cold),
      'ms',
      'generated',
      {
        runs: cold.map(round)
      }
    );
    record('flame_frame_p50_ms', spans, pct(frames, 50), 'ms', 'generated', {
      frames: frames.length,
      zooms: zoomed,
      wheel_steps: wheeled
    });
    record('flame_frame_p95_ms', spans, pct(frames, 95), 'ms', 'generated', {
      frames: frames.length,
      zooms: zoomed,
      wheel_steps: wheeled
    });
    log(
      `ours flame ${spans}: first paint cold ${median(cold).toFixed(0)} warm ${median(warm).toFixed(0)} ms, frames p50/p95 ${pct(frames, 50).toFixed(1)}/${pct(frames, 95).toFixed(1)} ms (${frames.length} frames, ${zoomed} zooms, ${wheeled} wheel zoom + pan steps)`
    );
  } catch (error) {
    const why = String(error?.message ?? error).split('\n')[0];
    for (const metric of [
      'flame_first_paint_ms',
      'flame_first_paint_cold_ms',
      'flame_frame_p50_ms',
      'flame_frame_p95_ms'
    ]) {
      if (!results.some(r => r.metric === metric && r.spans === spans)) {
        recordFailed(metric, spans, why, 'ms', 'generated');
      }
    }
    log(`ours flame ${spans}: FAILED: ${why}`);
  }
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-traces-bench-'));
  const nbRoot = path.join(work, 'nb');
  fs.mkdirSync(nbRoot);
  writeBenchNotebook(path.join(nbRoot, 'bench.ipynb'));
  const loadStart = os.loadavg();
  log(
    `cores ${os.cpus().length}, load average ${loadStart.map(x => x.toFixed(1)).join(' ')}, work dir ${work}, labextension ${SERVED_LABEXTENSION}, node library ${LIB_NODE}`
  );
  const procs = [];
  // Interrupted (Ctrl-C, a closed pipe): take the servers down with us.
  const abandon = code => {
    procs.forEach(pid => stopProcessGroup(pid, 'SIGKILL'));
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => abandon(130));
  }
  process.stdout.on('error', () => abandon(141));
  let browser;
  try {
    // ---- 1. servers + MLflow writes ---------------------------------------
    const [mlflow, jupyter] = await Promise.all([
      startMlflowServer({ dir: path.join(work, 'mlflow') }),
      startJupyter(nbRoot, { labextensionDir: LABEXTENSION_DIR })
    ]);
    procs.push(mlflow.pid, jupyter.pid);
    log(`mlflow ${mlflow.url}, jupyterlab ${jupyter.url}`);

    const genForMlflow = {};
    for (const n of MLFLOW_SIZES) {
      const g = generateTrace(n, { seed: 1 });
      genForMlflow[`gen_${n}`] = { trace_id: g.traceId, spans: g.spans };
    }
    fs.writeFileSync(path.join(work, 'gen.json'), JSON.stringify(genForMlflow));
    // The SDK fixture script and our writer run side by side (both wait on the server).
    const t = Date.now();
    const fixtureOut = path.join(work, 'fixtures.json');
    const genOut = path.join(work, 'gen-written.json');
    const [, wout] = await Promise.all([
      run(
        PYTHON,
        [
          path.join(ROOT, 'test/fixtures/write_traces.py'),
          mlflow.url,
          'bench-fixtures',
          fixtureOut
        ],
        { cwd: ROOT }
      ).then(() =>
        log(
          `write_traces.py (MLflow SDK, incl. the 5,000-span "big") done in ${((Date.now() - t) / 1000).toFixed(1)} s`
        )
      ),
      run(
        PYTHON,
        [
          path.join(HERE, 'write_mlflow.py'),
          mlflow.url,
          'bench-generated',
          path.join(work, 'gen.json'),
          genOut
        ],
        { cwd: ROOT }
      )
    ]);
    process.stdout.write(wout);
    log(
      `all traces written to MLflow in ${((Date.now() - t) / 1000).toFixed(1)} s`
    );
    const fixtures = JSON.parse(fs.readFileSync(fixtureOut, 'utf8'));
    const written = JSON.parse(fs.readFileSync(genOut, 'utf8'));

    // Server JSON of every MLflow-side trace
    const serverTraces = {};
    const mlflowTraces = [
      ...MLFLOW_SIZES.map(n => ({
        key: `gen_${n}`,
        spans: n,
        trace: 'generated',
        id: written.traces[`gen_${n}`],
        exp: written.experiment_id
      })),
      {
        key: 'big',
        spans: fixtures.traces.big.span_count,
        trace: 'mlflow-sdk-big',
        id: fixtures.traces.big.trace_id,
        exp: fixtures.experiment_id
      }
    ];
    for (const m of mlflowTraces) {
      const info = await getJson(`${mlflow.url}/api/3.0/mlflow/traces/${m.id}`);
      const art = await getJson(
        `${mlflow.url}/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${m.id}`
      );
      serverTraces[m.key] = { ...m, info, art };
      if (art.json.spans.length !== m.spans) {
        throw new Error(
          `${m.key}: server has ${art.json.spans.length} spans, expected ${m.spans}`
        );
      }
    }

    // ---- 2. sizes ---------------------------------------------------------
    const staticDir = path.join(SERVED_LABEXTENSION, 'static');
    const gz = buf => zlib.gzipSync(buf, { level: 9 }).length;
    let totalGz = 0;
    for (const f of fs.readdirSync(staticDir).filter(f => f.endsWith('.js'))) {
      totalGz += gz(fs.readFileSync(path.join(staticDir, f)));
    }
    record(
      'labextension_gzip_kb',
      null,
      totalGz / 1024,
      'KB',
      'all static/*.js'
    );
    const { encodeTraceBundle } = require(
      path.join(LIB_NODE, 'bundle/encode.js')
    );
    const { buildDisplayContent } = require(
      path.join(LIB_NODE, 'kernel/display.js')
    );
    // The whole output (bundle, text/html, text/plain) as the tslab helper
    // displays it, unshortened; nbformat writes each into a notebook.
    const outputs = {};
    for (const s of Object.values(serverTraces)) {
      outputs[s.key] = buildDisplayContent(
        [
          {
            traceId: s.id,
            info: s.info.json.trace.trace_info,
            spans: s.art.json.spans
          }
        ],
        { trackingUri: mlflow.url, maxBytes: Number.MAX_SAFE_INTEGER }
      ).content.data;
    }
    const outputsFile = path.join(work, 'outputs.json');
    fs.writeFileSync(outputsFile, JSON.stringify(outputs));
    const ipynbBytes = JSON.parse(
      await run(PYTHON, ['-c', IPYNB_OUTPUT_BYTES_PY, outputsFile])
    );
    for (const s of Object.values(serverTraces)) {
      const serverBytes = s.info.bytes + s.art.bytes;
      const input = [
        {
          traceId: s.id,
          info: s.info.json.trace.trace_info,
          spans: s.art.json.spans
        }
      ];
      const data = outputs[s.key];
      const embed = outputOverServer(data, ipynbBytes[s.key], serverBytes);
      const partBytes = type =>
        Buffer.byteLength(
          typeof data[type] === 'string'
            ? data[type]
            : JSON.stringify(data[type])
        );
      const extra = {
        output_ipynb_bytes: ipynbBytes[s.key],
        server_bytes: serverBytes,
        bundle_bytes: partBytes('application/vnd.mlflow.trace+json'),
        html_bytes: partBytes('text/html'),
        plain_bytes: partBytes('text/plain')
      };
      if (embed.failed) {
        recordFailed(
          'embed_over_server_json',
          s.spans,
          embed.failed,
          'ratio',
          s.trace,
          extra
        );
      } else {
        record(
          'embed_over_server_json',
          s.spans,
          embed.value,
          'ratio',
          s.trace,
          extra
        );
      }
      const dflt = encodeTraceBundle(input);
      record(
        'embed_default_budget_bytes',
        s.spans,
        dflt.sizeBytes,
        'bytes',
        s.trace,
        { truncated: !!dflt.bundle.traces[0].truncated }
      );
    }

    // ---- 3. Node parse + build -------------------------------------------
    const { buildTrace } = require(path.join(LIB_NODE, 'trace/index.js'));
    const nodeCases = SIZES.map(n => {
      const g = generateTrace(n, { seed: 1 });
      return {
        spans: n,
        trace: 'generated',
        info: g.info,
        text: JSON.stringify({ spans: g.spans })
      };
    });
    nodeCases.push({
      spans: serverTraces.big.spans,
      trace: 'mlflow-sdk-big',
      info: serverTraces.big.info.json.trace.trace_info,
      text: serverTraces.big.art.text
    });
    for (const c of nodeCases) {
      // Cold: what the first output of a notebook costs. Each run is a fresh
      // process, where JSON.parse and buildTrace run for the first time.
      const caseFile = path.join(work, 'parse-build-case.json');
      fs.writeFileSync(
        caseFile,
        JSON.stringify({ info: c.info, text: c.text })
      );
      const cold = [];
      for (let i = 0; i < COLD_SESSIONS; i++) {
        cold.push(
          JSON.parse(
            await run(process.execPath, [
              path.join(HERE, 'parse-build-cold.cjs'),
              path.join(LIB_NODE, 'trace/index.js'),
              caseFile
            ])
          )
        );
      }
      fs.rmSync(caseFile);
      const coldRatios = cold.map(r => r.parse_ms / r.parse_build_ms);
      record(
        'parse_build_cold_over_json_parse',
        c.spans,
        median(coldRatios),
        'ratio',
        c.trace,
        {
          runs: coldRatios.map(round),
          json_parse_ms: cold.map(r => round(r.parse_ms)),
          parse_build_ms: cold.map(r => round(r.parse_build_ms))
        }
      );
      // Warm: a throughput is a steady-state figure: warm the JIT up for 300 ms
      // (at least twice), then time at least 5 runs and 1 s (at most 30).
      const warmUntil = performance.now() + 300;
      for (let i = 0; i < 2 || (i < 30 && performance.now() < warmUntil); i++) {
        buildTrace(c.info, JSON.parse(c.text).spans);
      }
      const parse = [];
      const both = [];
      const timeUntil = performance.now() + 1000;
      // Back to back, as outputs are parsed one after another in a notebook
      for (let i = 0; i < 5 || (i < 30 && performance.now() < timeUntil); i++) {
        let t0 = performance.now();
        JSON.parse(c.text);
        parse.push(performance.now() - t0);
        t0 = performance.now();
        const p = JSON.parse(c.text);
        buildTrace(c.info, p.spans);
        both.push(performance.now() - t0);
      }
      const ratio = median(parse) / median(both);
      record('parse_build_over_json_parse', c.spans, ratio, 'ratio', c.trace, {
        json_parse_ms: round(median(parse)),
        parse_build_ms: round(median(both)),
        bytes: Buffer.byteLength(c.text)
      });
      log(
        `node ${c.trace} ${c.spans}: cold JSON.parse ${median(cold.map(r => r.parse_ms)).toFixed(1)} ms, +buildTrace ${median(cold.map(r => r.parse_build_ms)).toFixed(1)} ms; warm ${median(parse).toFixed(1)} ms, ${median(both).toFixed(1)} ms`
      );
    }
    nodeCases.length = 0;

    // Conversation reads, Node and Python (also runnable alone: conversation.mjs)
    for (const result of conversationReadResults(
      path.join(LIB_NODE, 'trace/index.js')
    )) {
      results.push(result);
    }

    // The critical path at 100k spans over the tree build, in a fresh Node
    // process (also runnable alone: criticalpath.mjs)
    const { criticalPathResults } = await import('./criticalpath.mjs');
    for (const result of criticalPathResults(LIB_NODE)) {
      results.push(result);
      log(
        `node ${result.metric} ${result.spans}: ${result.value} (critical path ${result.critical_path_ms} ms, build ${result.build_ms} ms)`
      );
    }

    // Summaries on PostgreSQL, Python and TypeScript (also runnable alone: summary.mjs);
    // their payloads are drawn in Chromium below
    const summaryDir = path.join(work, 'summary');
    fs.mkdirSync(summaryDir);
    results.push(
      ...(await summaryResults(LIB_NODE, {
        log,
        payloadDir: summaryDir,
        sizes: SUMMARY_SIZES
      }))
    );

    // Live traces: tracing overhead with live display on over off, and iopub at the
    // cap, in a tslab and an ipykernel kernel (also runnable alone: live.mjs)
    results.push(
      ...(await liveKernelResults(LIB_NODE, {
        mlflowUrl: mlflow.url,
        log,
        quick: QUICK
      }))
    );

    // ---- 4. Chromium: our renderer in JupyterLab ---------------------------
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc']
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 }
    });
    const page = await context.newPage();
    const extRequests = new Map();
    page.on('response', async r => {
      const u = r.url();
      if (
        u.includes('/lab/extensions/jupyterlab-mlflow-traces/static/') &&
        u.split('?')[0].endsWith('.js')
      ) {
        try {
          extRequests.set(u.split('?')[0], await r.body());
        } catch {
          // ignore
        }
      }
    });
    await page.goto(`${jupyter.url}/lab/tree/bench.ipynb`);
    await page.waitForFunction(
      () =>
        window.jupyterapp &&
        window.jupyterapp.shell.currentWidget &&
        window.jupyterapp.shell.currentWidget.content &&
        window.jupyterapp.shell.currentWidget.content.rendermime,
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
    await page.addScriptTag({ path: path.join(HERE, 'page.js') });
    const cdp = await context.newCDPSession(page);
    const heapMb = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const h = await cdp.send('Runtime.getHeapUsage');
      return h.usedSize / (1024 * 1024);
    };
    // The summary renderer: first paint of its charts, cold then warm
    for (const name of fs.readdirSync(summaryDir).sort()) {
      const traces = Number(name.match(/summary-(\d+)\.json/)?.[1]);
      const payload = JSON.parse(
        fs.readFileSync(path.join(summaryDir, name), 'utf8')
      );
      try {
        const mounts = [];
        for (let i = 0; i < 4; i++) {
          mounts.push(
            await page.evaluate(p => window.__bench.mountSummary(p), payload)
          );
        }
        const { cold, warm } = coldWarm(mounts.map(m => m.ms));
        record('summary_render_ms', traces, warm, 'ms', 'summary-postgres', {
          runs: mounts.map(m => round(m.ms)),
          svg_elements: mounts[0].marks
        });
        record(
          'summary_render_cold_ms',
          traces,
          cold,
          'ms',
          'summary-postgres'
        );
        log(
          `summary render ${traces}: cold ${cold.toFixed(1)} ms, warm ${warm.toFixed(1)} ms`
        );
      } catch (error) {
        recordFailed(
          'summary_render_ms',
          traces,
          String(error.message || error).slice(0, 300),
          'ms',
          'summary-postgres'
        );
      }
    }
    const ours = {};
    const chromiumCases = [
      ...SIZES.map(n => ({ spans: n, trace: 'generated' })),
      { spans: serverTraces.big.spans, trace: 'mlflow-sdk-big' }
    ];
    let firstLoadDone = false;
    for (const c of chromiumCases) {
      try {
        const big = c.trace === 'mlflow-sdk-big';
        await page.evaluate(() => {
          window.__bench.unmount();
          window.__bench.clearData();
        });
        await page.waitForTimeout(500);
        const baseline = await heapMb();
        // New objects each time, so nothing cached on the old ones is reused
        const loadData = async () => {
          if (big) {
            const s = serverTraces.big;
            await page.evaluate(b => window.__bench.setData(b), {
              version: 1,
              traces: [
                {
                  trace_id: s.id,
                  info: s.info.json.trace.trace_info,
                  spans: s.art.json.spans
                }
              ]
            });
          } else {
            await page.evaluate(n => window.__bench.generate(n, 1), c.spans);
          }
        };
        /** A fresh output of fresh data: the state a notebook opens it in. */
        const freshOutput = async () => {
          await page.evaluate(() => window.__bench.unmount());
          await loadData();
          await page.evaluate(() => window.__bench.mount());
        };
        await loadData();
        const reps = c.spans >= 100000 ? 3 : 5;
        const mounts = [];
        for (let i = 0; i < reps; i++) {
          mounts.push(await page.evaluate(() => window.__bench.mount()));
          if (!firstLoadDone) {
            firstLoadDone = true;
            let kb = 0;
            for (const body of extRequests.values()) {
              kb += gz(body) / 1024;
            }
            record(
              'labextension_first_load_gzip_kb',
              null,
              kb,
              'KB',
              `${extRequests.size} files: remoteEntry + chunks loaded by page load and first render`
            );
          }
        }
        const interactive = median(mounts.map(m => m.ms));
        ours[`${c.trace}:${c.spans}`] = interactive;
        record('render_interactive_ms', c.spans, interactive, 'ms', c.trace, {
          runs: mounts.map(m => round(m.ms))
        });
        const heap = await heapMb();
        record('heap_mb', c.spans, heap, 'MB', c.trace, {
          baseline_mb: round(baseline),
          renderer_and_data_mb: round(heap - baseline)
        });
        log(
          `ours ${c.trace} ${c.spans}: interactive ${mounts.map(m => m.ms.toFixed(0)).join('/')} ms, rows in DOM ${mounts[0].rowsInDom}, heap ${heap.toFixed(0)} MB (baseline ${baseline.toFixed(0)})`
        );

        const collapse = [];
        const expand = [];
        for (let i = 0; i < 3; i++) {
          collapse.push(
            (await page.evaluate(() => window.__bench.button('Collapse all')))
              .ms
          );
          expand.push(
            (await page.evaluate(() => window.__bench.button('Expand all'))).ms
          );
        }
        record('collapse_all_ms', c.spans, median(collapse), 'ms', c.trace, {
          runs: collapse.map(round)
        });
        record('expand_all_ms', c.spans, median(expand), 'ms', c.trace, {
          runs: expand.map(round)
        });

        const traceFile =
          PROFILE_DIR &&
          path.join(PROFILE_DIR, `scroll-${c.trace}-${c.spans}.trace.json`);
        if (traceFile) {
          fs.mkdirSync(PROFILE_DIR, { recursive: true });
          await browser.startTracing(page, {
            path: traceFile,
            categories: ['devtools.timeline', 'v8.execute', 'blink']
          });
        }
        // Three passes top to bottom; a figure is the median of the passes'
        // figures, so one pass that met a GC or a busy neighbour does not decide it.
        const passes = [];
        for (let pass = 0; pass < SCROLL_PASSES; pass++) {
          // With --profile, the second pass is also sampled (V8 CPU profile)
          const cpuProfile = traceFile && pass === 1;
          if (cpuProfile) {
            await cdp.send('Profiler.enable');
            await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
            await cdp.send('Profiler.start');
          }
          passes.push(
            await page.evaluate(
              ([frames, stepPx]) => window.__bench.scroll(frames, 1.25, stepPx),
              [SCROLL_FRAMES, SCROLL_STEP_PX]
            )
          );
          if (traceFile && pass === 0) {
            await browser.stopTracing();
            log(`scroll trace (DevTools Performance panel): ${traceFile}`);
          }
          if (cpuProfile) {
            const { profile } = await cdp.send('Profiler.stop');
            await cdp.send('Profiler.disable');
            const cpuFile = traceFile.replace(/\.trace\.json$/, '.cpuprofile');
            fs.writeFileSync(cpuFile, JSON.stringify(profile));
            log(`scroll CPU profile (DevTools): ${cpuFile}`);
          }
        }
        const sc = passes[0];
        const passP50 = passes.map(p => pct(p.work, 50));
        const passP95 = passes.map(p => pct(p.work, 95));
        record('scroll_p50_ms', c.spans, median(passP50), 'ms', c.trace, {
          steps: sc.steps,
          step_px: sc.stepPx,
          viewport_px: sc.viewportPx,
          scroll_height_px: sc.totalPx,
          passes: passP50.map(round)
        });
        record('scroll_p95_ms', c.spans, median(passP95), 'ms', c.trace, {
          steps: sc.steps,
          passes: passP95.map(round)
        });
        record(
          'scroll_frame_interval_p95_ms',
          c.spans,
          pct(sc.intervals, 95),
          'ms',
          c.trace,
          {
            frames_over_20ms: sc.intervals.filter(x => x > 20).length,
            frames: sc.intervals.length
          }
        );
        if (!sc.atBottom || !sc.lastRowVisible) {
          notes.push(
            `${c.trace} ${c.spans}: scroll did not reach the last row (atBottom ${sc.atBottom}, lastRowVisible ${sc.lastRowVisible})`
          );
        }

        // Search and select, cold and warm: each of COLD_SESSIONS fresh outputs
        // gives one cold run (its first, caches empty) and warm runs after it.
        const queries = big
          ? ['leaf_7_', 'step_42', 'leaf_49_9']
          : ['calculator', 'chain_step_33', 'embed_chunk_9'];
        const searchCold = [];
        const searchWarm = [];
        const counts = new Set();
        for (let session = 0; session < COLD_SESSIONS; session++) {
          await freshOutput();
          const order = queries.map(
            (_, i) => queries[(i + session) % queries.length]
          );
          const runs = [];
          for (const qy of order) {
            const r = await page.evaluate(x => window.__bench.search(x), qy);
            runs.push(r.ms);
            counts.add(`${qy}: ${r.text}`);
          }
          const cw = coldWarm(runs);
          searchCold.push(cw.cold);
          searchWarm.push(...runs.slice(1));
        }
        record('search_ms', c.spans, median(searchWarm), 'ms', c.trace, {
          runs: searchWarm.map(round),
          counts: [...counts]
        });
        record('search_cold_ms', c.spans, median(searchCold), 'ms', c.trace, {
          runs: searchCold.map(round)
        });

        const selectCold = [];
        const selectWarm = [];
        if (!big) {
          for (let session = 0; session < COLD_SESSIONS; session++) {
            await freshOutput();
            const runs = [];
            for (let i = 0; i < 3; i++) {
              runs.push(
                (
                  await page.evaluate(() =>
                    window.__bench.select('load_document', 'agent_run')
                  )
                ).ms
              );
            }
            const cw = coldWarm(runs);
            selectCold.push(cw.cold);
            selectWarm.push(...runs.slice(1));
          }
          record(
            'select_big_input_ms',
            c.spans,
            median(selectWarm),
            'ms',
            c.trace,
            {
              runs: selectWarm.map(round),
              input_bytes: 1048576
            }
          );
          record(
            'select_big_input_cold_ms',
            c.spans,
            median(selectCold),
            'ms',
            c.trace,
            { runs: selectCold.map(round), input_bytes: 1048576 }
          );
        }
        if (!big && c.spans >= 10000) {
          await flameResults(page, c.spans, freshOutput);
        }
        log(
          `ours ${c.trace} ${c.spans}: collapse ${median(collapse).toFixed(0)} expand ${median(expand).toFixed(0)} scroll p50/p95 ${median(passP50).toFixed(1)}/${median(passP95).toFixed(1)} (${sc.steps} steps of ${sc.stepPx} px; p95 per pass ${passP95.map(x => x.toFixed(1)).join('/')}) search cold ${median(searchCold).toFixed(0)} warm ${median(searchWarm).toFixed(0)} ms${big ? '' : `, select cold ${median(selectCold).toFixed(0)} warm ${median(selectWarm).toFixed(0)} ms`}`
        );
      } catch (error) {
        // One size's failure is reported, and the other sizes still run
        const why = String(error?.message ?? error).split('\n')[0];
        const expected = [
          'render_interactive_ms',
          'heap_mb',
          'collapse_all_ms',
          'expand_all_ms',
          'scroll_p50_ms',
          'scroll_p95_ms',
          'search_ms',
          'search_cold_ms',
          ...(c.trace === 'mlflow-sdk-big'
            ? []
            : ['select_big_input_ms', 'select_big_input_cold_ms'])
        ];
        for (const metric of expected) {
          const done = results.some(
            r =>
              r.metric === metric && r.spans === c.spans && r.trace === c.trace
          );
          if (!done) {
            recordFailed(
              metric,
              c.spans,
              why,
              metric.endsWith('_mb') ? 'MB' : 'ms',
              c.trace
            );
          }
        }
        log(`ours ${c.trace} ${c.spans}: FAILED: ${why}`);
      }
    }
    await page.evaluate(() => {
      window.__bench.unmount();
      window.__bench.clearData();
    });
    // The renderer's time per live update (live.mjs)
    results.push(...(await liveRenderResults(page, { log, quick: QUICK })));
    await page.close();
    // A frame's cost must not grow with the trace
    if (SIZES.includes(1000) && SIZES.includes(100000)) {
      const p95 = n =>
        results.find(
          r =>
            r.metric === 'scroll_p95_ms' &&
            r.spans === n &&
            r.trace === 'generated'
        )?.value;
      const growth = ratioOf(p95(100000), p95(1000));
      const extra = {
        scroll_p95_1k_ms: p95(1000),
        scroll_p95_100k_ms: p95(100000)
      };
      if (growth.failed) {
        recordFailed(
          'scroll_p95_100k_over_1k',
          null,
          growth.failed,
          'ratio',
          'generated',
          extra
        );
      } else {
        record(
          'scroll_p95_100k_over_1k',
          null,
          growth.value,
          'ratio',
          'generated',
          extra
        );
      }
    }

    // ---- 5. Chromium: MLflow's notebook trace renderer ---------------------
    // (skipped with --sizes, which is for working on our own figures)
    if (!SIZES_ARG) {
      await context.addInitScript(() => {
        const sel = '[data-testid^="timeline-tree-node-"]';
        const tick = () => {
          if (document.querySelector(sel)) {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => {
              window.__firstRow = performance.now();
            };
            ch.port2.postMessage(0);
          } else {
            requestAnimationFrame(tick);
          }
        };
        requestAnimationFrame(tick);
      });
      // A fresh page per load (a frozen one is closed, not navigated); the HTTP cache is shared.
      const dnfState = {};
      const openMlflow = async s => {
        const mpage = await context.newPage();
        const url = `${mlflow.url}/static-files/lib/notebook-trace-renderer/index.html?trace_id=${s.id}&experiment_id=${s.exp}`;
        try {
          try {
            await mpage.goto(url, { waitUntil: 'commit' });
          } catch (error) {
            return {
              error: `navigation failed: ${error.message.split('\n')[0]}`
            };
          }
          try {
            await mpage.waitForFunction(
              () => window.__firstRow !== undefined,
              null,
              { timeout: MLFLOW_TIMEOUT_MS, polling: 250 }
            );
          } catch {
            // Frozen (main thread busy) or showing something else (a gate, an error)?
            const seen = await Promise.race([
              mpage
                .evaluate(
                  () =>
                    `page responsive; it shows: ${JSON.stringify(document.body.innerText.slice(0, 160))}`
                )
                .catch(e => `evaluate failed: ${e.message.slice(0, 80)}`),
              new Promise(r =>
                setTimeout(
                  () => r('page main thread unresponsive (3 s probe)'),
                  3000
                )
              )
            ]);
            dnfState[s.key] = seen;
            return null;
          }
          return await mpage.evaluate(() => {
            const data = performance
              .getEntriesByType('resource')
              .filter(e => /get-trace-artifact|mlflow\/traces\//.test(e.name));
            // No matching entry: no render figure (not -Infinity's Infinity)
            const dataEnd = data.length
              ? Math.max(...data.map(e => e.responseEnd))
              : NaN;
            return {
              dataEntries: data.length,
              total: window.__firstRow,
              render: window.__firstRow - dataEnd,
              rows: document.querySelectorAll(
                '[data-testid^="timeline-tree-node-"]'
              ).length
            };
          });
        } finally {
          await mpage.close({ runBeforeUnload: false }).catch(() => {});
        }
      };
      // warm the browser cache with MLflow's renderer bundle (not counted)
      await openMlflow(serverTraces[`gen_${MLFLOW_SIZES[0]}`]);
      let genDnfAt = Infinity;
      for (const s of Object.values(serverTraces)) {
        if (s.trace === 'generated' && s.spans > genDnfAt) {
          const why = `MLflow's renderer already showed no row for ${genDnfAt} spans within ${MLFLOW_TIMEOUT_MS / 1000} s`;
          results.push(
            {
              metric: 'mlflow_render_ms',
              spans: s.spans,
              value: null,
              unit: 'ms',
              trace: s.trace,
              not_run: why
            },
            {
              metric: 'mlflow_over_ours',
              spans: s.spans,
              value: null,
              unit: 'ratio',
              trace: s.trace,
              not_run: why
            }
          );
          notes.push(
            `MLflow's renderer was not tried on generated ${s.spans} spans: ${genDnfAt} spans already did not finish within ${MLFLOW_TIMEOUT_MS / 1000} s`
          );
          continue;
        }
        const reps = s.spans >= 10000 ? 1 : 2;
        const runs = [];
        for (let i = 0; i < reps; i++) {
          const r = await openMlflow(s);
          runs.push(r);
          if (!r || r.error) {
            break;
          }
        }
        const oursMs =
          s.trace === 'generated'
            ? ours[`generated:${s.spans}`]
            : ours[`mlflow-sdk-big:${s.spans}`];
        const broken = runs.find(r => r && r.error);
        if (broken) {
          for (const [metric, unit] of [
            ['mlflow_render_ms', 'ms'],
            ['mlflow_total_ms', 'ms'],
            ['mlflow_over_ours', 'ratio']
          ]) {
            recordFailed(metric, s.spans, broken.error, unit, s.trace);
          }
          log(`mlflow ${s.trace} ${s.spans}: FAILED: ${broken.error}`);
          continue;
        }
        if (runs.some(r => r === null)) {
          if (s.trace === 'generated') {
            genDnfAt = Math.min(genDnfAt, s.spans);
          }
          const why = `no span row within ${MLFLOW_TIMEOUT_MS / 1000} s (${dnfState[s.key]})`;
          recordFailed('mlflow_render_ms', s.spans, why, 'ms', s.trace);
          recordFailed('mlflow_total_ms', s.spans, why, 'ms', s.trace);
          // Only a bound: shown as "> N×", never compared with the target
          if (oursMs) {
            record(
              'mlflow_over_ours',
              s.spans,
              MLFLOW_TIMEOUT_MS / oursMs,
              'ratio',
              s.trace,
              {
                lower_bound: true,
                why: `MLflow: ${why}`
              }
            );
          } else {
            recordFailed(
              'mlflow_over_ours',
              s.spans,
              `ours not measured; MLflow: ${why}`,
              'ratio',
              s.trace
            );
          }
          log(
            `mlflow ${s.trace} ${s.spans}: did not finish within ${MLFLOW_TIMEOUT_MS / 1000} s`
          );
          notes.push(
            `MLflow's renderer showed no span row within ${MLFLOW_TIMEOUT_MS / 1000} s for ${s.trace} ${s.spans}: ${dnfState[s.key]}`
          );
          continue;
        }
        const render = median(runs.map(r => r.render));
        const total = median(runs.map(r => r.total));
        const totalRuns = runs.map(r => round(r.total));
        record('mlflow_total_ms', s.spans, total, 'ms', s.trace, {
          runs: totalRuns
        });
        if (runs.some(r => !r.dataEntries)) {
          const why = 'no trace-data request among its resource entries';
          recordFailed('mlflow_render_ms', s.spans, why, 'ms', s.trace);
          recordFailed('mlflow_over_ours', s.spans, why, 'ratio', s.trace);
          notes.push(
            `MLflow ${s.trace} ${s.spans}: ${why}, so no render figure`
          );
          continue;
        }
        record('mlflow_render_ms', s.spans, render, 'ms', s.trace, {
          runs: runs.map(r => round(r.render)),
          rows_in_dom: runs[0].rows
        });
        const over = ratioOf(render, oursMs);
        if (over.failed) {
          recordFailed(
            'mlflow_over_ours',
            s.spans,
            over.failed,
            'ratio',
            s.trace
          );
        } else {
          record('mlflow_over_ours', s.spans, over.value, 'ratio', s.trace, {
            mlflow_render_ms: round(render),
            ours_render_interactive_ms: round(oursMs)
          });
        }
        log(
          `mlflow ${s.trace} ${s.spans}: data→first row ${render.toFixed(0)} ms, navigation→first row ${total.toFixed(0)} ms, rows in DOM ${runs[0].rows}`
        );
      }
    }
  } finally {
    if (browser) {
      await browser.close().catch(() => {});
    }
    for (const pid of procs) {
      stopProcessGroup(pid);
    }
  }

  // ---- output ---------------------------------------------------------------
  const verdicts = results.map(r => {
    const target = findTarget(r);
    const verdict = judge(r, target);
    r.target = target ? `${target[2]} ${target[3]}` : undefined;
    r.verdict = verdict.status || undefined;
    return verdict;
  });
  const rows = results.map((r, i) => [
    r.metric,
    r.spans === null ? '' : String(r.spans),
    verdicts[i].shown,
    r.unit,
    r.target ?? '',
    verdicts[i].status,
    r.trace
  ]);
  const header = [
    'metric',
    'spans',
    'value',
    'unit',
    'target',
    'verdict',
    'trace'
  ];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length))
  );
  const line = r =>
    '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log('');
  console.log(line(header));
  console.log('|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|');
  rows.forEach(r => console.log(line(r)));
  console.log('');
  console.log(
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM; node ${process.version}; run time ${((Date.now() - T_START) / 1000).toFixed(0)} s`
  );
  console.log(
    `load average (1/5/15 min) at start ${loadStart.map(x => x.toFixed(1)).join(' ')}, at end ${os
      .loadavg()
      .map(x => x.toFixed(1))
      .join(
        ' '
      )}: figures taken on a busy machine are slower than the code deserves`
  );
  for (const n of notes) {
    console.log(`note: ${n}`);
  }
  const summary = summarize(verdicts);
  console.log(`summary: ${summary.line}`);
  results.push({
    metric: 'machine_cores',
    spans: null,
    value: os.cpus().length,
    unit: 'cores',
    load_average_start: loadStart.map(round),
    load_average_end: os.loadavg().map(round)
  });
  fs.writeFileSync(
    path.join(HERE, 'results.json'),
    JSON.stringify(results, null, 1) + '\n'
  );
  log('wrote bench/results.json');
  if (summary.failed) {
    console.error(
      `${summary.failed} measurements FAILED (see the table); exit code 1`
    );
    process.exitCode = 1;
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
