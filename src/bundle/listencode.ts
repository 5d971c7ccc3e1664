/**
 * Encoder for `application/vnd.mlflow.trace-list+json`: a trace query and
 * one page (or all) of its results. Pure and deterministic.
 */
import { ITraceInfoV3 } from '../trace';
import { BUNDLE_VERSION } from './mimetypes';
import { setTrackingUri, utf8ByteLength } from './util';

/** The `query` of a trace-list bundle, as written (snake_case). */
export interface ITraceListBundleQuery {
  experiment_ids: string[];
  filter?: string;
  order_by: string[];
  max_results?: number;
  session_id?: string;
}

/** The `application/vnd.mlflow.trace-list+json` payload, as written. */
export interface ITraceListBundle {
  version: number;
  tracking_uri?: string;
  query: ITraceListBundleQuery;
  traces: ITraceInfoV3[];
  next_page_token?: string;
}

/** What encodeTraceListBundle takes. */
export interface ITraceListInput {
  experimentIds: readonly string[];
  filter?: string;
  orderBy?: readonly string[];
  maxResults?: number;
  /** The session the traces are the turns of (their filter names it). */
  sessionId?: string;
  /** TraceInfoV3 objects exactly as the server returned them. */
  traces: readonly ITraceInfoV3[];
  nextPageToken?: string;
}

/** What encodeTraceListBundle returns. */
export interface IListEncodeResult {
  bundle: ITraceListBundle;
  /** UTF-8 bytes of `JSON.stringify(bundle)`. */
  sizeBytes: number;
  /** Problems worked around (an ignored URI, an over-budget payload). */
  warnings: string[];
}

/** Builds an `application/vnd.mlflow.trace-list+json` payload. */
export function encodeTraceListBundle(
  input: ITraceListInput,
  options: { trackingUri?: string; maxBytes?: number } = {}
): IListEncodeResult {
  const warnings: string[] = [];
  const query: ITraceListBundleQuery = {
    experiment_ids: input.experimentIds.map(String),
    order_by: (input.orderBy ?? []).slice()
  };
  if (input.filter) {
    query.filter = input.filter;
  }
  if (input.maxResults !== undefined) {
    query.max_results = input.maxResults;
  }
  if (input.sessionId) {
    query.session_id = input.sessionId;
  }
  const bundle: ITraceListBundle = {
    version: BUNDLE_VERSION,
    query,
    traces: []
  };
  setTrackingUri(bundle, options.trackingUri, warnings);
  bundle.traces = input.traces.slice();
  if (input.nextPageToken) {
    bundle.next_page_token = input.nextPageToken;
  }
  const sizeBytes = utf8ByteLength(JSON.stringify(bundle));
  if (options.maxBytes !== undefined && sizeBytes > options.maxBytes) {
    warnings.push(
      `the trace list is ${sizeBytes} bytes, over the ${options.maxBytes}-byte budget`
    );
  }
  return { bundle, sizeBytes, warnings };
}
