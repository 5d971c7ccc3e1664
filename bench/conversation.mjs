/**
 * The bench row "conversation read, ms per MB of chat payload" (issue 18,
 * item 12), in TypeScript (Node) and Python (.venv): the payloads of
 * bench/chatpayloads.cjs read as a span's inputs, each language in a fresh
 * process. Cold is the first read of every shape over their megabytes; warm
 * the median of the reads after it.
 *
 *   node bench/conversation.mjs              build lib/node (tsc), then measure
 *   node bench/conversation.mjs --no-build   measure the lib/node there is
 *
 * run.mjs calls `conversationReadResults` with the library it measures.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const { ROOT, PYTHON, venvEnv } = require('../scripts/lib/paths.cjs');
const { CHAT_SHAPES } = require('./chatpayloads.cjs');
const { coldWarm, findTarget, judge } = require('./judge.cjs');

/** Items per shape: about 0.4 to 0.8 MB each, 2.3 MB in all. */
const ITEMS = 6000;
/** Reads of each shape per process: one cold, the rest warm. */
const RUNS = 8;

/** {metric, value} rows of one language's per-shape read times. */
function rows(language, times, megabytes) {
  const shapes = Object.keys(times);
  const perRun = times[shapes[0]].map(
    (_, run) => shapes.reduce((sum, s) => sum + times[s][run], 0) / megabytes
  );
  const { cold, warm } = coldWarm(perRun);
  const shapeMs = Object.fromEntries(
    shapes.map(s => [s, Math.round(coldWarm(times[s]).warm * 10) / 10])
  );
  const row = (metric, value) => ({
    metric,
    spans: null,
    value: Math.round(value * 10) / 10,
    unit: 'ms/MB',
    trace: 'chat payloads',
    megabytes: Math.round(megabytes * 1000) / 1000,
    warm_ms_by_shape: shapeMs
  });
  return [
    row(`conversation_read_${language}_cold_ms_per_mb`, cold),
    row(`conversation_read_${language}_ms_per_mb`, warm)
  ];
}

/** The row's results, reading with `libTraceIndex` (lib/node/trace/index.js). */
export function conversationReadResults(libTraceIndex) {
  const payloads = Object.fromEntries(
    CHAT_SHAPES.map(shape => [shape.name, shape.payload(ITEMS)])
  );
  const megabytes =
    Object.values(payloads).reduce(
      (sum, p) => sum + Buffer.byteLength(JSON.stringify(p)),
      0
    ) / 1e6;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-conversation-'));
  const file = path.join(work, 'payloads.json');
  fs.writeFileSync(file, JSON.stringify(payloads));
  const timed = (cmd, args) =>
    JSON.parse(
      execFileSync(cmd, args, {
        env: venvEnv(),
        cwd: ROOT,
        maxBuffer: 64 << 20
      }).toString()
    );
  try {
    const node = timed(process.execPath, [
      path.join(HERE, 'conversation-read.cjs'),
      libTraceIndex,
      file,
      String(RUNS)
    ]);
    const python = timed(PYTHON, [
      path.join(HERE, 'conversation_read.py'),
      file,
      String(RUNS)
    ]);
    return [...rows('ts', node, megabytes), ...rows('py', python, megabytes)];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--no-build')) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.kernel.json'], {
      cwd: ROOT,
      stdio: 'inherit'
    });
  }
  const results = conversationReadResults(
    path.join(ROOT, 'lib', 'node', 'trace', 'index.js')
  );
  for (const result of results) {
    const { status, shown } = judge(result, findTarget(result));
    console.log(
      `${result.metric.padEnd(40)} ${shown.padStart(8)} ${result.unit}  ${status}`
    );
  }
  for (const result of results.filter(r => !r.metric.includes('_cold_'))) {
    console.log(result.metric, 'warm ms by shape', result.warm_ms_by_shape);
  }
}
