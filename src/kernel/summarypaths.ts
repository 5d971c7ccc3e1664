/**
 * The server path's queries: MLflow's QueryTraceMetrics on its TRACES,
 * SPANS and ASSESSMENTS views, at most four at a time, and the figures of
 * the whole query or of one segment (traces, errors, latency, tokens and
 * span cost per bucket and over the range). The twin of the Python
 * package's `_summary_server.py` (`Asker`, `server_figures`).
 */
import {
  IMetricDataPoint,
  MetricAggregation,
  MetricViewType,
  metricValueKey,
  MlflowClient,
  MlflowClientError
} from '../client';
import {
  COST_KEYS,
  CostSum,
  emptyFigures,
  ISummaryBucketJson,
  ISummaryFiguresJson,
  ISummaryLatencyJson,
  roundFigure,
  SUMMARY_PERCENTILES,
  SummaryGrid,
  TOKEN_USAGE_KEYS
} from '../trace/aggregate';

/** Traces read per search page. */
export const SUMMARY_PAGE_SIZE = 500;
/** Metrics queries in flight at once. */
export const SUMMARY_CONCURRENCY = 4;
/** Rows asked of a query grouped by names (span names, assessment names and values). */
const MANY_ROWS = 50_000;

/** The server lacks QueryTraceMetrics (or cannot say a filter the summary needs); the message says why. */
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

/** Options of one query beyond its view, metric and aggregations. */
export interface IAskOptions {
  dimensions?: readonly string[];
  /** false: over the whole range, no time bucket. */
  bucketed?: boolean;
  /** ANDed to the query's own filters. */
  filters?: readonly string[];
}

/**
 * QueryTraceMetrics over one range and its buckets, with the query's
 * filters, at most SUMMARY_CONCURRENCY requests in flight.
 */
export class MetricsAsker {
  constructor(
    readonly client: MlflowClient,
    readonly experimentIds: readonly string[],
    readonly filters: readonly string[],
    readonly grid: SummaryGrid
  ) {}

  /** The rows of one query; NoServerMetricsError when the server lacks it. */
  async ask(
    viewType: MetricViewType,
    metricName: string,
    aggregations: MetricAggregation[],
    options: IAskOptions = {}
  ): Promise<IMetricDataPoint[]> {
    const dimensions = options.dimensions ?? [];
    const maxResults = dimensions.some(d => d !== 'trace_status')
      ? MANY_ROWS
      : this.grid.count * 4 + 10;
    await this._slot();
    let points: IMetricDataPoint[];
    try {
      points = await this.client.queryTraceMetrics({
        experimentIds: this.experimentIds,
        viewType,
        metricName,
        aggregations,
        dimensions,
        filters: [...this.filters, ...(options.filters ?? [])],
        startTimeMs: this.grid.startMs,
        endTimeMs: this.grid.endMs,
        maxResults,
        ...(options.bucketed === false
          ? {}
          : { timeIntervalSeconds: this.grid.intervalMs / 1000 })
      });
    } catch (error) {
      const reason = unsupportedReason(error);
      throw reason === null ? error : new NoServerMetricsError(reason);
    } finally {
      this._release();
    }
    if (points.length >= maxResults) {
      throw new Error(
        `QueryTraceMetrics returned its limit of ${points.length} rows`
      );
    }
    return points;
  }

  /** The bucket index of a bucketed row; an Error for one outside the range. */
  index(point: IMetricDataPoint): number {
    const text = point.dimensions.time_bucket;
    const index = this.grid.index(Date.parse(text));
    if (!(index >= 0 && index < this.grid.count)) {
      throw new Error(
        `QueryTraceMetrics answered a time bucket outside the range: ${JSON.stringify(text)}`
      );
    }
    return index;
  }

  private async _slot(): Promise<void> {
    while (this._inFlight >= SUMMARY_CONCURRENCY) {
      await new Promise<void>(resolve => this._waiting.push(resolve));
    }
    this._inFlight += 1;
  }

