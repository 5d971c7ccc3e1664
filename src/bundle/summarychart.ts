/**
 * The trace summary fallback's inline SVG charts, byte for byte as
 * `_summary_fallback_charts.py` draws them.
 *
 * #### Notes
 * Written with the escaping builder: every string from the payload is
 * escaped text (in `text` and `title` elements), every attribute a number
 * or a constant from closed sets, no link. Coordinates are integers
 * (integer division of integers, or Math.round of one float expression),
 * so both languages write the same bytes.
 */
import { formatCount, formatDurationMs } from '../trace/format';
import { plural } from './format';
import { escapeHtml, HtmlWriter } from './html';
import { costOf, isNumber, isObject, Loose, moneyText } from './summarytext';

/** Colours of the charts (presentation attributes: they hold without CSS). */
export const COLOURS: Record<string, string> = {
  traces: '#1976d2',
  errors: '#d32f2f',
  p50: '#1976d2',
  p90: '#f57c00',
  p99: '#d32f2f',
  cost: '#388e3c',
  budget: '#7b1fa2',
  broken: '#d32f2f'
};
/** One colour per segment or assessment name, in order (12: the most segments). */
export const SERIES_COLOURS = [
  '#1976d2',
  '#f57c00',
  '#388e3c',
  '#7b1fa2',
  '#c2185b',
  '#0097a7',
  '#5d4037',
  '#fbc02d',
  '#455a64',
  '#e64a19',
  '#512da8',
  '#689f38'
];
const PERCENTILES = ['p50', 'p90', 'p99'];
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

