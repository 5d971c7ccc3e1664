/**
 * Readers of the trace summary's optional parts (cost, quality, spans,
 * budgets, violations; contract/trace-summary.schema.json) and the field
 * readers they share with summarydecode.ts. Never throw; every problem
 * names its field path.
 *
 * #### Notes
 * A part that is not the shape the schema gives is an error and left out
 * (undefined), so everything else still draws; inside a list, only the bad
 * item is left out.
 */
import {
  BudgetName,
  ICostSums,
  IQualityPoint,
  IQualitySeries,
  isRecord,
  ISpanBreakdown,
  ISpanBudget,
  ISpanRow,
  ISummaryBudgets,
  IViolation
} from '../trace';
import { IProblems } from './fields';
import { describeType } from './util';

/** The value as shown in a message: a number as it is, else its type. */
export function got(raw: unknown): string {
  return typeof raw === 'number' ? String(raw) : describeType(raw);
}

/** A non-negative integer. */
export function isCount(raw: unknown): raw is number {
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0;
}

function isAmount(raw: unknown): raw is number {
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0;
}

/** A required non-negative integer, or null with an error naming `path`. */
export function readCount(
  raw: unknown,
  path: string,
  problems: IProblems
): number | null {
  if (raw === undefined) {
    problems.errors.push(`${path} is missing`);
    return null;
  }
  if (!isCount(raw)) {
    problems.errors.push(
      `${path} is not a non-negative integer (got ${got(raw)})`
    );
    return null;
  }
  return raw;
}

/** Warns of each key of `raw` that is not in `known`. */
export function warnUnknownKeys(
  raw: Record<string, unknown>,
  known: readonly string[],
  path: string,
  problems: IProblems
): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      problems.warnings.push(
        `${path}${JSON.stringify(key)} is not part of version 1 and is ignored`
      );
    }
  }
}

function notObject(raw: unknown, path: string, problems: IProblems): void {
  problems.errors.push(
    raw === undefined
      ? `${path} is missing`
      : `${path} is not an object (got ${describeType(raw)})`
  );
}

function notList(raw: unknown, path: string, problems: IProblems): void {
  problems.errors.push(
    raw === undefined
      ? `${path} is missing`
      : `${path} is not a list (got ${describeType(raw)})`
  );
}

/** A required amount (>= 0) or null; undefined (with an error) when neither. */
function readAmountOrNull(
  raw: unknown,
  path: string,
  problems: IProblems
): number | null | undefined {
  if (raw === null || isAmount(raw)) {
    return raw;
  }
  problems.errors.push(
    raw === undefined
      ? `${path} is missing`
      : `${path} is not a non-negative number or null (got ${got(raw)})`
  );
  return undefined;
}

/** An optional `cost` {input, output, total}; undefined when absent or bad. */
export function readCost(
  raw: unknown,
  path: string,
  problems: IProblems
): ICostSums | undefined {
  if (raw === undefined) {
    return undefined;
  }
  if (!isRecord(raw)) {
    notObject(raw, path, problems);
    return undefined;
  }
  const cost: ICostSums = { input: null, output: null, total: null };
  for (const key of ['input', 'output', 'total'] as const) {
    cost[key] = readAmountOrNull(raw[key], `${path}.${key}`, problems) ?? null;
  }
  warnUnknownKeys(raw, ['input', 'output', 'total'], `${path}.`, problems);
  return cost;
}

function readMean(raw: unknown, path: string, problems: IProblems) {
  if (raw === null || (typeof raw === 'number' && Number.isFinite(raw))) {
    return raw;
  }
  problems.errors.push(
    `${path}.mean is not a number or null (got ${got(raw)})`
  );
  return null;
}

function readQualityPoint(
  raw: unknown,
  path: string,
  problems: IProblems
): IQualityPoint {
  if (!isRecord(raw)) {
    notObject(raw, path, problems);
    return { startTimeMs: null, count: null, mean: null };
  }
  warnUnknownKeys(
    raw,
    ['start_time_ms', 'count', 'mean'],
    `${path}.`,
    problems
  );
  return {
    startTimeMs: readCount(
      raw.start_time_ms,
      `${path}.start_time_ms`,
      problems
    ),
    count: readCount(raw.count, `${path}.count`, problems),
    mean: readMean(raw.mean, path, problems)
  };
}

function readValues(
  raw: unknown,
  path: string,
  problems: IProblems
): [string, number][] | undefined {
  if (raw === undefined) {
    return undefined;
  }
  if (!isRecord(raw)) {
    notObject(raw, path, problems);
    return undefined;
  }
  const values: [string, number][] = [];
  for (const [key, count] of Object.entries(raw)) {
    const read = readCount(count, `${path}[${JSON.stringify(key)}]`, problems);
    if (read !== null) {
      values.push([key, read]);
    }
  }
  return values;
}

