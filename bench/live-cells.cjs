/**
 * The cells the live bench runs in each kernel (bench/live_kernel.py runs them): set-up
 * (which defines the timed loop), the live switch, one timed loop, and a flush, in tslab
 * (TypeScript) and in ipykernel (Python). The loop is `spans` sequential children of one
 * root span, each with inputs `{i, text}` (`inputBytes` of text) and `busyMs` of work; it
 * prints one JSON line `{"bench_ms": …, "start_unix_ms": …, "end_unix_ms": …}`: its time on
 * the kernel's own clock, from before the root span starts to after it ends, and the wall
 * clock at both ends (the clock of the live updates' `updated_unix_ms`).
 */

const TS = {
  // The loop yields to the event loop every `yieldEvery` spans, as traced code that
  // awaits anything does, so timers (the live updates') can run; both modes do it.
  setup: experiment =>
    `import { performance } from 'perf_hooks';
import { configure, flush, withSpan } from 'jupyterlab-mlflow-traces';
await configure({ experimentName: ${JSON.stringify(experiment)} });
async function benchLoop(spans: number, busyMs: number, yieldEvery: number, inputBytes: number): Promise<void> {
  const text = 'x'.repeat(inputBytes);
  const busy = () => {
    const end = performance.now() + busyMs;
    while (performance.now() < end) {
      // work
    }
  };
  const startUnixMs = Date.now();
  const t0 = performance.now();
  await withSpan('bench_root', async () => {
    for (let i = 0; i < spans; i++) {
      withSpan('step', { inputs: { i, text } }, busy);
      if (i % yieldEvery === yieldEvery - 1) {
        await new Promise(resolve => setImmediate(resolve));
      }
    }
  });
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ bench_ms: ms, start_unix_ms: startUnixMs, end_unix_ms: Date.now() }));
}`,
  live: (experiment, on) =>
    `await configure({ experimentName: ${JSON.stringify(experiment)}, live: ${on} });`,
  loop: ({ spans, busyMs = 0, yieldEvery = 100, inputBytes = 0 }) =>
    `await benchLoop(${spans}, ${busyMs}, ${yieldEvery}, ${inputBytes});`,
  flush: () => 'await flush();'
};

const PY = {
  setup: experiment =>
    `%load_ext jupyterlab_mlflow_traces
import json
import time

import mlflow

import jupyterlab_mlflow_traces

mlflow.set_experiment(${JSON.stringify(experiment)})


def bench_loop(spans, busy_ms, input_bytes):
    text = "x" * input_bytes
    start_unix_ms = time.time() * 1000
    t0 = time.perf_counter()
    with mlflow.start_span("bench_root"):
        for i in range(spans):
            with mlflow.start_span("step") as span:
                span.set_inputs({"i": i, "text": text})
                end = time.perf_counter() + busy_ms / 1000
                while time.perf_counter() < end:
                    pass
    ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({"bench_ms": ms, "start_unix_ms": start_unix_ms, "end_unix_ms": time.time() * 1000}))`,
  live: (_experiment, on) =>
    `jupyterlab_mlflow_traces.configure(live=${on ? 'True' : 'False'})`,
  loop: ({ spans, busyMs = 0, inputBytes = 0 }) =>
    `bench_loop(${spans}, ${busyMs}, ${inputBytes})`,
  flush: () => 'mlflow.flush_trace_async_logging()'
};

/** The cell builders of a kernel: 'tslab' or 'python3'. */
function cellsFor(kernel) {
  return kernel === 'tslab' ? TS : PY;
}

/** What a timed cell printed (`ms`, `startUnixMs`, `endUnixMs`), or why there is none. */
function loopMs(result) {
  if (result.error) {
    return { failed: result.error };
  }
  const line = (result.stdout || '')
    .split('\n')
    .find(l => l.startsWith('{"bench_ms"'));
  if (!line) {
    return {
      failed: `the cell printed no timing (stderr: ${(result.stderr || '').slice(0, 200)})`
    };
  }
  const printed = JSON.parse(line);
  return {
    ms: printed.bench_ms,
    startUnixMs: printed.start_unix_ms,
    endUnixMs: printed.end_unix_ms
  };
}

module.exports = { cellsFor, loopMs };
