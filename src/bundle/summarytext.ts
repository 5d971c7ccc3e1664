/**
 * The trace summary's figures as text, shared by its text/plain and
 * text/html fallbacks; byte for byte as `_summary_fallback_text.py`.
 *
 * #### Notes
 * Numbers go through formatCount, formatDurationMs, Math.round and
 * toPrecision only, which the Python twin reproduces exactly.
 */
import { formatCount, formatDurationMs } from '../trace/format';
import { oneLine } from './format';
import { ellipsize } from './util';

/** A payload as the fallbacks read it: any field may be missing. */
export type Loose = Record<string, any>;

const LAST_MS = 253402300799999; // 9999-12-31T23:59:59.999Z
/** Longest segment value, assessment name or span key shown, in characters. */
export const MAX_LABEL_CHARS = 60;

export function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `2026-12-01 00:00` (`:00`, `.000` when asked), UTC; out of range as ms. */
export function utcText(ms: number, seconds = false, millis = false): string {
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

/** A ratio as a percentage with one decimal: `33.3%`. */
export function percentText(ratio: number): string {
  return `${String(Math.round(ratio * 1000) / 10)}%`;
}

/** `1 (33.3%)`: errors and their share of the traces. */
export function errorText(figures: Loose): string {
  const traces = figures.traces ?? 0;
  const errors = figures.errors ?? 0;
  if (!traces) {
    return formatCount(errors);
  }
  return `${formatCount(errors)} (${percentText(errors / traces)})`;
}

/** US dollars: cents from $1 up, else three significant digits; '–' when unknown. */
export function moneyText(value: unknown): string {
  if (!isNumber(value)) {
    return '–';
  }
  if (Math.abs(value) >= 1) {
    return `$${String(Math.round(value * 100) / 100)}`;
  }
  return `$${String(Number(value.toPrecision(3)))}`;
}

/** A mean or score, three significant digits; '–' when unknown. */
export function meanText(value: unknown): string {
  return isNumber(value) ? String(Number(value.toPrecision(3))) : '–';
}

/** A share (0..1) as a percentage; '–' when unknown. */
export function shareText(value: unknown): string {
  return isNumber(value) ? percentText(value) : '–';
}

export function latencyText(figures: Loose, name: string): string {
  const latency = figures.latency_ms;
  return isObject(latency) ? formatDurationMs(latency[name]) : '–';
}

export function tokensText(figures: Loose, name: string): string {
  const count = (figures.tokens || {})[name];
  return count === null || count === undefined ? '–' : formatCount(count);
}

/** The total cost of a bucket or range, or null. */
export function costOf(figures: Loose): number | null {
  const cost = figures.cost;
  return isObject(cost) && isNumber(cost.total) ? cost.total : null;
}

/** A string from the payload on one line, cut to `max` characters. */
export function label(text: unknown, max = MAX_LABEL_CHARS): string {
  return ellipsize(oneLine(String(text)), max);
}

/** A segment's value as shown: quoted, or `(no value)` for traces without the key. */
export function segmentText(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(label(value))
    : '(no value)';
}

/** `tag version` or `metadata segment`: what the segments are values of. */
export function groupByText(groupBy: Loose): string {
  return `${groupBy.kind === 'metadata' ? 'metadata' : 'tag'} ${label(groupBy.key ?? '')}`;
}

/** A limit or a measured value in its budget's unit. */
export function budgetValueText(budget: string, value: unknown): string {
  if (!isNumber(value)) {
    return '–';
  }
  if (budget === 'error_rate') {
    return percentText(value);
  }
  return budget === 'cost_per_trace'
    ? moneyText(value)
    : formatDurationMs(value);
}

const BUDGET_NAMES = new Map([
  ['error_rate', 'error rate'],
  ['latency_p90_ms', 'latency p90'],
  ['cost_per_trace', 'cost per trace'],
  ['span_p90_ms', 'p90']
]);

/** `error rate`, `latency p90`…: a budget's name as shown. */
export function budgetName(budget: unknown): string {
  return BUDGET_NAMES.get(String(budget)) ?? label(budget);
}

/** `traces`, or `span name "retrieve"` / `span type "LLM"`. */
export function subjectText(violation: Loose): string {
  if (violation.budget !== 'span_p90_ms') {
    return label(violation.subject ?? 'traces');
  }
  const field = violation.span_field === 'span_type' ? 'type' : 'name';
  return `span ${field} ${JSON.stringify(label(violation.subject ?? ''))}`;
}

/** Where a violation happened: the bucket's time or `whole range`, and the segment. */
export function whereText(violation: Loose, intervalSeconds: number): string {
  const when = isNumber(violation.start_time_ms)
    ? utcText(violation.start_time_ms, intervalSeconds % 60 !== 0)
    : 'whole range';
  return 'segment' in violation
    ? `${when}, segment ${segmentText(violation.segment)}`
    : when;
}

/** One line per violation: `latency p90 of traces 925 ms > 800 ms (2026-12-01 01:00)`. */
export function violationText(
  violation: Loose,
  intervalSeconds: number
): string {
  const value = budgetValueText(violation.budget, violation.value);
  const limit = budgetValueText(violation.budget, violation.limit);
  return (
    `${budgetName(violation.budget)} of ${subjectText(violation)} ${value} > ${limit}` +
    ` (${whereText(violation, intervalSeconds)})`
  );
}

/** `latency p90 ≤ 800 ms, span name "retrieve" p90 ≤ 150 ms`: the budgets asked for. */
export function budgetsText(budgets: Loose): string {
  const parts: string[] = [];
  for (const name of ['error_rate', 'latency_p90_ms', 'cost_per_trace']) {
    if (isNumber(budgets[name])) {
      parts.push(
        `${budgetName(name)} ≤ ${budgetValueText(name, budgets[name])}`
      );
    }
  }
  for (const span of Array.isArray(budgets.spans) ? budgets.spans : []) {
    if (isObject(span)) {
      const subject = subjectText({
        budget: 'span_p90_ms',
        subject: span.span_name ?? span.span_type,
        span_field: 'span_type' in span ? 'span_type' : 'span_name'
      });
      parts.push(
        `${subject} p90 ≤ ${budgetValueText('span_p90_ms', span.p90_ms)}`
      );
    }
  }
  return parts.join(', ');
}
