/**
 * The output contract's shapes (DESIGN.md): what the kernel writes, and what
 * the decoders hand to renderers. Info and span objects are exactly what the
 * tracking server returns; nothing here invents a second shape for them.
 */
import { ILiveWire, ITraceInfoV3 } from '../trace';

/** How the kernel shortened a trace to fit the output budget. */
export interface ITruncation {
  /** Longest string kept, in characters; longer ones end with a marker. */
  max_string: number;
  /** True when the spans were dropped entirely; the trace is then fetched. */
  spans_dropped?: boolean;
}

/**
 * The `live` object of a trace entry, as written (snake_case, as on the
 * wire): defined with the trace model, which reads it.
 *
 * #### Notes
 * The last update of a trace that ended normally has no `live`. Running
 * spans are span dicts with `end_time_unix_nano: null`.
 */
export type IWireLive = ILiveWire;

/** One trace of `application/vnd.mlflow.trace+json`, as written. */
export interface ITraceBundleEntry {
  trace_id: string;
  info?: ITraceInfoV3;
  spans?: unknown[];
  truncated?: ITruncation;
  live?: IWireLive;
}

/** The `application/vnd.mlflow.trace+json` payload, as written. */
export interface ITraceBundle {
  version: number;
  tracking_uri?: string;
  traces: ITraceBundleEntry[];
  /** Ask the renderer to show the traces side by side. */
  compare?: boolean;
}

/** A trace handed to the encoder or the fallbacks. */
export interface IBundleTraceInput {
  traceId: string;
  /** `GET /api/3.0/mlflow/traces/{id}` → `.trace.trace_info`. */
  info?: ITraceInfoV3;
  /** `get-trace-artifact` → `.spans`. */
  spans?: readonly unknown[];
  /** Set while the trace is live (see IWireLive); written as given. */
  live?: IWireLive;
  /** Set when the spans were already shortened (boundLiveSnapshot); written as given. */
  truncated?: ITruncation;
}

/** One decoded trace entry. */
export interface IBundleTrace {
  /** '' for an entry without a usable `trace_id` (then `error` is set). */
  traceId: string;
  info?: ITraceInfoV3;
  spans?: unknown[];
  /** True when both `info` and `spans` are present: renders offline. */
  embedded: boolean;
  truncated?: ITruncation;
  /** Set while the trace is live; a malformed `live` is left out with a warning. */
  live?: IWireLive;
  /** What was wrong with this entry, naming the field path. */
  error?: string;
}

/** A decoded trace bundle; decoders never throw. */
export interface IDecodedBundle {
  /** The bundle's version; null when it is missing or not a number. */
  version: number | null;
  /** Kept only when it is an http(s) URL. */
  trackingUri?: string;
  /** Every entry, in input order, including error entries. */
  traces: IBundleTrace[];
  /** Problems that lose data, each naming the field path. */
  errors: string[];
  /** Problems that were worked around (dropped URL, newer version, …). */
  warnings: string[];
  compare: boolean;
}

/** The query of a trace-list bundle. */
export interface ITraceListQuery {
  experimentIds: string[];
  filter?: string;
  orderBy: string[];
  maxResults?: number;
  /** Set when the list is one session's traces (`mlflow.trace.session`), read as a conversation. */
  sessionId?: string;
}

/** One row of a decoded trace list. */
export interface ITraceListRow {
  /** '' for an entry without a usable `trace_id` (then `error` is set). */
  traceId: string;
  info?: ITraceInfoV3;
  error?: string;
}

/** A decoded `application/vnd.mlflow.trace-list+json` payload. */
export interface IDecodedTraceList {
  version: number | null;
  trackingUri?: string;
  query: ITraceListQuery;
  traces: ITraceListRow[];
  nextPageToken?: string;
  errors: string[];
  warnings: string[];
}
