/**
 * Decoder for `application/vnd.mlflow.trace-summary+json` (version 1,
 * contract/trace-summary.schema.json): a query's figures per time bucket and
 * over its range. Never throws; every problem names its field path.
 *
 * #### Notes
 * Without a usable query or bucket list there is nothing to draw: `summary`
 * is null and `errors` says why. A bad figure inside a bucket is an error
 * too, but only that figure is left absent; the rest still draws.
 */
import {
  ILatencyPercentilesMs,
  isRecord,
  ITimeBucket,
  IBucketFigures,
  ISummaryQuery,
  ISegment,
  ITokenSums,
  IQuerySummary,
  PERCENTILES
} from '../trace';
import { MAX_SUMMARY_BUCKETS } from '../trace/aggregate';
import { IBundleHeader, IProblems, readBundleHeader } from './fields';
import {
  got,
  isCount,
  readBudgets,
  readCost,
  readCount,
  readQuality,
  readSpans,
  readViolations,
  warnUnknownKeys
} from './summaryparts';
import { describeType } from './util';

/** A decoded trace summary; decoders never throw. */
export interface IDecodedTraceSummary extends IBundleHeader {
  /** What to draw; null when the bundle has no usable query or buckets. */
  summary: IQuerySummary | null;
}

const TOKEN_FIELDS: [keyof ITokenSums, string][] = [
  ['input', 'input'],
  ['output', 'output'],
  ['cacheRead', 'cache_read'],
  ['cacheWrite', 'cache_write']
];

function readLatency(
  raw: unknown,
  path: string,
  problems: IProblems
): ILatencyPercentilesMs | null {
  if (raw === null) {
    return null;
  }
  if (!isRecord(raw)) {
    problems.errors.push(
      raw === undefined
        ? `${path} is missing`
        : `${path} is not an object or null (got ${describeType(raw)})`
    );
    return null;
  }
  const latency = {} as ILatencyPercentilesMs;
  for (const p of PERCENTILES) {
    const value = raw[p];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.errors.push(
        `${path}.${p} is not a non-negative number (got ${got(value)})`
      );
      return null;
    }
    latency[p] = value;
  }
  if (latency.p50 > latency.p90 || latency.p90 > latency.p99) {
    problems.warnings.push(
      `${path}: the percentiles are not in order (p50 ${latency.p50}, p90 ${latency.p90}, p99 ${latency.p99})`
    );
  }
  warnUnknownKeys(raw, PERCENTILES, `${path}.`, problems);
  return latency;
}

function readTokens(
  raw: unknown,
  path: string,
  problems: IProblems
): ITokenSums {
  const tokens: ITokenSums = {
    input: null,
    output: null,
    cacheRead: null,
    cacheWrite: null
  };
  if (!isRecord(raw)) {
    problems.errors.push(
      raw === undefined
        ? `${path} is missing`
        : `${path} is not an object (got ${describeType(raw)})`
    );
    return tokens;
  }
  for (const [key, field] of TOKEN_FIELDS) {
    const value = raw[field];
    if (value === undefined) {
      problems.errors.push(`${path}.${field} is missing`);
    } else if (value !== null && !isCount(value)) {
      problems.errors.push(
        `${path}.${field} is not a non-negative integer or null (got ${got(value)})`
      );
    } else {
      tokens[key] = value;
    }
  }
  warnUnknownKeys(
    raw,
    TOKEN_FIELDS.map(([, field]) => field),
    `${path}.`,
    problems
  );
  return tokens;
}

const FIGURE_FIELDS = ['traces', 'errors', 'latency_ms', 'tokens', 'cost'];

function readFigures(
  raw: Record<string, unknown>,
  path: string,
  problems: IProblems
): IBucketFigures {
  const figures: IBucketFigures = {
    traces: readCount(raw.traces, `${path}.traces`, problems),
    errors: readCount(raw.errors, `${path}.errors`, problems),
    latencyMs: readLatency(raw.latency_ms, `${path}.latency_ms`, problems),
    tokens: readTokens(raw.tokens, `${path}.tokens`, problems)
  };
  const cost = readCost(raw.cost, `${path}.cost`, problems);
  if (cost) {
    figures.cost = cost;
  }
  const { traces, errors } = figures;
  if (traces !== null && errors !== null && errors > traces) {
    problems.warnings.push(
      `${path}.errors (${errors}) is more than ${path}.traces (${traces})`
    );
  }
  return figures;
}

function emptyFigures(): IBucketFigures {
  return {
    traces: null,
    errors: null,
    latencyMs: null,
    tokens: { input: null, output: null, cacheRead: null, cacheWrite: null }
  };
}

