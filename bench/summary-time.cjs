/**
 * Times the tslab helper's summary (computeSummary of lib/node/kernel/summary.js, what
 * summarize() displays) of one experiment, in a fresh Node process (for bench/summary.mjs).
 *
 *   node bench/summary-time.cjs LIB_NODE URL EXPERIMENT_ID START_MS END_MS RUNS server|search
 *
 * Same protocol as summary_time.py: `/__bench/mark?run=N` before each run, then
 * `{"ms": [...], "source": ..., "traces": N}` on stdout.
 */
const path = require('path');
const { performance } = require('perf_hooks');

async function main() {
  const [libNode, url, experimentId, start, end, runs, which] =
    process.argv.slice(2);
  const { MlflowClient } = require(path.join(libNode, 'client', 'index.js'));
  const { computeSummary } = require(
    path.join(libNode, 'kernel', 'summary.js')
  );
  const client = new MlflowClient({ trackingUri: url });
  const ms = [];
  let payload;
  for (let run = 0; run < Number(runs); run++) {
    await (await fetch(`${url}/__bench/mark?run=${run}`)).text();
    const started = performance.now();
    ({ payload } = await computeSummary(client, {
      experimentIds: [experimentId],
      start: Number(start),
      end: Number(end),
      interval: '1h',
      useServer: which === 'server'
    }));
    ms.push(performance.now() - started);
    if (payload.source !== which) {
      throw new Error(
        `asked for the ${which} path, got ${payload.source}: ${payload.source_note}`
      );
    }
  }
  await (await fetch(`${url}/__bench/mark?run=done`)).text();
  process.stdout.write(
    JSON.stringify({
      ms,
      source: payload.source,
      traces: payload.totals.traces
    }) + '\n'
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
