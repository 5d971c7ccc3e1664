/**
 * The static text/html and text/plain fallbacks of a trace summary, byte
 * for byte as the Python package's `_summary_fallback.py` writes them.
 *
 * #### Notes
 * `text/plain` is a table: a caption, the totals, one line per bucket, the
 * segments' totals, the budgets and what broke them, then who computed it.
 * `text/html` writes the budgets and violations first, then inline SVG
 * charts (traces and errors per bucket as bars; latency p50/p90/p99 as lines;
 * cost as bars; each budget as a line, the per-trace ones as a step per
 * bucket; a band under each bucket that broke a budget), the same table, the segments side by side, quality per
 * assessment name (summarysections.ts) and where time and cost go
 * (summaryfallbackspans.ts), all with the escaping builder: every string
 * from the payload is escaped text, every SVG attribute a number or a
 * constant, no link.
 */
import { formatCount, formatIntervalSeconds } from '../trace/format';
import { oneLine, plural } from './format';
import { FALLBACK_CLASS as CLS } from './html';
import {
  Marks,
  SvgWriter,
  writeCostChart,
  writeCountChart,
  writeLatencyChart
} from './summarychart';
import {
  budgetsLine,
  MAX_VIOLATION_LINES,
  moreText,
  segmentLines,
  violationsOf,
  writeQuality,
  writeSegments,
  writeViolations
} from './summarysections';
import { writeSpans } from './summaryfallbackspans';
import {
  errorText,
  groupByText,
  isNumber,
  isObject,
  latencyText,
  Loose,
  moneyText,
  percentText,
  tokensText,
  utcText,
  violationText
} from './summarytext';
import { formatDurationMs } from '../trace/format';
import { ellipsize } from './util';

const COLUMNS = [
  'Time (UTC)',
  'Traces',
  'Errors',
  'p50',
  'p90',
  'p99',
  'Input tokens',
  'Output tokens',
  'Cache read',
  'Cache write'
];
const TOKENS = ['input', 'output', 'cache_read', 'cache_write'];
const PERCENTILES = ['p50', 'p90', 'p99'];
const MAX_FILTER_CHARS = 200;

/** True when the payload carries cost (the Cost column and chart). */
function hasCost(payload: Loose): boolean {
  return isObject(payload.totals) && isObject(payload.totals.cost);
}

function columns(payload: Loose): string[] {
  return hasCost(payload) ? [...COLUMNS, 'Cost'] : COLUMNS;
}

function cells(label: string, figures: Loose, cost: boolean): string[] {
  const row = [
    label,
    formatCount(figures.traces ?? 0),
    errorText(figures),
    ...PERCENTILES.map(name => latencyText(figures, name)),
    ...TOKENS.map(name => tokensText(figures, name))
  ];
  if (cost) {
    row.push(moneyText(isObject(figures.cost) ? figures.cost.total : null));
  }
  return row;
}

function bucketLabel(bucket: Loose, intervalSeconds: number): string {
  return utcText(bucket.start_time_ms ?? 0, intervalSeconds % 60 !== 0);
}

function caption(payload: Loose): string {
  const query: Loose = payload.query || {};
  const ids: unknown[] = query.experiment_ids ?? [];
  const parts = [`experiments ${ids.map(i => oneLine(String(i))).join(', ')}`];
  if (query.filter) {
    parts.push(
      `filter ${JSON.stringify(ellipsize(query.filter, MAX_FILTER_CHARS))}`
    );
  }
  const start = query.start_time_ms ?? 0;
  const end = query.end_time_ms ?? 0;
  parts.push(
    `${utcText(start, false, true)} to ${utcText(end, false, true)} UTC`
  );
  const intervalSeconds = query.interval_seconds ?? 1;
  const buckets = plural((payload.buckets ?? []).length, 'bucket');
  parts.push(`${buckets} of ${formatIntervalSeconds(intervalSeconds)}`);
  if (isObject(query.group_by)) {
    parts.push(`segments by ${groupByText(query.group_by)}`);
  }
  return `MLflow trace summary: ${parts.join('; ')}`;
}

function sourceText(payload: Loose): string {
  if (payload.source === 'server') {
    return "computed by the tracking server's QueryTraceMetrics";
  }
  return oneLine(payload.source_note || 'computed over search results');
}

function intervalOf(payload: Loose): number {
  return (payload.query || {}).interval_seconds ?? 1;
}

function hasBudgets(payload: Loose): boolean {
  return isObject(payload.query) && isObject(payload.query.budgets);
}

function hasSegments(payload: Loose): boolean {
  return Array.isArray(payload.segments);
}

/** Rows as aligned text: the first column left, the others right. */
function alignedLines(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) =>
    Math.max(...rows.map(row => row[i].length))
  );
  return rows.map(row => {
    const padded = row.map((cell, i) => cell.padStart(widths[i]));
    padded[0] = row[0].padEnd(widths[0]);
    return padded.join('  ').trimEnd();
  });
}

// --- text/plain -------------------------------------------------------------