function readGroupBy(
  raw: unknown,
  problems: IProblems
): ISummaryQuery['groupBy'] {
  if (raw === undefined) {
    return undefined;
  }
  if (
    !isRecord(raw) ||
    (raw.kind !== 'tag' && raw.kind !== 'metadata') ||
    typeof raw.key !== 'string' ||
    raw.key === ''
  ) {
    problems.errors.push(
      `query.group_by is not {kind: 'tag' or 'metadata', key: a non-empty string} (got ${describeType(raw)})`
    );
    return undefined;
  }
  return { kind: raw.kind, key: raw.key };
}

function readQuery(raw: unknown, problems: IProblems): ISummaryQuery | null {
  if (!isRecord(raw)) {
    problems.errors.push(
      raw === undefined
        ? 'query is missing'
        : `query is not an object (got ${describeType(raw)})`
    );
    return null;
  }
  const before = problems.errors.length;
  const ids = raw.experiment_ids;
  let experimentIds: string[] = [];
  if (!Array.isArray(ids) || ids.length === 0) {
    problems.errors.push(
      `query.experiment_ids is not a non-empty list (got ${ids === undefined ? 'nothing' : describeType(ids)})`
    );
  } else {
    experimentIds = ids.filter((id, i) => {
      if (typeof id !== 'string') {
        problems.errors.push(
          `query.experiment_ids[${i}] is not a string (got ${describeType(id)})`
        );
      }
      return typeof id === 'string';
    });
  }
  const times = ['start_time_ms', 'end_time_ms', 'interval_seconds'].map(
    field => readCount(raw[field], `query.${field}`, problems)
  );
  const [startTimeMs, endTimeMs, intervalSeconds] = times;
  if (intervalSeconds === 0) {
    problems.errors.push('query.interval_seconds is 0 (at least 1)');
  }
  if (startTimeMs !== null && endTimeMs !== null && endTimeMs < startTimeMs) {
    problems.errors.push(
      `query.end_time_ms (${endTimeMs}) is before query.start_time_ms (${startTimeMs})`
    );
  }
  if (raw.filter !== undefined && typeof raw.filter !== 'string') {
    problems.errors.push(
      `query.filter is not a string (got ${describeType(raw.filter)})`
    );
  }
  warnUnknownKeys(
    raw,
    [
      'experiment_ids',
      'filter',
      'start_time_ms',
      'end_time_ms',
      'interval_seconds',
      'group_by',
      'budgets'
    ],
    'query.',
    problems
  );
  if (problems.errors.length > before) {
    return null;
  }
  const query: ISummaryQuery = {
    experimentIds,
    startTimeMs: startTimeMs!,
    endTimeMs: endTimeMs!,
    intervalSeconds: intervalSeconds!
  };
  if (typeof raw.filter === 'string') {
    query.filter = raw.filter;
  }
  const groupBy = readGroupBy(raw.group_by, problems);
  if (groupBy) {
    query.groupBy = groupBy;
  }
  const budgets = readBudgets(raw.budgets, problems);
  if (budgets) {
    query.budgets = budgets;
  }
  return query;
}

function readBucket(
  prefix: string,
  raw: unknown,
  index: number,
  previous: ITimeBucket | undefined,
  intervalMs: number,
  problems: IProblems
): ITimeBucket {
  const path = `${prefix}buckets[${index}]`;
  if (!isRecord(raw)) {
    problems.errors.push(`${path} is not an object (got ${describeType(raw)})`);
    return { startTimeMs: null, ...emptyFigures() };
  }
  const startTimeMs = readCount(
    raw.start_time_ms,
    `${path}.start_time_ms`,
    problems
  );
  if (startTimeMs !== null && startTimeMs % intervalMs !== 0) {
    problems.warnings.push(
      `${path}.start_time_ms (${startTimeMs}) is not aligned to the interval`
    );
  }
  const previousStart = previous?.startTimeMs;
  if (
    startTimeMs !== null &&
    typeof previousStart === 'number' &&
    startTimeMs !== previousStart + intervalMs
  ) {
    problems.warnings.push(
      `${path}.start_time_ms (${startTimeMs}) is not one interval after ${prefix}buckets[${index - 1}]'s (${previousStart})`
    );
  }
  warnUnknownKeys(
    raw,
    ['start_time_ms', ...FIGURE_FIELDS],
    `${path}.`,
    problems
  );
  return { startTimeMs, ...readFigures(raw, path, problems) };
}

function readBuckets(
  raw: unknown,
  intervalMs: number,
  problems: IProblems,
  prefix = ''
): ITimeBucket[] | null {
  if (!Array.isArray(raw)) {
    problems.errors.push(
      raw === undefined
        ? `${prefix}buckets is missing`
        : `${prefix}buckets is not a list (got ${describeType(raw)})`
    );
    return null;
  }
  if (raw.length > MAX_SUMMARY_BUCKETS) {
    problems.errors.push(
      `${prefix}buckets holds ${raw.length} buckets, more than ${MAX_SUMMARY_BUCKETS}: only the first ${MAX_SUMMARY_BUCKETS} are drawn`
    );
  }
  const buckets: ITimeBucket[] = [];
  raw.slice(0, MAX_SUMMARY_BUCKETS).forEach((item, i) => {
    buckets.push(
      readBucket(prefix, item, i, buckets[i - 1], intervalMs, problems)
    );
  });
  return buckets;
}

