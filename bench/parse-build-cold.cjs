/**
 * One cold parse + build, in a fresh Node process (run by run.mjs):
 * `node parse-build-cold.cjs <lib/node/trace/index.js> <case.json>` prints
 * {"parse_ms", "parse_build_ms"}: JSON.parse of the artifact body, then
 * buildTrace on it, the first time this process runs either.
 */
const fs = require('fs');
const { performance } = require('perf_hooks');

const { buildTrace } = require(process.argv[2]);
const { info, text } = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const t0 = performance.now();
const parsed = JSON.parse(text);
const t1 = performance.now();
buildTrace(info, parsed.spans);
const t2 = performance.now();
console.log(JSON.stringify({ parse_ms: t1 - t0, parse_build_ms: t2 - t0 }));
