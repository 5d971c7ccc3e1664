/**
 * Encoder for `application/vnd.mlflow.trace-summary+json`: a query's
 * aggregates over time (contract/trace-summary.schema.json), and the display
 * bundle that carries it with its text/html and text/plain fallbacks.
 * Pure and deterministic.
 */
import { ISummaryBucketJson, ISummaryFiguresJson } from '../trace/aggregate';
import { BUNDLE_VERSION, TRACE_SUMMARY_MIME_TYPE } from './mimetypes';
import {
  renderTraceSummaryHtml,
  renderTraceSummaryText
} from './summaryfallback';
import { setTrackingUri } from './util';

/** How a summary was computed. */
export type SummarySource = 'server' | 'search';

/** The `query` of a trace-summary payload, as written. */
export interface ITraceSummaryQuery {
  experiment_ids: string[];
  /** As the user wrote it, in search_traces syntax. */
  filter?: string;
  start_time_ms: number;
  /** Inclusive. */
  end_time_ms: number;
  interval_seconds: number;
}

/** The `application/vnd.mlflow.trace-summary+json` payload, as written. */
export interface ITraceSummaryBundle {
  version: number;
  tracking_uri?: string;
  query: ITraceSummaryQuery;
  /** 'server': QueryTraceMetrics; 'search': over search results. */
  source: SummarySource;
  /** Why 'search', when it is. */
  source_note?: string;
  buckets: ISummaryBucketJson[];
  totals: ISummaryFiguresJson;
}

/** What encodeTraceSummaryBundle takes. */
export interface ITraceSummaryInput {
  experimentIds: readonly string[];
  filter?: string;
  startMs: number;
  endMs: number;
  intervalSeconds: number;
  source: SummarySource;
  sourceNote?: string;
  buckets: readonly ISummaryBucketJson[];
  totals: ISummaryFiguresJson;
}

/** Builds a trace-summary payload; `warnings` says what was left out. */
export function encodeTraceSummaryBundle(
  input: ITraceSummaryInput,
  options: { trackingUri?: string } = {}
): { bundle: ITraceSummaryBundle; warnings: string[] } {
  const warnings: string[] = [];
  const head: { version: number; tracking_uri?: string } = {
    version: BUNDLE_VERSION
  };
  setTrackingUri(head, options.trackingUri, warnings);
  const query: ITraceSummaryQuery = {
    experiment_ids: input.experimentIds.map(String),
    ...(input.filter ? { filter: input.filter } : {}),
    start_time_ms: input.startMs,
    end_time_ms: input.endMs,
    interval_seconds: input.intervalSeconds
  };
  const bundle: ITraceSummaryBundle = {
    ...head,
    query,
    source: input.source,
    ...(input.sourceNote !== undefined
      ? { source_note: input.sourceNote }
      : {}),
    buckets: input.buckets.map(bucket => ({ ...bucket })),
    totals: input.totals
  };
  return { bundle, warnings };
}

/**
 * The display data of a trace-summary payload: the payload under its MIME
 * type with its static text/html and text/plain fallbacks.
 */
export function summaryBundle(
  payload: ITraceSummaryBundle
): Record<string, unknown> {
  return {
    [TRACE_SUMMARY_MIME_TYPE]: payload,
    'text/html': renderTraceSummaryHtml(payload),
    'text/plain': renderTraceSummaryText(payload)
  };
}
