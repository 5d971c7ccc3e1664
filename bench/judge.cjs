/**
 * How the benchmark judges its figures. Pure, so the rules are unit-tested
 * (test/unit/bench/judge.spec.ts): a failed measurement is shown as FAILED
 * with its reason and counted, a lower bound is shown as "> N" and never
 * compared with a target, and only a finite value is judged.
 */

/**
 * Targets: [metric, spans ('*': every size; null: a figure without a size),
 * comparison, limit]. Cold figures (the first use on a fresh output) have the
 * same targets as the warm ones: a notebook opens each output once.
 */
const TARGETS = [
  ['render_interactive_ms', 10000, '<=', 150],
  ['render_interactive_ms', 100000, '<=', 1500],
  ['expand_all_ms', 10000, '<=', 50],
  ['collapse_all_ms', 10000, '<=', 50],
  ['search_ms', 10000, '<=', 50],
  ['search_cold_ms', 10000, '<=', 50],
  ['select_big_input_ms', '*', '<=', 100],
  ['select_big_input_cold_ms', '*', '<=', 100],
  ['scroll_p95_ms', 100000, '<=', 16],
  ['scroll_p95_100k_over_1k', null, '<=', 1.2],
  ['heap_mb', 100000, '<=', 300],
  ['parse_build_over_json_parse', '*', '>=', 0.5],
  ['parse_build_cold_over_json_parse', '*', '>=', 0.5],
  ['mlflow_over_ours', 5000, '>=', 10],
  ['labextension_gzip_kb', null, '<=', 300],
  ['conversation_read_ts_ms_per_mb', null, '<=', 50],
  ['conversation_read_ts_cold_ms_per_mb', null, '<=', 50],
  ['conversation_read_py_ms_per_mb', null, '<=', 50],
  ['conversation_read_py_cold_ms_per_mb', null, '<=', 50],
  // issue 19: 100,000 traces summarized end to end through the aggregation path (the size
  // column of a summary row is its trace count)
  ['summary_server_py_ms', 100000, '<=', 2000],
  ['summary_server_py_cold_ms', 100000, '<=', 2000],
  ['summary_server_ts_ms', 100000, '<=', 2000],
  ['summary_server_ts_cold_ms', 100000, '<=', 2000],
  // issue 20: live display costs at most half again per span (tslab, Python); live
  // updates at the cap stay within 4 a second and 256 KiB/s plus one update; an update
  // of a 10,000-span trace is drawn within a frame
  ...['ts', 'py'].flatMap(lang => [
    [`live_overhead_ratio_${lang}`, '*', '<=', 1.5],
    [`live_iopub_updates_per_s_${lang}`, '*', '<=', 4],
    [`live_iopub_peak_updates_per_s_${lang}`, '*', '<=', 4],
    [`live_iopub_peak_bytes_over_bound_${lang}`, '*', '<=', 1]
  ]),
  ['live_update_render_ms', 10000, '<=', 16],
  ['live_update_render_cold_ms', 10000, '<=', 16],
  // Issue 22: the critical path beside the tree build; the flame graph in Chromium.
  ['critical_path_over_build', 100000, '<=', 0.2],
  ['critical_path_cold_over_build', 100000, '<=', 0.2],
  ['flame_first_paint_ms', 100000, '<=', 500],
  ['flame_first_paint_cold_ms', 100000, '<=', 500],
  ['flame_frame_p95_ms', '*', '<=', 16]
];

/** The target of a result, if it has one. */
function findTarget(result) {
  return TARGETS.find(
    ([metric, spans]) =>
      metric === result.metric && (spans === '*' || spans === result.spans)
  );
}

/** Median of a non-empty list. */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The p-th percentile (nearest rank) of a non-empty list. */
function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[
    Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))
  ];
}

const isFiniteNumber = v => typeof v === 'number' && Number.isFinite(v);

/** A bound rounded towards itself, so "> N" stays true. */
function floorShown(v) {
  return v >= 10 ? Math.floor(v) : Math.floor(v * 10) / 10;
}

/**
 * A result's verdict against its target (undefined: no target).
 *
 * #### Notes
 * Order matters: a failed or not-run measurement, or a value that is not a
 * finite number (an Infinity ratio), is FAILED whatever its target says; a
 * lower bound is shown and counted, never compared.
 */
function judge(result, target) {
  if (result.not_run) {
    return { status: 'not run', shown: `not run: ${result.not_run}` };
  }
  if (result.failed || !isFiniteNumber(result.value)) {
    return {
      status: 'FAILED',
      shown: `FAILED: ${result.failed || `not a finite number (${result.value})`}`
    };
  }
  if (result.lower_bound) {
    const unit = result.unit === 'ratio' ? '×' : ` ${result.unit ?? ''}`;
    return {
      status: 'lower bound',
      shown: `> ${floorShown(result.value)}${unit}`.trimEnd()
    };
  }
  const shown = String(result.value);
  if (!target) {
    return { status: '', shown };
  }
  const [, , op, limit] = target;
  const ok = op === '<=' ? result.value <= limit : result.value >= limit;
  return { status: ok ? 'met' : 'NOT MET', shown };
}

/** Counts of the verdicts, and the summary line the bench prints. */
function summarize(verdicts) {
  const n = status => verdicts.filter(v => v.status === status).length;
  const counts = {
    met: n('met'),
    notMet: n('NOT MET'),
    failed: n('FAILED'),
    lowerBound: n('lower bound'),
    notRun: n('not run')
  };
  return {
    ...counts,
    line:
      `${counts.met} targets met, ${counts.notMet} not met; ` +
      `${counts.failed} failed, ${counts.lowerBound} lower bounds (not judged), ` +
      `${counts.notRun} not run`
  };
}

/**
 * The cold and warm figures of one fresh output: the first run (caches
 * empty) and the median of the runs after it.
 */
function coldWarm(runs) {
  if (runs.length < 2) {
    throw new Error('coldWarm needs a cold run and at least one warm run');
  }
  return { cold: runs[0], warm: median(runs.slice(1)) };
}

/** `big / small`, or why there is no ratio. */
function ratioOf(big, small) {
  if (!isFiniteNumber(big) || !isFiniteNumber(small)) {
    return { failed: `missing figure (${big} over ${small})` };
  }
  if (small <= 0) {
    return { failed: `divisor ${small} is not positive` };
  }
  return { value: big / small };
}

const OUTPUT_MIME_TYPES = [
  'application/vnd.mlflow.trace+json',
  'text/html',
  'text/plain'
];

const bytesOf = value =>
  Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value));

/**
 * A trace output's bytes, as written into the .ipynb (bundle, text/html and
 * text/plain), over the bytes of the server's own JSON for the trace.
 */
function outputOverServer(data, outputBytes, serverBytes) {
  const missing = OUTPUT_MIME_TYPES.filter(type => !(type in data));
  if (missing.length) {
    return { failed: `the output has no ${missing.join(', ')}` };
  }
  const partsBytes = OUTPUT_MIME_TYPES.reduce(
    (sum, type) => sum + bytesOf(data[type]),
    0
  );
  if (!(outputBytes >= partsBytes)) {
    return {
      failed: `${outputBytes} output bytes, fewer than its parts (${partsBytes})`
    };
  }
  if (!(serverBytes > 0)) {
    return { failed: `server JSON of ${serverBytes} bytes` };
  }
  return { value: outputBytes / serverBytes };
}

module.exports = {
  TARGETS,
  findTarget,
  median,
  pct,
  judge,
  summarize,
  coldWarm,
  ratioOf,
  outputOverServer
};
