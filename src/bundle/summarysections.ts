/**
 * The optional parts of a trace summary's fallbacks: budgets and their
 * violations, segments side by side and quality per assessment name (where
 * time and cost go: summaryfallbackspans.ts); byte for byte as
 * `_summary_fallback_sections.py`.
 *
 * #### Notes
 * Every string from the payload (segment values, assessment names and
 * values, span names and types, notes) is escaped text, one line, cut.
 */
import { formatCount, formatDurationMs } from '../trace/format';
import { plural } from './format';
import { FALLBACK_CLASS as CLS } from './html';
import {
  ISeries,
  SERIES_COLOURS,
  SvgWriter,
  writeSeriesChart
} from './summarychart';
import {
  budgetsText,
  budgetName,
  budgetValueText,
  errorText,
  groupByText,
  isNumber,
  isObject,
  label,
  latencyText,
  Loose,
  meanText,
  moneyText,
  segmentText,
  subjectText,
  whereText
} from './summarytext';

/** Assessment names drawn as charts (all are in the table). */
const MAX_QUALITY_CHARTS = 6;
const VIOLATION_COLUMNS = ['Budget', 'Of', 'Value', 'Limit', 'Where'];
/** Violations listed in the text/html table and in text/plain; the rest are counted. */
export const MAX_VIOLATION_ROWS = 50;
export const MAX_VIOLATION_LINES = 10;
const SEGMENT_COLUMNS = ['Traces', 'Errors', 'p50', 'p90', 'p99', 'Cost'];

/** The objects of a list; [] when it is not one. */
export function list(value: unknown): Loose[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** A table's head row. */
export function headerRow(w: SvgWriter, columns: string[]): void {
  w.open('thead').open('tr');
  for (const column of columns) {
    w.element('th', undefined, column);
  }
  w.close().close();
}

/** The violations the payload lists. */
export function violationsOf(payload: Loose): Loose[] {
  return list(payload.violations);
}

/** The budgets asked for, then `2 violations` or `no budget broken`. */
export function budgetsLine(payload: Loose): string {
  const count = violationsOf(payload).length;
  const verdict = count === 0 ? 'no budget broken' : plural(count, 'violation');
  return `Budgets: ${budgetsText(payload.query.budgets)}: ${verdict}`;
}

/** The budgets asked for, then one row per violation. */
export function writeViolations(w: SvgWriter, payload: Loose): void {
  const violations = violationsOf(payload);
  const intervalSeconds = payload.query.interval_seconds ?? 1;
  const attrs = { class: violations.length > 0 ? CLS.error : CLS.note };
  w.element('p', attrs, budgetsLine(payload));
  if (violations.length === 0) {
    return;
  }
  w.open('table', { class: CLS.table });
  headerRow(w, VIOLATION_COLUMNS);
  w.open('tbody');
  for (const v of violations.slice(0, MAX_VIOLATION_ROWS)) {
    w.open('tr');
    for (const cell of [
      budgetName(v.budget),
      subjectText(v),
      budgetValueText(v.budget, v.value),
      budgetValueText(v.budget, v.limit),
      whereText(v, intervalSeconds)
    ]) {
      w.element('td', undefined, cell);
    }
    w.close();
  }
  w.close().close();
  if (violations.length > MAX_VIOLATION_ROWS) {
    w.element(
      'p',
      { class: CLS.note },
      moreText(violations.length, MAX_VIOLATION_ROWS)
    );
  }
}

/** `… and 12 more violations`: what a list cut at `shown` left out. */
export function moreText(count: number, shown: number): string {
  return `… and ${plural(count - shown, 'more violation')}`;
}

/** A segment's figures: traces, errors, p50, p90, p99, cost. */
export function segmentCells(totals: Loose): string[] {
  return [
    formatCount(totals.traces ?? 0),
    errorText(totals),
    ...['p50', 'p90', 'p99'].map(name => latencyText(totals, name)),
    moneyText(isObject(totals.cost) ? totals.cost.total : null)
  ];
}

/** The text/plain lines of the segments: a table, each segment's totals. */
export function segmentLines(payload: Loose): string[][] {
  const head = `Segment (${groupByText((payload.query || {}).group_by ?? {})})`;
  return [
    [head, ...SEGMENT_COLUMNS],
    ...list(payload.segments).map(s => [
      segmentText(s.value),
      ...segmentCells(isObject(s.totals) ? s.totals : {})
    ])
  ];
}

/** A square of a series' colour, the key of the charts beside a table row. */
function swatch(w: SvgWriter, colour: string): void {
  w.svg('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width: 10,
    height: 10,
    viewBox: '0 0 10 10',
    role: 'img',
    'aria-label': 'colour in the charts'
  });
  w.svg('rect', { x: 0, y: 0, width: 10, height: 10, fill: colour }).close();
  w.close().text(' ');
}