/** The escaping writer, with the charts' SVG elements: closed tag and attribute sets. */
export class SvgWriter extends HtmlWriter {
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

/** Violations per bucket index: each bucket's lines, marked under the plot. */
export type Marks = Map<number, string[]>;

/** A line of a chart: its name (a `title`), colour and value per bucket. */
export interface ISeries {
  name: string;
  colour: string;
  values: (number | null)[];
}

/** The x of each bucket's left edge, and the right edge last. */
function slots(count: number): number[] {
  return Array.from(
    { length: count + 1 },
    (_, i) => LEFT + Math.floor((i * PLOT_W) / Math.max(count, 1))
  );
}

/** The y of `value` on a scale from `bottom` (the plot's foot) to `top`. */
function yOf(value: number, top: number, bottom = 0): number {
  return (
    TOP + PLOT_H - Math.round(((value - bottom) * PLOT_H) / (top - bottom))
  );
}

function axis(
  w: SvgWriter,
  topLabel: string,
  labels: string[],
  bottomLabel = '0'
) {
  const small = { 'font-size': 10, fill: 'currentColor' };
  w.svg('text', { x: LEFT - 4, y: TOP + 4, 'text-anchor': 'end', ...small });
  w.text(topLabel).close();
  w.svg('text', {
    x: LEFT - 4,
    y: TOP + PLOT_H,
    'text-anchor': 'end',
    ...small
  })
    .text(bottomLabel)
    .close();
  w.svg('text', { x: LEFT, y: HEIGHT - 4, ...small })
    .text(labels[0] ?? '')
    .close();
  w.svg('text', {
    x: WIDTH - RIGHT,
    y: HEIGHT - 4,
    'text-anchor': 'end',
    ...small
  })
    .text(labels[labels.length - 1] ?? '')
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

/** A line through the known values (a dot where a point stands alone). */
function writeLine(
  w: SvgWriter,
  values: (number | null)[],
  xs: number[],
  y: (value: number) => number,
  colour: string
): void {
  const runs: [number, number][][] = [[]];
  values.forEach((value, i) => {
    if (!isNumber(value)) {
      runs.push([]);
    } else {
      runs[runs.length - 1].push([
        Math.floor((xs[i] + xs[i + 1]) / 2),
        y(value)
      ]);
    }
  });
  for (const run of runs.filter(r => r.length > 0)) {
    if (run.length === 1) {
      w.svg('circle', { cx: run[0][0], cy: run[0][1], r: 2, fill: colour });
    } else {
      w.svg('polyline', {
        points: run.map(([x, yy]) => `${x},${yy}`).join(' '),
        fill: 'none',
        stroke: colour,
        'stroke-width': 1.5
      });
    }
    w.close();
  }
}

/** The budget as a horizontal line across the plot, named by its title. */
function writeBudgetLine(w: SvgWriter, y: number, title: string): void {
  w.svg('g').svg('title').text(title).close();
  w.svg('polyline', {
    points: `${LEFT},${y} ${WIDTH - RIGHT},${y}`,
    fill: 'none',
    stroke: COLOURS.budget,
    'stroke-width': 1
  });
  w.close().close();
}

/** A per-trace budget as a step per bucket: the limit times the bucket's traces. */
export interface IStepBudget {
  limit: number;
  title: string;
}

function steps(buckets: Loose[], budget: IStepBudget | null): number[] {
  return budget === null
    ? []
    : buckets.map(b => budget.limit * (isNumber(b.traces) ? b.traces : 0));
}

/** The budget as a step line: a bar above its step breaks the budget. */
function writeStepLine(
  w: SvgWriter,
  values: number[],
  xs: number[],
  y: (value: number) => number,
  title: string
): void {
  if (values.length === 0) {
    return;
  }
  const points = values.flatMap((v, i) => [
    `${xs[i]},${y(v)}`,
    `${xs[i + 1]},${y(v)}`
  ]);
  w.svg('g').svg('title').text(title).close();
  w.svg('polyline', {
    points: points.join(' '),
    fill: 'none',
    stroke: COLOURS.budget,
    'stroke-width': 1
  });
  w.close().close();
}

/** A band under each bucket that broke a budget, its violations as the title. */
function writeMarks(w: SvgWriter, marks: Marks, xs: number[]): void {
  for (const [i, lines] of [...marks.entries()].sort((a, b) => a[0] - b[0])) {
    w.svg('g').svg('title').text(lines.join('\n')).close();
    w.svg('rect', {
      x: xs[i],
      y: TOP + PLOT_H + 1,
      width: Math.max(xs[i + 1] - xs[i] - 1, 1),
      height: 3,
      fill: COLOURS.broken
    });
    w.close().close();
  }
}

/** Traces (and their errors, overlaid) per bucket as bars. */
export function writeCountChart(
  w: SvgWriter,
  buckets: Loose[],
  labels: string[],
  marks: Marks,
  budget: IStepBudget | null = null
) {
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
  writeStepLine(
    w,
    steps(buckets, budget),
    xs,
    v => yOf(v, top),
    budget?.title ?? ''
  );
  writeMarks(w, marks, xs);
  axis(w, formatCount(top), labels);
  legend(w, ['traces', 'errors']);
  w.close();
}

/** Latency p50, p90 and p99 per bucket as lines, and the p90 budget as a line. */
export function writeLatencyChart(
  w: SvgWriter,
  buckets: Loose[],
  labels: string[],
  budget: { limitMs: number; title: string } | null,
  marks: Marks
) {
  const values = buckets.map(b =>
    isObject(b.latency_ms) ? b.latency_ms : null
  );
  const top = Math.max(
    ...values.filter((v): v is Loose => v !== null).map(v => v.p99),
    budget === null ? 1 : budget.limitMs,
    1
  );
  const xs = slots(buckets.length);
  openChart(w, 'Latency p50, p90 and p99 per time bucket');
  for (const name of PERCENTILES) {
    const line = values.map(v =>
      v !== null && isNumber(v[name]) ? (v[name] as number) : null
    );
    writeLine(w, line, xs, v => yOf(v, top), COLOURS[name]);
  }
  if (budget !== null) {
    writeBudgetLine(w, yOf(budget.limitMs, top), budget.title);
  }
  writeMarks(w, marks, xs);
  axis(w, formatDurationMs(top), labels);
  legend(w, PERCENTILES);
  w.close();
}

/** The spans' total cost per bucket as bars (by each span's start time). */
export function writeCostChart(
  w: SvgWriter,
  buckets: Loose[],
  labels: string[],
  marks: Marks,
  budget: IStepBudget | null = null
) {
  const costs = buckets.map(costOf);
  const known = costs.filter((c): c is number => c !== null);
  const limits = steps(buckets, budget);
  const top = Math.max(...known, ...limits, 0) || 1;
  const xs = slots(buckets.length);
  openChart(w, 'Cost per time bucket');
  costs.forEach((cost, i) => {
    w.svg('g')
      .svg('title')
      .text(`${labels[i]}: ${moneyText(cost)}`)
      .close();
    if (cost !== null && cost > 0) {
      const y = yOf(cost, top);
      w.svg('rect', {
        x: xs[i],
        y,
        width: Math.max(xs[i + 1] - xs[i] - 1, 1),
        height: TOP + PLOT_H - y,
        fill: COLOURS.cost
      }).close();
    }
    w.close();
  });
  writeStepLine(w, limits, xs, v => yOf(v, top), budget?.title ?? '');
  writeMarks(w, marks, xs);
  axis(w, moneyText(top), labels, '$0');
  legend(w, ['cost']);
  w.close();
}

/**
 * Lines per bucket, one per series (segments side by side, an assessment's
 * mean), each in a `g` named by its `title`; a budget line when given. The
 * chart's label is a constant; its heading (escaped text) may hold a name.
 */
export function writeSeriesChart(
  w: SvgWriter,
  chart: { label: string; heading: string },
  series: ISeries[],
  labels: string[],
  format: (value: number) => string,
  budget: { limit: number; title: string } | null = null
): void {
  const known = series.flatMap(s => s.values.filter(isNumber));
  const bottom = Math.min(...known, 0);
  let top = Math.max(...known, budget === null ? 0 : budget.limit, 0);
  if (top <= bottom) {
    top = bottom + 1;
  }
  const xs = slots(labels.length);
  openChart(w, chart.label);
  for (const s of series) {
    w.svg('g').svg('title').text(s.name).close();
    writeLine(w, s.values, xs, v => yOf(v, top, bottom), s.colour);
    w.close();
  }
  if (budget !== null) {
    writeBudgetLine(w, yOf(budget.limit, top, bottom), budget.title);
  }
  axis(w, format(top), labels, bottom === 0 ? '0' : format(bottom));
  w.svg('text', {
    x: LEFT + 8,
    y: TOP - 4,
    'font-size': 10,
    fill: 'currentColor'
  });
  w.text(chart.heading).close();
  w.close();
}