function readQualityItem(
  raw: unknown,
  path: string,
  problems: IProblems
): IQualitySeries | null {
  if (!isRecord(raw)) {
    notObject(raw, path, problems);
    return null;
  }
  if (typeof raw.name !== 'string') {
    problems.errors.push(
      `${path}.name is not a string (got ${describeType(raw.name)})`
    );
    return null;
  }
  if (!Array.isArray(raw.buckets)) {
    notList(raw.buckets, `${path}.buckets`, problems);
    return null;
  }
  const series: IQualitySeries = {
    name: raw.name,
    count: readCount(raw.count, `${path}.count`, problems),
    mean: readMean(raw.mean, path, problems),
    buckets: raw.buckets.map((item, i) =>
      readQualityPoint(item, `${path}.buckets[${i}]`, problems)
    )
  };
  const values = readValues(raw.values, `${path}.values`, problems);
  if (values) {
    series.values = values;
  }
  warnUnknownKeys(
    raw,
    ['name', 'count', 'mean', 'values', 'buckets'],
    `${path}.`,
    problems
  );
  return series;
}

/** The optional `quality` list; undefined when absent or not a list. */
export function readQuality(
  raw: unknown,
  problems: IProblems
): IQualitySeries[] | undefined {
  if (raw === undefined) {
    return undefined;
  }
  if (!Array.isArray(raw)) {
    notList(raw, 'quality', problems);
    return undefined;
  }
  return raw
    .map((item, i) => readQualityItem(item, `quality[${i}]`, problems))
    .filter((item): item is IQualitySeries => item !== null);
}

const SPAN_ROW_FIELDS = [
  'key',
  'count',
  'errors',
  'total_ms',
  'share_time',
  'latency_ms',
  'cost',
  'share_cost'
];

function readSpanLatency(
  raw: unknown,
  path: string,
  problems: IProblems
): ISpanRow['latencyMs'] | undefined {
  if (raw === null) {
    return null;
  }
  if (isRecord(raw) && isAmount(raw.p50) && isAmount(raw.p90)) {
    return { p50: raw.p50, p90: raw.p90 };
  }
  problems.errors.push(
    `${path} is not {p50, p90} in ms or null (got ${describeType(raw)})`
  );
  return undefined;
}

function readSpanRow(
  raw: unknown,
  path: string,
  problems: IProblems
): ISpanRow | null {
  if (!isRecord(raw)) {
    notObject(raw, path, problems);
    return null;
  }
  const before = problems.errors.length;
  if (typeof raw.key !== 'string') {
    problems.errors.push(
      `${path}.key is not a string (got ${describeType(raw.key)})`
    );
  }
  const count = readCount(raw.count, `${path}.count`, problems);
  const errors = readCount(raw.errors, `${path}.errors`, problems);
  if (!isAmount(raw.total_ms)) {
    problems.errors.push(
      `${path}.total_ms is not a non-negative number (got ${got(raw.total_ms)})`
    );
  }
  const read = (field: string) =>
    readAmountOrNull(raw[field], `${path}.${field}`, problems) ?? null;
  const shareTime = read('share_time');
  const cost = read('cost');
  const shareCost = read('share_cost');
  const latencyMs = readSpanLatency(
    raw.latency_ms,
    `${path}.latency_ms`,
    problems
  );
  warnUnknownKeys(raw, SPAN_ROW_FIELDS, `${path}.`, problems);
  if (problems.errors.length > before) {
    return null;
  }
  return {
    key: raw.key as string,
    count: count!,
    errors: errors!,
    totalMs: raw.total_ms as number,
    shareTime,
    latencyMs: latencyMs ?? null,
    cost,
    shareCost
  };
}

/** The optional `spans` {by_name, by_type}; undefined when absent or bad. */
export function readSpans(
  raw: unknown,
  problems: IProblems
): ISpanBreakdown | undefined {
  if (raw === undefined) {
    return undefined;
  }
  if (!isRecord(raw)) {
    notObject(raw, 'spans', problems);
    return undefined;
  }
  const rows = (field: string): ISpanRow[] => {
    const list = raw[field];
    if (!Array.isArray(list)) {
      notList(list, `spans.${field}`, problems);
      return [];
    }
    return list
      .map((item, i) => readSpanRow(item, `spans.${field}[${i}]`, problems))
      .filter((row): row is ISpanRow => row !== null);
  };
  const spans = { byName: rows('by_name'), byType: rows('by_type') };
  warnUnknownKeys(raw, ['by_name', 'by_type'], 'spans.', problems);
  return spans;
}

const TRACE_BUDGETS = [
  ['error_rate', 'errorRate'],
  ['latency_p90_ms', 'latencyP90Ms'],
  ['cost_per_trace', 'costPerTrace']
] as const;

