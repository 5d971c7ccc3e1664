/**
 * The static text/html and text/plain fallbacks of a trace summary, byte
 * for byte as the Python package's `_summary_fallback.py` writes them.
 *
 * #### Notes
 * `text/plain` is a table: a caption, the totals, one line per bucket, then
 * who computed it. `text/html` is the same table after two inline SVG
 * charts (traces and errors per bucket as bars; latency p50/p90/p99 as
 * lines), written with the escaping builder: every string from the payload
 * is escaped text, every SVG attribute a number or a constant, no link.
 * Coordinates are integers (integer division of integers, or Math.round of
 * one float expression), so both languages write the same bytes.
 */
import {
  formatCount,
  formatDurationMs,
  formatIntervalSeconds
} from '../trace/format';
import { oneLine, plural } from './format';
import { escapeHtml, FALLBACK_CLASS as CLS, HtmlWriter } from './html';
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
/** Colours of the charts (presentation attributes: they hold without CSS). */
const COLOURS: Record<string, string> = {
  traces: '#1976d2',
  errors: '#d32f2f',
  p50: '#1976d2',
  p90: '#f57c00',
  p99: '#d32f2f'
};
/** SVG elements and attributes the charts write: closed sets. */
type SvgTag = 'svg' | 'g' | 'rect' | 'polyline' | 'circle' | 'text' | 'title';
type SvgAttribute =
  | 'xmlns'
  | 'width'
  | 'height'
  | 'viewBox'
  | 'role'
  | 'aria-label'
  | 'x'
  | 'y'
  | 'cx'
  | 'cy'
  | 'r'
  | 'fill'
  | 'stroke'
  | 'stroke-width'
  | 'points'
  | 'font-size'
  | 'text-anchor';
const WIDTH = 640;
const HEIGHT = 160;
const LEFT = 56;
const RIGHT = 8;
const TOP = 16;
const BOTTOM = 20;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const MAX_FILTER_CHARS = 200;
const LAST_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

/** A payload as the fallbacks read it: any field may be missing. */
type Loose = Record<string, any>;

/** The escaping writer, with the charts' SVG elements: closed tag and attribute sets. */
class SvgWriter extends HtmlWriter {
  /** Opens an SVG element; attribute values are numbers or constants. */
  svg(
    tag: SvgTag,
    attributes: Partial<Record<SvgAttribute, string | number>> = {}
  ): this {
    let text = '';
    for (const [name, value] of Object.entries(attributes)) {
      text += ` ${name}="${escapeHtml(String(value))}"`;
    }
    this.raw(`<${tag}${text}>`);
    this._open.push(tag);
    return this;
  }
}

// --- figures as text --------------------------------------------------------

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `2026-12-01 00:00` (`:00`, `.000` when asked), UTC; out of range as ms. */
function utcText(ms: number, seconds = false, millis = false): string {
  if (!(ms >= 0 && ms <= LAST_MS)) {
    return `${ms} ms`;
  }
  const when = new Date(ms);
  let text =
    `${pad(when.getUTCFullYear(), 4)}-${pad(when.getUTCMonth() + 1)}-` +
    `${pad(when.getUTCDate())} ${pad(when.getUTCHours())}:${pad(when.getUTCMinutes())}`;
  if (seconds || millis) {
    text += `:${pad(when.getUTCSeconds())}`;
  }
  return text + (millis ? `.${pad(((ms % 1000) + 1000) % 1000, 3)}` : '');
}

/** `1 (33.3%)`: errors and their share of the traces. */
function errorText(figures: Loose): string {
  const traces = figures.traces ?? 0;
  const errors = figures.errors ?? 0;
  if (!traces) {
    return formatCount(errors);
  }
  return `${formatCount(errors)} (${String(Math.round((errors / traces) * 1000) / 10)}%)`;
}

function latencyText(figures: Loose, name: string): string {
  const latency = figures.latency_ms;
  return isObject(latency) ? formatDurationMs(latency[name]) : '–';
}

function tokensText(figures: Loose, name: string): string {
  const count = (figures.tokens || {})[name];
  return count === null || count === undefined ? '–' : formatCount(count);
}

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cells(label: string, figures: Loose): string[] {
  return [
    label,
    formatCount(figures.traces ?? 0),
    errorText(figures),
    ...PERCENTILES.map(name => latencyText(figures, name)),
    ...TOKENS.map(name => tokensText(figures, name))
  ];
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

// --- text/plain -------------------------------------------------------------

/** The text/plain table of a summary payload: totals first, then one line per bucket. */
export function renderTraceSummaryText(payload: unknown): string {
  const p = payload as Loose;
  const intervalSeconds = intervalOf(p);
  const rows: string[][] = [
    COLUMNS,
    cells('Total', p.totals || {}),
    ...(p.buckets ?? []).map((b: Loose) =>
      cells(bucketLabel(b, intervalSeconds), b)
    )
  ];
  const widths = COLUMNS.map((_, i) =>
    Math.max(...rows.map(row => row[i].length))
  );
  const lines = [caption(p)];
  for (const row of rows) {
    const padded = row.map((cell, i) => cell.padStart(widths[i]));
    padded[0] = row[0].padEnd(widths[0]);
    lines.push(padded.join('  ').trimEnd());
  }
  lines.push(sourceText(p));
  return lines.join('\n');
}

// --- text/html --------------------------------------------------------------

/** The x of each bucket's left edge, and the right edge last. */
function slots(count: number): number[] {
  return Array.from(
    { length: count + 1 },
    (_, i) => LEFT + Math.floor((i * PLOT_W) / Math.max(count, 1))
  );
}

function yOf(value: number, top: number): number {
  return TOP + PLOT_H - Math.round((value * PLOT_H) / top);
}

function axis(w: SvgWriter, topLabel: string, first: string, last: string) {
  const small = { 'font-size': 10, fill: 'currentColor' };
  w.svg('text', { x: LEFT - 4, y: TOP + 4, 'text-anchor': 'end', ...small });
  w.text(topLabel).close();
  w.svg('text', {
    x: LEFT - 4,
    y: TOP + PLOT_H,
    'text-anchor': 'end',
    ...small
  })
    .text('0')
    .close();
  w.svg('text', { x: LEFT, y: HEIGHT - 4, ...small })
    .text(first)
    .close();
  w.svg('text', {
    x: WIDTH - RIGHT,
    y: HEIGHT - 4,
    'text-anchor': 'end',
    ...small
  })
    .text(last)
    .close();
}

function legend(w: SvgWriter, names: string[]): void {
  names.forEach((name, i) => {
    w.svg('text', {
      x: LEFT + 8 + 56 * i,
      y: TOP - 4,
      'font-size': 10,
      fill: COLOURS[name]
    });
    w.text(name).close();
  });
}

function openChart(w: SvgWriter, label: string): void {
  w.svg('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width: WIDTH,
    height: HEIGHT,
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': label
  });
}

