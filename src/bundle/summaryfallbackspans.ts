/**
 * Where time and cost go, in the trace summary's text/html fallback: for
 * span names, then span types, bars of each row's share of the time and of
 * the cost, then the table as ranked; byte for byte as
 * `_summary_fallback_spans.py`.
 *
 * #### Notes
 * Span names and types are escaped text (in `text` and `title` elements
 * and table cells); every SVG attribute is a number or a constant.
 */
import { formatCount, formatDurationMs } from '../trace/format';
import { FALLBACK_CLASS as CLS } from './html';
import { COLOURS, SvgWriter } from './summarychart';
import { headerRow, list, violationsOf } from './summarysections';
import {
  isNumber,
  isObject,
  label,
  Loose,
  moneyText,
  shareText
} from './summarytext';

const SPAN_COLUMNS = [
  '#',
  'Count',
  'Errors',
  'p50',
  'p90',
  'Total time',
  'Share of time',
  'Cost',
  'Share of cost'
];
const WIDTH = 640;
const HEAD = 16;
const ROW_H = 18;
const BAR_X = 208;
const BAR_W = 424;
/** Longest span name or type beside a bar, in characters. */
const MAX_BAR_LABEL_CHARS = 32;

type SpanField = 'span_name' | 'span_type';

/** The span rows whose p90 broke a span budget: `span_name:key`, `span_type:key`. */
function brokenRows(payload: Loose): Set<string> {
  return new Set(
    violationsOf(payload)
      .filter(v => v.budget === 'span_p90_ms')
      .map(v => `${v.span_field}:${String(v.subject)}`)
  );
}

/** A bar of `share` on the scale to `top`, when there is a share to draw. */
function writeBar(
  w: SvgWriter,
  share: unknown,
  top: number,
  y: number,
  height: number,
  fill: string
): void {
  if (isNumber(share) && share > 0) {
    const width = Math.max(Math.round((share * BAR_W) / top), 1);
    w.svg('rect', { x: BAR_X, y, width, height, fill }).close();
  }
}

/** Each row's share of the time (upper bar) and of the cost (lower bar). */
function writeShareChart(
  w: SvgWriter,
  rows: Loose[],
  field: SpanField,
  broken: Set<string>
): void {
  const what = field === 'span_name' ? 'span name' : 'span type';
  const shares = rows
    .flatMap(row => [row.share_time, row.share_cost])
    .filter(isNumber);
  const top = Math.max(...shares, 1);
  const height = HEAD + rows.length * ROW_H + 4;
  w.svg('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width: WIDTH,
    height,
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'img',
    'aria-label': `Share of time and cost by ${what}`
  });
  w.svg('text', { x: 4, y: 12, 'font-size': 10, fill: 'currentColor' });
  w.text(`Share of time (upper bar) and of cost (lower bar), by ${what}`);
  w.close();
  rows.forEach((row, i) => {
    const y = HEAD + i * ROW_H;
    const key = label(row.key ?? '');
    const late = broken.has(`${field}:${String(row.key)}`);
    w.svg('g').svg('title');
    w.text(
      `${key}: ${shareText(row.share_time)} of the time, ` +
        `${shareText(row.share_cost)} of the cost` +
        (late ? ', p90 over its budget' : '')
    );
    w.close();
    w.svg('text', {
      x: 4,
      y: y + 11,
      'font-size': 10,
      fill: late ? COLOURS.broken : 'currentColor'
    });
    w.text(label(row.key ?? '', MAX_BAR_LABEL_CHARS)).close();
    writeBar(w, row.share_time, top, y + 1, 9, COLOURS.traces);
    writeBar(w, row.share_cost, top, y + 11, 4, COLOURS.cost);
    w.close();
  });
  w.close();
}

function writeSpanTable(
  w: SvgWriter,
  rows: Loose[],
  field: SpanField,
  broken: Set<string>
): void {
  const heading = field === 'span_name' ? 'Span name' : 'Span type';
  w.open('table', { class: CLS.table });
  headerRow(w, [SPAN_COLUMNS[0], heading, ...SPAN_COLUMNS.slice(1)]);
  w.open('tbody');
  rows.forEach((row, i) => {
    const latency = isObject(row.latency_ms) ? row.latency_ms : {};
    const late = broken.has(`${field}:${String(row.key)}`);
    w.open('tr');
    w.element('td', undefined, `${i + 1}`);
    w.element('td', undefined, label(row.key ?? ''));
    w.element('td', undefined, formatCount(row.count ?? 0));
    w.element('td', undefined, formatCount(row.errors ?? 0));
    w.element('td', undefined, formatDurationMs(latency.p50));
    w.element(
      'td',
      late ? { class: CLS.error } : undefined,
      formatDurationMs(latency.p90)
    );
    for (const cell of [
      formatDurationMs(row.total_ms),
      shareText(row.share_time),
      moneyText(row.cost),
      shareText(row.share_cost)
    ]) {
      w.element('td', undefined, cell);
    }
    w.close();
  });
  w.close().close();
}

/** Where time and cost go: span names, then span types, as ranked. */
export function writeSpans(w: SvgWriter, payload: Loose): void {
  const spans = payload.spans;
  const broken = brokenRows(payload);
  w.element('p', { class: CLS.header }, 'Where time and cost go');
  for (const field of ['span_name', 'span_type'] as const) {
    const rows = list(field === 'span_name' ? spans.by_name : spans.by_type);
    if (rows.length > 0) {
      w.open('div');
      writeShareChart(w, rows, field, broken);
      w.close();
    }
    writeSpanTable(w, rows, field, broken);
  }
}