function readSpanBudget(
  raw: unknown,
  path: string,
  problems: IProblems
): ISpanBudget | null {
  if (!isRecord(raw)) {
    notObject(raw, path, problems);
    return null;
  }
  const fields = (['span_name', 'span_type'] as const).filter(
    field => raw[field] !== undefined
  );
  const field = fields[0];
  const key = field === undefined ? undefined : raw[field];
  if (fields.length !== 1 || typeof key !== 'string') {
    problems.errors.push(
      `${path} does not name exactly one span_name or span_type (a string)`
    );
    return null;
  }
  if (!isAmount(raw.p90_ms)) {
    problems.errors.push(
      `${path}.p90_ms is not a non-negative number (got ${got(raw.p90_ms)})`
    );
    return null;
  }
  return { field, key, p90Ms: raw.p90_ms };
}

/** The optional `query.budgets`; undefined when absent or not an object. */
export function readBudgets(
  raw: unknown,
  problems: IProblems
): ISummaryBudgets | undefined {
  const path = 'query.budgets';
  if (raw === undefined) {
    return undefined;
  }
  if (!isRecord(raw)) {
    notObject(raw, path, problems);
    return undefined;
  }
  const budgets: ISummaryBudgets = {};
  for (const [field, key] of TRACE_BUDGETS) {
    const value = raw[field];
    if (value === undefined) {
      continue;
    }
    if (!isAmount(value) || (field === 'error_rate' && value > 1)) {
      problems.errors.push(
        `${path}.${field} is not ${field === 'error_rate' ? 'a number from 0 to 1' : 'a non-negative number'} (got ${got(value)})`
      );
    } else {
      budgets[key] = value;
    }
  }
  if (raw.spans !== undefined) {
    if (Array.isArray(raw.spans)) {
      budgets.spans = raw.spans
        .map((item, i) => readSpanBudget(item, `${path}.spans[${i}]`, problems))
        .filter((item): item is ISpanBudget => item !== null);
    } else {
      notList(raw.spans, `${path}.spans`, problems);
    }
  }
  warnUnknownKeys(
    raw,
    [...TRACE_BUDGETS.map(([field]) => field), 'spans'],
    `${path}.`,
    problems
  );
  return budgets;
}

const BUDGET_NAMES: readonly string[] = [
  'error_rate',
  'latency_p90_ms',
  'cost_per_trace',
  'span_p90_ms'
];

const VIOLATION_FIELDS = [
  'budget',
  'subject',
  'span_field',
  'segment',
  'start_time_ms',
  'limit',
  'value'
];

function checkViolation(
  raw: Record<string, unknown>,
  path: string,
  problems: IProblems
): void {
  if (typeof raw.budget !== 'string' || !BUDGET_NAMES.includes(raw.budget)) {
    problems.errors.push(
      `${path}.budget is not one of ${BUDGET_NAMES.join(', ')} (got ${typeof raw.budget === 'string' ? JSON.stringify(raw.budget) : describeType(raw.budget)})`
    );
  }
  if (typeof raw.subject !== 'string') {
    problems.errors.push(
      `${path}.subject is not a string (got ${describeType(raw.subject)})`
    );
  }
  for (const field of ['limit', 'value']) {
    const value = raw[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.errors.push(
        `${path}.${field} is not a number (got ${got(value)})`
      );
    }
  }
  const spanField = raw.span_field;
  if (
    spanField !== undefined &&
    spanField !== 'span_name' &&
    spanField !== 'span_type'
  ) {
    problems.errors.push(
      `${path}.span_field is not span_name or span_type (got ${describeType(spanField)})`
    );
  }
  const segment = raw.segment;
  if (
    segment !== undefined &&
    segment !== null &&
    typeof segment !== 'string'
  ) {
    problems.errors.push(
      `${path}.segment is not a string or null (got ${describeType(segment)})`
    );
  }
  if (raw.start_time_ms !== undefined) {
    readCount(raw.start_time_ms, `${path}.start_time_ms`, problems);
  }
}

function readViolation(
  raw: unknown,
  path: string,
  problems: IProblems
): IViolation | null {
  if (!isRecord(raw)) {
    notObject(raw, path, problems);
    return null;
  }
  const before = problems.errors.length;
  checkViolation(raw, path, problems);
  warnUnknownKeys(raw, VIOLATION_FIELDS, `${path}.`, problems);
  if (problems.errors.length > before) {
    return null;
  }
  const violation: IViolation = {
    budget: raw.budget as BudgetName,
    subject: raw.subject as string,
    limit: raw.limit as number,
    value: raw.value as number
  };
  if (raw.span_field !== undefined) {
    violation.spanField = raw.span_field as IViolation['spanField'];
  }
  if (raw.segment !== undefined) {
    violation.segment = raw.segment as string | null;
  }
  if (raw.start_time_ms !== undefined) {
    violation.startTimeMs = raw.start_time_ms as number;
  }
  return violation;
}

/** The optional `violations` list; undefined when absent or not a list. */
export function readViolations(
  raw: unknown,
  problems: IProblems
): IViolation[] | undefined {
  if (raw === undefined) {
    return undefined;
  }
  if (!Array.isArray(raw)) {
    notList(raw, 'violations', problems);
    return undefined;
  }
  return raw
    .map((item, i) => readViolation(item, `violations[${i}]`, problems))
    .filter((item): item is IViolation => item !== null);
}
