/**
 * MLflow's trace metrics query (QueryTraceMetrics):
 * `POST /api/3.0/mlflow/traces/metrics`, aggregates computed by the
 * tracking server's database.
 *
 * #### Notes
 * Checked against `mlflow server` 3.17.2: enums are sent by name; the
 * server ignores `page_token` and never sends `next_page_token` (an answer
 * with one fails with InvalidResponseError rather than lose rows), and
 * `max_results` is a plain LIMIT (default 1000, larger values accepted), so
 * a caller asks for as many rows as it can get. Percentile keys of `values`
 * always have a decimal: `P50.0`. The time dimension is `time_bucket`, an
 * ISO-8601 UTC string. Filters are one `<view>.<entity>[.<key>] = '<value>'`
 * clause each, ANDed; it is not the search_traces syntax.
 */
import { isRecord } from '../trace/attributes';
import { InvalidResponseError, shortenToken } from './errors';
import { HttpClient } from './http';

/** What a metrics query aggregates over. */
export type MetricViewType = 'TRACES' | 'SPANS' | 'ASSESSMENTS';

/** One aggregation: a percentile takes `percentile` in [0, 100]. */
export type MetricAggregation =
  | { type: 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX' }
  | { type: 'PERCENTILE'; percentile: number };

/** A QueryTraceMetrics request. */
export interface ITraceMetricsQuery {
  experimentIds: readonly string[];
  viewType: MetricViewType;
  /** E.g. `trace_count`, `latency`, `input_tokens`. */
  metricName: string;
  aggregations: readonly MetricAggregation[];
  /** E.g. `['trace_status']`; the time bucket is added by the interval. */
  dimensions?: readonly string[];
  /** Each `trace.tag.K = 'v'`, `trace.metadata.K = 'v'`, `trace.status = 'X'`. */
  filters?: readonly string[];
  /** Epoch-aligned buckets; needs both start and end. */
  timeIntervalSeconds?: number;
  /** Inclusive. */
  startTimeMs?: number;
  /** Inclusive. */
  endTimeMs?: number;
  /** Rows at most (the server's LIMIT; default 1000). */
  maxResults?: number;
}

/** One row of the answer. */
export interface IMetricDataPoint {
  metricName: string;
  /** Absent dimensions are `{}`; the time bucket is `time_bucket`. */
  dimensions: Record<string, string>;
  /** Keyed by `COUNT`, `SUM`, `AVG`, `MIN`, `MAX` or `P<float>` (`P50.0`). */
  values: Record<string, number>;
}

/** The `values` key of an aggregation in an answer: `SUM`, `P90.0`. */
export function metricValueKey(aggregation: MetricAggregation): string {
  if (aggregation.type !== 'PERCENTILE') {
    return aggregation.type;
  }
  const p = aggregation.percentile;
  return `P${Number.isInteger(p) ? p.toFixed(1) : String(p)}`;
}

/** The JSON body of `POST /api/3.0/mlflow/traces/metrics`. */
export function traceMetricsBody(
  query: ITraceMetricsQuery
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    experiment_ids: query.experimentIds.map(String),
    view_type: query.viewType,
    metric_name: query.metricName,
    aggregations: query.aggregations.map(a =>
      a.type === 'PERCENTILE'
        ? { aggregation_type: a.type, percentile_value: a.percentile }
        : { aggregation_type: a.type }
    )
  };
  if (query.dimensions && query.dimensions.length > 0) {
    body.dimensions = query.dimensions.slice();
  }
  if (query.filters && query.filters.length > 0) {
    body.filters = query.filters.slice();
  }
  const optional = {
    time_interval_seconds: query.timeIntervalSeconds,
    start_time_ms: query.startTimeMs,
    end_time_ms: query.endTimeMs,
    max_results: query.maxResults
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) {
      body[key] = value;
    }
  }
  return body;
}

function stringRecord(value: unknown): Record<string, string> | null {
  if (value === undefined) {
    return {};
  }
  if (!isRecord(value)) {
    return null;
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      return null;
    }
    out[key] = v;
  }
  return out;
}

function numberRecord(value: unknown): Record<string, number> | null {
  if (!isRecord(value)) {
    return null;
  }
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) {
      continue; // an aggregate over no value
    }
    if (typeof v !== 'number') {
      return null;
    }
    out[key] = v;
  }
  return out;
}

/** Sends one metrics query; resolves with its data points in server order. */
export async function queryTraceMetrics(
  http: HttpClient,
  query: ITraceMetricsQuery
): Promise<IMetricDataPoint[]> {
  const operation = 'queryTraceMetrics';
  const body = await http.request({
    operation,
    method: 'POST',
    path: '/api/3.0/mlflow/traces/metrics',
    body: traceMetricsBody(query),
    // a read: safe to send again after a 502/504 or a reset
    idempotent: true
  });
  const points = body.data_points ?? [];
  const invalid = (detail: string) =>
    new InvalidResponseError(detail, { serverUrl: http.baseUrl, operation });
  if (!Array.isArray(points)) {
    throw invalid('data_points is not an array');
  }
  // Pages are not read: the rows of the next ones would be lost silently.
  const next = body.next_page_token;
  if (next !== undefined && next !== null && next !== '') {
    const shown = typeof next === 'string' ? shortenToken(next) : String(next);
    throw invalid(
      `it has a next_page_token (${JSON.stringify(shown)}); further pages are not read, so their rows would be lost`
    );
  }
  return points.map((point: unknown, i) => {
    const dimensions = isRecord(point) ? stringRecord(point.dimensions) : null;
    const values = isRecord(point) ? numberRecord(point.values) : null;
    if (!isRecord(point) || dimensions === null || values === null) {
      throw invalid(`data_points[${i}] is not {dimensions?, values}`);
    }
    const name = point.metric_name;
    return {
      metricName: typeof name === 'string' ? name : query.metricName,
      dimensions,
      values
    };
  });
}
