/**
 * Encoder for `application/vnd.mlflow.trace-summary+json`: a query's
 * aggregates over time (contract/trace-summary.schema.json), and the display
 * bundle that carries it with its text/html and text/plain fallbacks.
 * Pure and deterministic.
 */
import { ISummaryBucketJson, ISummaryFiguresJson } from '../trace/aggregate';
import { IBudgetsJson, IViolationJson } from '../trace/budgets';
import { IGroupByJson } from '../trace/groupby';
import { IQualityJson } from '../trace/quality';
import { ISpanRowsJson } from '../trace/spanrows';
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
  group_by?: IGroupByJson;
  budgets?: IBudgetsJson;
}

/** One segment of a trace-summary payload (with query.group_by). */
export interface ITraceSummarySegment {
  value: string | null;
  buckets: ISummaryBucketJson[];
  totals: ISummaryFiguresJson;
}

/** The optional parts of a trace-summary payload, as written. */
export interface ITraceSummaryParts {
  quality?: IQualityJson[];
  segments?: ITraceSummarySegment[];
  segments_note?: string;
  spans?: ISpanRowsJson;
  violations?: IViolationJson[];
}

/** The `application/vnd.mlflow.trace-summary+json` payload, as written. */
export interface ITraceSummaryBundle extends ITraceSummaryParts {
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
export interface ITraceSummaryInput extends ITraceSummaryParts {
  experimentIds: readonly string[];
  filter?: string;
  startMs: number;
  endMs: number;
  intervalSeconds: number;
  groupBy?: IGroupByJson;
  budgets?: IBudgetsJson;
  source: SummarySource;
  sourceNote?: string;
  buckets: readonly ISummaryBucketJson[];
  totals: ISummaryFiguresJson;
}

const PART_KEYS: (keyof ITraceSummaryParts)[] = [
  'quality',
  'segments',
  'segments_note',
  'spans',
  'violations'
];

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
    interval_seconds: input.intervalSeconds,
    ...(input.groupBy ? { group_by: input.groupBy } : {}),
    ...(input.budgets ? { budgets: input.budgets } : {})
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
  // the optional parts, in the schema's order, when given
  for (const key of PART_KEYS) {
    if (input[key] !== undefined) {
      (bundle as unknown as Record<string, unknown>)[key] = input[key];
    }
  }
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