/** Each segment's totals, then its traces and p90 per bucket side by side. */
export function writeSegments(
  w: SvgWriter,
  payload: Loose,
  labels: string[]
): void {
  const segments = list(payload.segments);
  const rows = segmentLines(payload);
  w.open('table', { class: CLS.table });
  headerRow(w, rows[0]);
  w.open('tbody');
  segments.forEach((_, i) => {
    w.open('tr').open('td');
    swatch(w, SERIES_COLOURS[i % SERIES_COLOURS.length]);
    w.text(rows[i + 1][0]).close();
    for (const cell of rows[i + 1].slice(1)) {
      w.element('td', undefined, cell);
    }
    w.close();
  });
  w.close().close();
  const series = (value: (bucket: Loose) => number | null): ISeries[] =>
    segments.map((s, i) => ({
      name: segmentText(s.value),
      colour: SERIES_COLOURS[i % SERIES_COLOURS.length],
      values: labels.map((_, j) => {
        const bucket = list(s.buckets)[j];
        return bucket === undefined ? null : value(bucket);
      })
    }));
  const limit = ((payload.query || {}).budgets ?? {}).latency_p90_ms;
  const budget = isNumber(limit)
    ? { limit, title: `budget: latency p90 ≤ ${formatDurationMs(limit)}` }
    : null;
  w.open('div');
  writeSeriesChart(
    w,
    {
      label: 'Traces per time bucket, by segment',
      heading: 'Traces per time bucket, by segment'
    },
    series(b => b.traces ?? 0),
    labels,
    formatCount
  );
  w.close().open('div');
  writeSeriesChart(
    w,
    {
      label: 'Latency p90 per time bucket, by segment',
      heading: 'Latency p90 per time bucket, by segment'
    },
    series(b => (isObject(b.latency_ms) ? b.latency_ms.p90 : null)),
    labels,
    formatDurationMs,
    budget
  );
  w.close();
}

/** `true 3, false 1`: the counts by value of an assessment name. */
export function valuesText(values: unknown): string {
  if (!isObject(values)) {
    return '–';
  }
  return Object.keys(values)
    .map(key => `${label(key, 30)} ${formatCount(values[key])}`)
    .join(', ');
}

/** One row per assessment name, then each name's mean per bucket. */
export function writeQuality(
  w: SvgWriter,
  payload: Loose,
  labels: string[]
): void {
  const quality = list(payload.quality);
  w.element('p', { class: CLS.header }, 'Quality (assessments)');
  w.open('table', { class: CLS.table });
  headerRow(w, ['Assessment', 'Count', 'Mean', 'Values']);
  w.open('tbody');
  for (const q of quality) {
    w.open('tr');
    for (const cell of [
      label(q.name ?? ''),
      formatCount(q.count ?? 0),
      meanText(q.mean),
      valuesText(q.values)
    ]) {
      w.element('td', undefined, cell);
    }
    w.close();
  }
  w.close().close();
  const charted = quality.filter(q => isNumber(q.mean));
  charted.slice(0, MAX_QUALITY_CHARTS).forEach((q, i) => {
    const buckets = list(q.buckets);
    const name = label(q.name ?? '');
    w.open('div');
    writeSeriesChart(
      w,
      {
        label: 'Mean of an assessment per time bucket',
        heading: `Mean of ${name} per time bucket`
      },
      [
        {
          name,
          colour: SERIES_COLOURS[i],
          values: labels.map((_, j) =>
            isNumber(buckets[j]?.mean) ? buckets[j].mean : null
          )
        }
      ],
      labels,
      meanText
    );
    w.close();
  });
  if (charted.length > MAX_QUALITY_CHARTS) {
    w.element(
      'p',
      { class: CLS.note },
      `charts of the first ${MAX_QUALITY_CHARTS} names with a mean`
    );
  }
}