function readSource(
  root: Record<string, unknown>,
  problems: IProblems
): Pick<IQuerySummary, 'source' | 'sourceNote'> {
  const raw = root.source;
  const source = raw === 'server' || raw === 'search' ? raw : null;
  if (source === null) {
    problems.errors.push(
      raw === undefined
        ? 'source is missing'
        : `source is not 'server' or 'search' (got ${typeof raw === 'string' ? JSON.stringify(raw) : describeType(raw)})`
    );
  }
  const note = root.source_note;
  if (note !== undefined && typeof note !== 'string') {
    problems.warnings.push(
      `source_note is not a string and is ignored (got ${describeType(note)})`
    );
  }
  return typeof note === 'string' ? { source, sourceNote: note } : { source };
}

function readTotals(
  raw: unknown,
  path: string,
  problems: IProblems
): IBucketFigures {
  if (!isRecord(raw)) {
    problems.errors.push(
      raw === undefined
        ? `${path} is missing`
        : `${path} is not an object (got ${describeType(raw)})`
    );
    return emptyFigures();
  }
  const totals = readFigures(raw, path, problems);
  warnUnknownKeys(raw, FIGURE_FIELDS, `${path}.`, problems);
  return totals;
}

function readSegment(
  raw: unknown,
  path: string,
  intervalMs: number,
  problems: IProblems
): ISegment | null {
  if (!isRecord(raw)) {
    problems.errors.push(`${path} is not an object (got ${describeType(raw)})`);
    return null;
  }
  if (raw.value !== null && typeof raw.value !== 'string') {
    problems.errors.push(
      `${path}.value is not a string or null (got ${describeType(raw.value)})`
    );
    return null;
  }
  const buckets = readBuckets(raw.buckets, intervalMs, problems, `${path}.`);
  if (!buckets) {
    return null;
  }
  warnUnknownKeys(raw, ['value', 'buckets', 'totals'], `${path}.`, problems);
  return {
    value: raw.value,
    buckets,
    totals: readTotals(raw.totals, `${path}.totals`, problems)
  };
}

function readSegments(
  raw: unknown,
  intervalMs: number,
  problems: IProblems
): ISegment[] | undefined {
  if (raw === undefined) {
    return undefined;
  }
  if (!Array.isArray(raw)) {
    problems.errors.push(`segments is not a list (got ${describeType(raw)})`);
    return undefined;
  }
  return raw
    .map((item, i) => readSegment(item, `segments[${i}]`, intervalMs, problems))
    .filter((item): item is ISegment => item !== null);
}

function readOptionalText(
  root: Record<string, unknown>,
  field: string,
  problems: IProblems
): string | undefined {
  const raw = root[field];
  if (raw !== undefined && typeof raw !== 'string') {
    problems.warnings.push(
      `${field} is not a string and is ignored (got ${describeType(raw)})`
    );
  }
  return typeof raw === 'string' ? raw : undefined;
}

/** The optional parts onto `summary`; a bad part is left out with an error. */
function readParts(
  root: Record<string, unknown>,
  summary: IQuerySummary,
  problems: IProblems
): void {
  const intervalMs = summary.query.intervalSeconds * 1000;
  const parts = {
    quality: readQuality(root.quality, problems),
    segments: readSegments(root.segments, intervalMs, problems),
    segmentsNote: readOptionalText(root, 'segments_note', problems),
    spans: readSpans(root.spans, problems),
    violations: readViolations(root.violations, problems)
  };
  for (const [key, value] of Object.entries(parts)) {
    if (value !== undefined) {
      (summary as unknown as Record<string, unknown>)[key] = value;
    }
  }
}

/**
 * Decodes and validates an `application/vnd.mlflow.trace-summary+json`
 * payload (a parsed object or its JSON text).
 */
export function decodeTraceSummaryBundle(data: unknown): IDecodedTraceSummary {
  const result: IDecodedTraceSummary = {
    version: null,
    summary: null,
    errors: [],
    warnings: []
  };
  const root = readBundleHeader(data, result);
  if (!root) {
    return result;
  }
  const query = readQuery(root.query, result);
  const source = readSource(root, result);
  const buckets = readBuckets(
    root.buckets,
    (query?.intervalSeconds ?? 1) * 1000,
    result
  );
  const totals = readTotals(root.totals, 'totals', result);
  warnUnknownKeys(
    root,
    [
      'version',
      'tracking_uri',
      'query',
      'source',
      'source_note',
      'buckets',
      'totals',
      'quality',
      'segments',
      'segments_note',
      'spans',
      'violations'
    ],
    '',
    result
  );
  if (query && buckets) {
    const summary: IQuerySummary = { query, ...source, buckets, totals };
    readParts(root, summary, result);
    result.summary = summary;
  }
  return result;
}