/** Traces (and their errors, overlaid) per bucket as bars. */
function writeCountChart(w: SvgWriter, buckets: Loose[], labels: string[]) {
  const top = Math.max(...buckets.map(b => b.traces ?? 0), 1);
  const xs = slots(buckets.length);
  openChart(w, 'Traces and errors per time bucket');
  buckets.forEach((bucket, i) => {
    const x = xs[i];
    const width = Math.max(xs[i + 1] - xs[i] - 1, 1);
    const traces = bucket.traces ?? 0;
    const errors = bucket.errors ?? 0;
    const title = `${labels[i]}: ${plural(traces, 'trace')}, ${plural(errors, 'error')}`;
    w.svg('g').svg('title').text(title).close();
    for (const [name, count] of [
      ['traces', traces],
      ['errors', errors]
    ] as const) {
      if (count > 0) {
        const y = TOP + PLOT_H - Math.floor((count * PLOT_H) / top);
        w.svg('rect', {
          x,
          y,
          width,
          height: TOP + PLOT_H - y,
          fill: COLOURS[name]
        }).close();
      }
    }
    w.close();
  });
  axis(w, formatCount(top), labels[0] ?? '', labels[labels.length - 1] ?? '');
  legend(w, ['traces', 'errors']);
  w.close();
}

/** Latency p50, p90 and p99 per bucket as lines (a dot where a point stands alone). */
function writeLatencyChart(w: SvgWriter, buckets: Loose[], labels: string[]) {
  const values = buckets.map(b =>
    isObject(b.latency_ms) ? b.latency_ms : null
  );
  const top = Math.max(
    ...values.filter((v): v is Loose => v !== null).map(v => v.p99),
    1
  );
  const xs = slots(buckets.length);
  openChart(w, 'Latency p50, p90 and p99 per time bucket');
  for (const name of PERCENTILES) {
    const runs: [number, number][][] = [[]];
    values.forEach((value, i) => {
      if (value === null) {
        runs.push([]);
      } else {
        runs[runs.length - 1].push([
          Math.floor((xs[i] + xs[i + 1]) / 2),
          yOf(value[name], top)
        ]);
      }
    });
    for (const run of runs.filter(r => r.length > 0)) {
      if (run.length === 1) {
        w.svg('circle', {
          cx: run[0][0],
          cy: run[0][1],
          r: 2,
          fill: COLOURS[name]
        }).close();
      } else {
        w.svg('polyline', {
          points: run.map(([x, y]) => `${x},${y}`).join(' '),
          fill: 'none',
          stroke: COLOURS[name],
          'stroke-width': 1.5
        }).close();
      }
    }
  }
  axis(
    w,
    formatDurationMs(top),
    labels[0] ?? '',
    labels[labels.length - 1] ?? ''
  );
  legend(w, PERCENTILES);
  w.close();
}

/** The static, script-free text/html of a summary payload: caption, charts, table. */
export function renderTraceSummaryHtml(payload: unknown): string {
  const p = payload as Loose;
  const intervalSeconds = intervalOf(p);
  const buckets: Loose[] = p.buckets ?? [];
  const labels = buckets.map(b => bucketLabel(b, intervalSeconds));
  const w = new SvgWriter();
  w.open('div', { class: CLS.root });
  w.styleSheet();
  w.element('p', { class: CLS.header }, caption(p));
  w.element('p', { class: CLS.note }, sourceText(p));
  w.open('div');
  writeCountChart(w, buckets, labels);
  w.close().open('div');
  writeLatencyChart(w, buckets, labels);
  w.close();
  w.open('table', { class: CLS.table }).open('thead').open('tr');
  for (const column of COLUMNS) {
    w.element('th', undefined, column);
  }
  w.close().close().open('tbody');
  const rows: [string, Loose][] = [
    ['Total', p.totals || {}],
    ...labels.map((label, i): [string, Loose] => [label, buckets[i]])
  ];
  for (const [label, figures] of rows) {
    w.open('tr');
    for (const cell of cells(label, figures)) {
      w.element('td', undefined, cell);
    }
    w.close();
  }
  return w.toString();
}