  private _release(): void {
    this._inFlight -= 1;
    this._waiting.shift()?.();
  }

  private _inFlight = 0;
  private _waiting: (() => void)[] = [];
}

/** The aggregations of the latency percentiles. */
export const PERCENTILE_AGGREGATIONS: MetricAggregation[] = Object.values(
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

/** What serverFigures computes. */
export interface IServerFigures {
  buckets: ISummaryBucketJson[];
  totals: ISummaryFiguresJson;
  /** The traces' summed execution time in ms (mean latency times traces); null when unknown. */
  traceTimeMs: number | null;
}

/**
 * Per-bucket and total figures: trace counts by status, latency
 * percentiles, token sums and span cost sums (the SPANS view: by span start
 * time) per bucket, and the latency percentiles and mean over the range;
 * `filters` narrows them to a segment.
 */
export async function serverFigures(
  asker: MetricsAsker,
  filters: readonly string[] = []
): Promise<IServerFigures> {
  const tokenNames = Object.keys(
    TOKEN_USAGE_KEYS
  ) as (keyof typeof TOKEN_USAGE_KEYS)[];
  const costNames = Object.keys(COST_KEYS) as (keyof typeof COST_KEYS)[];
  const sum: MetricAggregation[] = [{ type: 'SUM' }];
  const [counts, latencies, overall, tokens, costs] = await Promise.all([
    asker.ask('TRACES', 'trace_count', [{ type: 'COUNT' }], {
      dimensions: ['trace_status'],
      filters
    }),
    asker.ask('TRACES', 'latency', PERCENTILE_AGGREGATIONS, { filters }),
    asker.ask(
      'TRACES',
      'latency',
      [...PERCENTILE_AGGREGATIONS, { type: 'AVG' }],
      { bucketed: false, filters }
    ),
    Promise.all(
      tokenNames.map(name =>
        asker.ask('TRACES', TOKEN_USAGE_KEYS[name], sum, { filters })
      )
    ),
    Promise.all(
      costNames.map(name =>
        asker.ask('SPANS', COST_KEYS[name], sum, { filters })
      )
    )
  ]);
  const grid = asker.grid;
  const buckets: ISummaryBucketJson[] = grid.starts().map(start => ({
    start_time_ms: start,
    ...emptyFigures()
  }));
  for (const point of counts) {
    const bucket = buckets[asker.index(point)];
    const count = Math.trunc(point.values.COUNT ?? 0);
    bucket.traces += count;
    if (point.dimensions.trace_status === 'ERROR') {
      bucket.errors += count;
    }
  }
  for (const point of latencies) {
    buckets[asker.index(point)].latency_ms = latencyOf(point.values);
  }
  tokenNames.forEach((name, i) => {
    for (const point of tokens[i]) {
      buckets[asker.index(point)].tokens[name] = Math.trunc(point.values.SUM);
    }
  });
  const bucketCost = buckets.map(() => new CostSum());
  const totalCost = new CostSum();
  costNames.forEach((name, i) => {
    for (const point of costs[i]) {
      const value = point.values.SUM;
      if (value !== undefined) {
        bucketCost[asker.index(point)].raw[name] = value;
        totalCost.raw[name] = (totalCost.raw[name] ?? 0) + value;
      }
    }
  });
  buckets.forEach((bucket, i) => (bucket.cost = bucketCost[i].json()));
  const traces = buckets.reduce((n, b) => n + b.traces, 0);
  const totals: ISummaryFiguresJson = {
    traces,
    errors: buckets.reduce((n, b) => n + b.errors, 0),
    latency_ms: overall.length > 0 ? latencyOf(overall[0].values) : null,
    tokens: emptyFigures().tokens,
    cost: totalCost.json()
  };
  for (const name of tokenNames) {
    totals.tokens[name] = sumOrNull(buckets.map(b => b.tokens[name]));
  }
  const avg = overall.length > 0 ? overall[0].values.AVG : undefined;
  return {
    buckets,
    totals,
    traceTimeMs: avg === undefined ? null : avg * traces
  };
}
