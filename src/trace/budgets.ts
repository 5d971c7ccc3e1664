/**
 * Budgets on a summary and what broke them. Pure; the twin of the Python
 * package's `_summary_options.check_budgets` and `_summary_violations.py`:
 * the same checks in the same order, and violation lines as it prints them
 * (errors name the camelCase keys a TypeScript caller writes).
 *
 * #### Notes
 * Order of the violations: the whole query's range, then its buckets
 * ascending (each error_rate, latency_p90_ms, cost_per_trace), then the
 * span budgets in their order, then each segment's range (trace budgets
 * only). Only a value strictly greater than its limit breaks it; the value
 * is written rounded to six decimals.
 */
import { pyRepr } from './format';
import { roundShare } from './aggregate';

/** A span budget, as the payload writes it. */
export interface ISpanBudgetJson {
  span_name?: string;
  span_type?: string;
  p90_ms: number;
}

/** `query.budgets`, as the payload writes it. */
export interface IBudgetsJson {
  error_rate?: number;
  latency_p90_ms?: number;
  cost_per_trace?: number;
  spans?: ISpanBudgetJson[];
}

/** A span budget, as a TypeScript caller writes it. */
export type SpanBudget =
  { spanName: string; p90Ms: number } | { spanType: string; p90Ms: number };

/** Budgets, as a TypeScript caller writes them. */
export interface IBudgets {
  /** Share of ERROR traces, 0..1. */
  errorRate?: number;
  /** The traces' latency p90 in ms. */
  latencyP90Ms?: number;
  /** Mean total span cost per trace, USD. */
  costPerTrace?: number;
  /** A p90 limit in ms per span name or span type. */
  spans?: SpanBudget[];
}

/** One broken budget, as the payload writes it. */
export interface IViolationJson {
  budget: 'error_rate' | 'latency_p90_ms' | 'cost_per_trace' | 'span_p90_ms';
  subject: string;
  span_field?: 'span_name' | 'span_type';
  segment?: string | null;
  start_time_ms?: number;
  limit: number;
  value: number;
}

const TRACE_BUDGETS: [keyof IBudgets, keyof IBudgetsJson][] = [
  ['errorRate', 'error_rate'],
  ['latencyP90Ms', 'latency_p90_ms'],
  ['costPerTrace', 'cost_per_trace']
];

function limitOf(value: unknown, what: string, max?: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(
      `budgets: ${what} must be a number of at least 0, not ${shown(value)}`
    );
  }
  if (max !== undefined && value > max) {
    throw new Error(
      `budgets: ${what} is a share of traces, at most ${max}, not ${value}`
    );
  }
  return value;
}

function shown(value: unknown): string {
  if (typeof value === 'string') {
    return pyRepr(value);
  }
  if (
    value === undefined ||
    typeof value === 'function' ||
    typeof value === 'number'
  ) {
    return String(value);
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date)
  );
}

function spanBudget(item: unknown, i: number): ISpanBudgetJson {
  const where = `spans[${i}]`;
  if (!isPlainObject(item)) {
    throw new Error(
      `budgets: ${where} must be {spanName or spanType, p90Ms}, not ${shown(item)}`
    );
  }
  const unknown = Object.keys(item).filter(
    k => !['spanName', 'spanType', 'p90Ms'].includes(k)
  );
  if (unknown.length > 0) {
    throw new Error(
      `budgets: ${where} has the unknown key ${pyRepr(unknown[0])}; ` +
        'write spanName or spanType, and p90Ms'
    );
  }
  const named = ['spanName', 'spanType'].filter(k => k in item);
  if (named.length !== 1) {
    throw new Error(
      `budgets: ${where} must name exactly one of spanName and spanType`
    );
  }
  const field = named[0];
  const key = item[field];
  if (typeof key !== 'string' || key === '') {
    throw new Error(
      `budgets: ${where}.${field} must be a non-empty string, not ${shown(key)}`
    );
  }
  const p90 = limitOf(item.p90Ms, `${where}.p90Ms`);
  return field === 'spanName'
    ? { span_name: key, p90_ms: p90 }
    : { span_type: key, p90_ms: p90 };
}

/**
 * Budgets as the payload writes them (snake_case); an Error naming the key
 * or value when one is unknown or bad.
 */
export function parseBudgets(budgets: unknown): IBudgetsJson {
  if (!isPlainObject(budgets)) {
    throw new Error(
      `budgets must be an object such as { errorRate: 0.05 }, not ${shown(budgets)}`
    );
  }
  const known = [...TRACE_BUDGETS.map(([camel]) => camel), 'spans'];
  for (const key of Object.keys(budgets)) {
    if (!known.includes(key)) {
      throw new Error(
        `budgets: unknown key ${pyRepr(key)}; the budgets are ${known.join(', ')}`
      );
    }
  }
  const out: IBudgetsJson = {};
  for (const [camel, snake] of TRACE_BUDGETS) {
    if (budgets[camel] !== undefined) {
      const limit = limitOf(
        budgets[camel],
        camel,
        camel === 'errorRate' ? 1 : undefined
      );
      (out as Record<string, number>)[snake] = limit;
    }
  }
  if (budgets.spans !== undefined) {
    if (!Array.isArray(budgets.spans)) {
      throw new Error(
        `budgets: spans must be a list of {spanName or spanType, p90Ms}, not ${shown(budgets.spans)}`
      );
    }
    out.spans = budgets.spans.map(spanBudget);
  }
  return out;
}