/** The text/plain table of a summary payload: totals first, then one line per bucket. */
export function renderTraceSummaryText(payload: unknown): string {
  const p = payload as Loose;
  const intervalSeconds = intervalOf(p);
  const cost = hasCost(p);
  const lines = [caption(p)];
  lines.push(
    ...alignedLines([
      columns(p),
      cells('Total', p.totals || {}, cost),
      ...(p.buckets ?? []).map((b: Loose) =>
        cells(bucketLabel(b, intervalSeconds), b, cost)
      )
    ])
  );
  if (hasSegments(p)) {
    lines.push(...alignedLines(segmentLines(p)));
  }
  if (hasBudgets(p)) {
    lines.push(budgetsLine(p));
    const violations = violationsOf(p);
    for (const v of violations.slice(0, MAX_VIOLATION_LINES)) {
      lines.push(`  ${violationText(v, intervalSeconds)}`);
    }
    if (violations.length > MAX_VIOLATION_LINES) {
      lines.push(`  ${moreText(violations.length, MAX_VIOLATION_LINES)}`);
    }
  }
  lines.push(sourceText(p));
  if (typeof p.segments_note === 'string') {
    lines.push(oneLine(p.segments_note));
  }
  return lines.join('\n');
}

// --- text/html --------------------------------------------------------------

/** The whole query's violations of one budget, by bucket index. */
function marksOf(payload: Loose, budget: string, buckets: Loose[]): Marks {
  const index = new Map(buckets.map((b, i) => [b.start_time_ms, i]));
  const marks: Marks = new Map();
  for (const v of violationsOf(payload)) {
    const i = index.get(v.start_time_ms);
    if (v.budget === budget && !('segment' in v) && i !== undefined) {
      const lines = marks.get(i) ?? [];
      lines.push(violationText(v, intervalOf(payload)));
      marks.set(i, lines);
    }
  }
  return marks;
}

function writeCharts(w: SvgWriter, p: Loose, labels: string[]): void {
  const buckets: Loose[] = p.buckets ?? [];
  const budgets: Loose = hasBudgets(p) ? p.query.budgets : {};
  const latency = isNumber(budgets.latency_p90_ms)
    ? {
        limitMs: budgets.latency_p90_ms,
        title: `budget: latency p90 ≤ ${formatDurationMs(budgets.latency_p90_ms)}`
      }
    : null;
  const errorRate = isNumber(budgets.error_rate)
    ? {
        limit: budgets.error_rate,
        title: `budget: error rate ≤ ${percentText(budgets.error_rate)} of each bucket's traces`
      }
    : null;
  const costPerTrace = isNumber(budgets.cost_per_trace)
    ? {
        limit: budgets.cost_per_trace,
        title: `budget: cost per trace ≤ ${moneyText(budgets.cost_per_trace)} times each bucket's traces`
      }
    : null;
  w.open('div');
  writeCountChart(
    w,
    buckets,
    labels,
    marksOf(p, 'error_rate', buckets),
    errorRate
  );
  w.close().open('div');
  writeLatencyChart(
    w,
    buckets,
    labels,
    latency,
    marksOf(p, 'latency_p90_ms', buckets)
  );
  w.close();
  if (hasCost(p)) {
    w.open('div');
    writeCostChart(
      w,
      buckets,
      labels,
      marksOf(p, 'cost_per_trace', buckets),
      costPerTrace
    );
    w.close();
  }
}

/** The static, script-free text/html of a summary payload: caption, charts, tables. */
export function renderTraceSummaryHtml(payload: unknown): string {
  const p = payload as Loose;
  const intervalSeconds = intervalOf(p);
  const buckets: Loose[] = p.buckets ?? [];
  const labels = buckets.map(b => bucketLabel(b, intervalSeconds));
  const cost = hasCost(p);
  const w = new SvgWriter();
  w.open('div', { class: CLS.root });
  w.styleSheet();
  w.element('p', { class: CLS.header }, caption(p));
  w.element('p', { class: CLS.note }, sourceText(p));
  if (typeof p.segments_note === 'string') {
    w.element('p', { class: CLS.note }, oneLine(p.segments_note));
  }
  if (hasBudgets(p)) {
    writeViolations(w, p);
  }
  writeCharts(w, p, labels);
  w.open('table', { class: CLS.table }).open('thead').open('tr');
  for (const column of columns(p)) {
    w.element('th', undefined, column);
  }
  w.close().close().open('tbody');
  const rows: [string, Loose][] = [
    ['Total', p.totals || {}],
    ...labels.map((label, i): [string, Loose] => [label, buckets[i]])
  ];
  for (const [label, figures] of rows) {
    w.open('tr');
    for (const cell of cells(label, figures, cost)) {
      w.element('td', undefined, cell);
    }
    w.close();
  }
  w.close().close();
  if (hasSegments(p)) {
    w.element(
      'p',
      { class: CLS.header },
      `Segments by ${groupByText((p.query || {}).group_by ?? {})}`
    );
    writeSegments(w, p, labels);
  }
  if (Array.isArray(p.quality) && p.quality.length > 0) {
    writeQuality(w, p, labels);
  }
  if (isObject(p.spans)) {
    writeSpans(w, p);
  }
  return w.toString();
}
