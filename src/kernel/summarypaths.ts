/**
 * The two ways a summary is computed: by the tracking server's
 * QueryTraceMetrics, or here over search results read in pages. Both fill
 * every bucket of the grid and give the same figures for the same traces.
 */
import {
  MlflowClient,
  MlflowClientError,
  MetricAggregation,
  IMetricDataPoint,
  ITraceMetricsQuery,
  metricValueKey
} from '../client';
import {
  emptyFigures,
  ISummaryBucketJson,
  ISummaryFiguresJson,
  ISummaryLatencyJson,
  roundFigure,
  SUMMARY_PERCENTILES,
  SummaryGrid,
  SummaryTallies,
  TOKEN_USAGE_KEYS,
  traceFacts
} from '../trace/aggregate';

/** Traces read per search page. */
export const SUMMARY_PAGE_SIZE = 500;

/** What both paths compute. */
export interface ISummaryFigureSet {
  buckets: ISummaryBucketJson[];
  totals: ISummaryFiguresJson;
}

/** The server lacks QueryTraceMetrics; the message says why. */
export class NoServerMetricsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoServerMetricsError';
  }
}

/** Error codes of a store or server without QueryTraceMetrics (a file store's: FEATURE_DISABLED). */
const UNSUPPORTED = new Set([
  'FEATURE_DISABLED',
  'NOT_IMPLEMENTED',
  'ENDPOINT_NOT_FOUND'
]);

/**
 * Why the server cannot answer QueryTraceMetrics, as the Python twin says
 * it, or null for any other failure.
 */
function unsupportedReason(error: unknown): string | null {
  if (!(error instanceof MlflowClientError)) {
    return null;
  }
  if (error.status === 404 || error.status === 405 || error.status === 501) {
    return `the tracking server answers HTTP ${error.status} to QueryTraceMetrics`;
  }
  if (error.errorCode !== undefined && UNSUPPORTED.has(error.errorCode)) {
    return `the tracking server does not support QueryTraceMetrics (${error.errorCode})`;
  }
  return null;
}

const PERCENTILE_AGGREGATIONS: MetricAggregation[] = Object.values(
  SUMMARY_PERCENTILES
).map(p => ({ type: 'PERCENTILE', percentile: p }));

function latencyOf(values: Record<string, number>): ISummaryLatencyJson | null {
  const figures: Partial<ISummaryLatencyJson> = {};
  for (const [name, p] of Object.entries(SUMMARY_PERCENTILES)) {
    const value = values[metricValueKey({ type: 'PERCENTILE', percentile: p })];
    if (value === undefined) {
      return null;
    }
    figures[name as keyof ISummaryLatencyJson] = roundFigure(value);
  }
  return figures as ISummaryLatencyJson;
}

function sumOrNull(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

/**
 * Per-bucket and total figures from QueryTraceMetrics: trace counts by
 * status, latency percentiles and token sums per bucket, and the latency
 * percentiles over the range (counts and sums add up from the buckets).
 * NoServerMetricsError when the server lacks it (404, 405, 501, or
 * FEATURE_DISABLED, NOT_IMPLEMENTED, ENDPOINT_NOT_FOUND: a file store answers
 * 500 FEATURE_DISABLED, which the client does not retry).
 */
export async function serverFigures(
  client: MlflowClient,
  experimentIds: readonly string[],
  filters: readonly string[],
  grid: SummaryGrid
): Promise<ISummaryFigureSet> {
  const base = {
    experimentIds,
    viewType: 'TRACES' as const,
    filters,
    startTimeMs: grid.startMs,
    endTimeMs: grid.endMs,
    maxResults: grid.count * 4 + 10
  };
  const ask = async (
    metricName: string,
    aggregations: MetricAggregation[],
    extra: Partial<ITraceMetricsQuery> = {}
  ): Promise<IMetricDataPoint[]> => {
    let points: IMetricDataPoint[];
    try {
      points = await client.queryTraceMetrics({
        ...base,
        metricName,
        aggregations,
        ...extra
      });
    } catch (error) {
      const reason = unsupportedReason(error);
      throw reason === null ? error : new NoServerMetricsError(reason);
    }
    if (points.length >= base.maxResults) {
      throw new Error(
        `QueryTraceMetrics returned its limit of ${points.length} rows`
      );
    }
    return points;
  };
  const timed = { timeIntervalSeconds: grid.intervalMs / 1000 };
  const tokenNames = Object.keys(
    TOKEN_USAGE_KEYS
  ) as (keyof typeof TOKEN_USAGE_KEYS)[];
  const [counts, latencies, overall, ...tokens] = await Promise.all([
    ask('trace_count', [{ type: 'COUNT' }], {
      ...timed,
      dimensions: ['trace_status']
    }),
    ask('latency', PERCENTILE_AGGREGATIONS, timed),
    ask('latency', PERCENTILE_AGGREGATIONS),
    ...tokenNames.map(name =>
      ask(TOKEN_USAGE_KEYS[name], [{ type: 'SUM' }], timed)
    )
  ]);
  const buckets = grid.starts().map(start => ({
    start_time_ms: start,
    ...emptyFigures()
  }));
  const bucketOf = (point: IMetricDataPoint) => {
    const text = point.dimensions.time_bucket;
    const bucket = buckets[grid.index(Date.parse(text))];
    if (bucket === undefined) {
      throw new Error(
        `QueryTraceMetrics answered a time bucket outside the range: ${JSON.stringify(text)}`
      );
    }
    return bucket;
  };
  for (const point of counts) {
    const bucket = bucketOf(point);
    const count = Math.trunc(point.values.COUNT ?? 0);
    bucket.traces += count;
    if (point.dimensions.trace_status === 'ERROR') {
      bucket.errors += count;
    }
  }
  for (const point of latencies) {
    bucketOf(point).latency_ms = latencyOf(point.values);
  }
  tokenNames.forEach((name, i) => {
    for (const point of tokens[i]) {
      bucketOf(point).tokens[name] = Math.trunc(point.values.SUM);
    }
  });
  const totals: ISummaryFiguresJson = {
    traces: buckets.reduce((n, b) => n + b.traces, 0),
    errors: buckets.reduce((n, b) => n + b.errors, 0),
    latency_ms: overall.length > 0 ? latencyOf(overall[0].values) : null,
    tokens: emptyFigures().tokens
  };
  for (const name of tokenNames) {
    totals.tokens[name] = sumOrNull(buckets.map(b => b.tokens[name]));
  }
  return { buckets, totals };
}

/**
 * Per-bucket and total figures over the traces a search finds in the
 * grid's range, read page after page; `traces` is how many were read.
 */
export async function searchFigures(
  client: MlflowClient,
  experimentIds: readonly string[],
  filter: string | undefined,
  grid: SummaryGrid
): Promise<ISummaryFigureSet & { traces: number }> {
  const inRange =
    `attributes.timestamp_ms >= ${grid.startMs} AND ` +
    `attributes.timestamp_ms <= ${grid.endMs}`;
  const tallies = new SummaryTallies(grid);
  let read = 0;
  for await (const info of client.iterateTraces({
    experimentIds: experimentIds.slice(),
    filter: filter ? `${filter} AND ${inRange}` : inRange,
    maxResults: SUMMARY_PAGE_SIZE
  })) {
    tallies.add(traceFacts(info));
    read += 1;
  }
  return {
    buckets: tallies.buckets(),
    totals: tallies.total.figures(),
    traces: read
  };
}
