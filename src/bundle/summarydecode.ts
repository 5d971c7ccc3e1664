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
  ITokenSums,
  IQuerySummary,
  PERCENTILES
} from '../trace';
import { MAX_SUMMARY_BUCKETS } from '../trace/aggregate';
import { IBundleHeader, IProblems, readBundleHeader } from './fields';
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

function got(raw: unknown): string {
  return typeof raw === 'number' ? String(raw) : describeType(raw);
}

function isCount(raw: unknown): raw is number {
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0;
}

/** A required non-negative integer, or null with an error naming `path`. */
function readCount(
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

function warnUnknownKeys(
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

const FIGURE_FIELDS = ['traces', 'errors', 'latency_ms', 'tokens'];

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
      'interval_seconds'
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
  return query;
}

function readBucket(
  raw: unknown,
  index: number,
  previous: ITimeBucket | undefined,
  intervalMs: number,
  problems: IProblems
): ITimeBucket {
  const path = `buckets[${index}]`;
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
      `${path}.start_time_ms (${startTimeMs}) is not one interval after buckets[${index - 1}]'s (${previousStart})`
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
  problems: IProblems
): ITimeBucket[] | null {
  if (!Array.isArray(raw)) {
    problems.errors.push(
      raw === undefined
        ? 'buckets is missing'
        : `buckets is not a list (got ${describeType(raw)})`
    );
    return null;
  }
  if (raw.length > MAX_SUMMARY_BUCKETS) {
    problems.errors.push(
      `buckets holds ${raw.length} buckets, more than ${MAX_SUMMARY_BUCKETS}: only the first ${MAX_SUMMARY_BUCKETS} are drawn`
    );
  }
  const buckets: ITimeBucket[] = [];
  raw.slice(0, MAX_SUMMARY_BUCKETS).forEach((item, i) => {
    buckets.push(readBucket(item, i, buckets[i - 1], intervalMs, problems));
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
  let totals = emptyFigures();
  if (isRecord(root.totals)) {
    totals = readFigures(root.totals, 'totals', result);
    warnUnknownKeys(root.totals, FIGURE_FIELDS, 'totals.', result);
  } else {
    result.errors.push(
      root.totals === undefined
        ? 'totals is missing'
        : `totals is not an object (got ${describeType(root.totals)})`
    );
  }
  warnUnknownKeys(
    root,
    [
      'version',
      'tracking_uri',
      'query',
      'source',
      'source_note',
      'buckets',
      'totals'
    ],
    '',
    result
  );
  if (query && buckets) {
    result.summary = { query, ...source, buckets, totals };
  }
  return result;
}