/** The span names and span types budgets name, each once, in order. */
export function budgetedSpans(budgets: IBudgetsJson | undefined): {
  names: string[];
  types: string[];
} {
  const names: string[] = [];
  const types: string[] = [];
  for (const budget of budgets?.spans ?? []) {
    const [list, key] =
      budget.span_name !== undefined
        ? [names, budget.span_name]
        : [types, budget.span_type as string];
    if (!list.includes(key)) {
      list.push(key);
    }
  }
  return { names, types };
}

/** The parts of figures the trace budgets read. */
interface IFiguresLike {
  traces: number | null;
  errors: number | null;
  latency_ms: { p90: number } | null;
  cost?: { total: number | null };
}

interface ISpanRowLike {
  key: string;
  latency_ms: { p90: number } | null;
}

/** The parts of a trace-summary payload violations() reads. */
export interface IBudgetedPayload {
  query: { budgets?: IBudgetsJson };
  buckets: (IFiguresLike & { start_time_ms: number })[];
  totals: IFiguresLike;
  segments?: {
    value: string | null;
    totals: IFiguresLike;
  }[];
  spans?: { by_name: ISpanRowLike[]; by_type: ISpanRowLike[] };
}

function traceViolations(
  budgets: IBudgetsJson,
  figures: IFiguresLike,
  where: Pick<IViolationJson, 'segment' | 'start_time_ms'>
): IViolationJson[] {
  const found: IViolationJson[] = [];
  const check = (
    budget: IViolationJson['budget'],
    limit: number | undefined,
    value: number | null
  ) => {
    if (limit !== undefined && value !== null && value > limit) {
      found.push({
        budget,
        subject: 'traces',
        ...where,
        limit,
        value: roundShare(value)
      });
    }
  };
  const traces = figures.traces ?? 0;
  const errors = figures.errors;
  check(
    'error_rate',
    budgets.error_rate,
    traces > 0 && errors !== null ? errors / traces : null
  );
  check(
    'latency_p90_ms',
    budgets.latency_p90_ms,
    figures.latency_ms ? figures.latency_ms.p90 : null
  );
  const cost = figures.cost?.total ?? null;
  check(
    'cost_per_trace',
    budgets.cost_per_trace,
    traces > 0 && cost !== null ? cost / traces : null
  );
  return found;
}

function spanViolations(
  budgets: IBudgetsJson,
  spans: IBudgetedPayload['spans']
): IViolationJson[] {
  const found: IViolationJson[] = [];
  for (const budget of budgets.spans ?? []) {
    const field = budget.span_name !== undefined ? 'span_name' : 'span_type';
    const key = (budget.span_name ?? budget.span_type) as string;
    const rows = field === 'span_name' ? spans?.by_name : spans?.by_type;
    const row = rows?.find(r => r.key === key);
    const p90 = row?.latency_ms ? row.latency_ms.p90 : null;
    if (p90 !== null && p90 > budget.p90_ms) {
      found.push({
        budget: 'span_p90_ms',
        subject: key,
        span_field: field,
        limit: budget.p90_ms,
        value: roundShare(p90)
      });
    }
  }
  return found;
}

/** What broke the payload's budgets, in the documented order; [] without budgets. */
export function violations(payload: IBudgetedPayload): IViolationJson[] {
  const budgets = payload.query.budgets;
  if (budgets === undefined) {
    return [];
  }
  const found = traceViolations(budgets, payload.totals, {});
  for (const bucket of payload.buckets) {
    found.push(
      ...traceViolations(budgets, bucket, {
        start_time_ms: bucket.start_time_ms
      })
    );
  }
  found.push(...spanViolations(budgets, payload.spans));
  for (const segment of payload.segments ?? []) {
    found.push(
      ...traceViolations(budgets, segment.totals, { segment: segment.value })
    );
  }
  return found;
}

function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}

/**
 * One violation as check() prints it, e.g. `budget broken: error_rate of
 * traces 0.25 > 0.2 in the bucket from 2026-12-01T01:00Z`.
 */
export function violationLine(
  violation: IViolationJson,
  groupBy?: { kind: string; key: string }
): string {
  const where: string[] = [];
  if (violation.segment !== undefined) {
    const key = groupBy ? `${groupBy.kind} ${groupBy.key}` : 'segment';
    const value =
      violation.segment === null ? 'None' : pyRepr(violation.segment);
    where.push(`where ${key} = ${value}`);
  }
  where.push(
    violation.start_time_ms !== undefined
      ? `in the bucket from ${utcMinute(violation.start_time_ms)}`
      : 'over the range'
  );
  const subject =
    violation.span_field !== undefined
      ? `${violation.span_field.replace('_', ' ')} ${pyRepr(violation.subject)}`
      : violation.subject;
  return (
    `budget broken: ${violation.budget} of ${subject} ${violation.value} > ` +
    `${violation.limit} ${where.join(' ')}`
  );
}
