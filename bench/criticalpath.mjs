/**
 * The bench row "critical path at 100k spans, as a ratio to the tree build"
 * (issue 22; target at most 0.2): a generated 100,000-span trace is built
 * (buildTrace on its parsed span dicts) and its critical path computed
 * (criticalPath), RUNS times over in one fresh Node process, each run on a
 * trace built anew (the path is memoized per trace). Cold is the first run's
 * ratio, warm the median critical-path time over the median build time of
 * the runs after it.
 *
 *   node bench/criticalpath.mjs              build lib/node (tsc), then measure
 *   node bench/criticalpath.mjs --no-build   measure the lib/node there is
 *
 * run.mjs calls `criticalPathResults` with the library it measures.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';
import { generateTrace } from './generate.mjs';

const require = createRequire(import.meta.url);
const SELF = fileURLToPath(import.meta.url);
const { ROOT } = require('../scripts/lib/paths.cjs');
const { coldWarm, findTarget, judge } = require('./judge.cjs');

const SPANS = 100000;
/** Runs per process: one cold, the rest warm. */
const RUNS = 8;

/** In the measuring process: {build_ms, path_ms, path_spans}[] of RUNS runs. */
function measure(libTraceIndex, caseFile) {
  const { buildTrace, criticalPath } = require(libTraceIndex);
  const { info, text } = JSON.parse(fs.readFileSync(caseFile, 'utf8'));
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const spans = JSON.parse(text).spans;
    const t0 = performance.now();
    const trace = buildTrace(info, spans);
    const t1 = performance.now();
    const critical = criticalPath(trace);
    const t2 = performance.now();
    runs.push({
      build_ms: t1 - t0,
      path_ms: t2 - t1,
      path_spans: critical.spanIds.size
    });
  }
  return runs;
}

const round = value => Math.round(value * 1000) / 1000;

/** The row's results, measuring `libNodeDir` (lib/node) in a fresh process. */
export function criticalPathResults(libNodeDir) {
  const generated = generateTrace(SPANS, { seed: 1 });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-criticalpath-'));
  const caseFile = path.join(work, 'case.json');
  fs.writeFileSync(
    caseFile,
    JSON.stringify({
      info: generated.info,
      text: JSON.stringify({ spans: generated.spans })
    })
  );
  try {
    const runs = JSON.parse(
      execFileSync(
        process.execPath,
        [
          SELF,
          '--measure',
          path.join(libNodeDir, 'trace', 'index.js'),
          caseFile
        ],
        { cwd: ROOT, maxBuffer: 16 << 20 }
      ).toString()
    );
    const build = coldWarm(runs.map(r => r.build_ms));
    const critical = coldWarm(runs.map(r => r.path_ms));
    const row = (metric, value, buildMs, pathMs) => ({
      metric,
      spans: SPANS,
      value: round(value),
      unit: 'ratio',
      trace: 'generated',
      build_ms: round(buildMs),
      critical_path_ms: round(pathMs),
      path_spans: runs[0].path_spans
    });
    return [
      row(
        'critical_path_cold_over_build',
        critical.cold / build.cold,
        build.cold,
        critical.cold
      ),
      row(
        'critical_path_over_build',
        critical.warm / build.warm,
        build.warm,
        critical.warm
      )
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--measure') {
  console.log(JSON.stringify(measure(process.argv[3], process.argv[4])));
} else if (process.argv[1] === SELF) {
  if (!process.argv.includes('--no-build')) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.kernel.json'], {
      cwd: ROOT,
      stdio: 'inherit'
    });
  }
  for (const result of criticalPathResults(path.join(ROOT, 'lib', 'node'))) {
    const target = findTarget(result);
    const { status, shown } = target
      ? judge(result, target)
      : { status: '(target <= 0.2)', shown: String(result.value) };
    console.log(
      `${result.metric.padEnd(32)} ${shown.padStart(8)} ${result.unit}  ${status}  ` +
        `build ${result.build_ms} ms, critical path ${result.critical_path_ms} ms, ` +
        `${result.path_spans} spans on it`
    );
  }
}
