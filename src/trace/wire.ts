/**
 * The JSON shapes the MLflow tracking server sends, exactly as it sends them.
 *
 * #### Notes
 * Checked against `mlflow server` 3.17.2:
 * - `GET /api/3.0/mlflow/traces/{id}` → `{ trace: { trace_info: ITraceInfoV3 } }`
 * - `GET /ajax-api/3.0/mlflow/get-trace-artifact?request_id={id}` → `{ spans: ISpanDict[] }`
 *   (this route exists under /ajax-api only; /api answers 404)
 * - `POST /api/3.0/mlflow/traces/search` → `{ traces: ITraceInfoV3[], next_page_token? }`
 * - `POST|PATCH /api/3.0/mlflow/traces/{id}/assessments[/{aid}]` → `{ assessment: IAssessment }`
 * - `GET /api/3.0/mlflow/review-queues/list?experiment_id=` →
 *   `{ review_queues: IReviewQueue[], next_page_token: "" }` ("" on the last page)
 * - `GET /api/3.0/mlflow/review-queues/items/list?queue_id=[&status=]` →
 *   `{ items: IReviewQueueItem[], next_page_token: "" }`
 * - `POST /api/3.0/mlflow/review-queues/items/set-status` → `{ item: IReviewQueueItem }`
 *
 * Span times arrive as JSON numbers from the server and as strings from
 * other writers, so both are accepted. The root span's `parent_span_id` is
 * `null` from the server and `""` from the TypeScript SDK.
 */

/** Trace state as TraceInfoV3 names it. */
export type TraceState = 'STATE_UNSPECIFIED' | 'OK' | 'ERROR' | 'IN_PROGRESS';

/** An assessment (feedback or expectation) attached to a trace. */
export interface IAssessment {
  assessment_id?: string;
  assessment_name: string;
  trace_id?: string;
  span_id?: string;
  source?: { source_type?: string; source_id?: string };
  create_time?: string;
  last_update_time?: string;
  feedback?: {
    value?: unknown;
    /** A judge that failed. */
    error?: {
      error_code?: string;
      error_message?: string;
      stack_trace?: string;
    };
  };
  expectation?: {
    value?: unknown;
    serialized_value?: { value: string; serialization_format?: string };
  };
  /** MLflow's issue assessment: `assessment_name` is the issue's id. */
  issue?: { issue_name?: string };
  rationale?: string;
  metadata?: Record<string, string>;
  valid?: boolean;
  /** The assessment this one supersedes (which then reads `valid: false`). */
  overrides?: string;
}

/**
 * Where an item of a review queue stands; the same for every reviewer of
 * the queue. COMPLETE and DECLINED items carry `completed_by`.
 */
export type ReviewStatus = 'PENDING' | 'COMPLETE' | 'DECLINED';

/**
 * A review queue as `GET /api/3.0/mlflow/review-queues/list` sends it.
 * `users`, `schema_ids` and `created_by` are left out when empty or unset.
 */
export interface IReviewQueue {
  queue_id: string;
  experiment_id: string;
  name: string;
  /** `USER`: one reviewer's worklist, named after them; `CUSTOM`: any other. */
  queue_type?: 'USER' | 'CUSTOM';
  created_by?: string;
  creation_time_ms?: number;
  last_update_time_ms?: number;
  users?: string[];
  schema_ids?: string[];
}

/** One item of a review queue (a trace), as `review-queues/items/list` sends it. */
export interface IReviewQueueItem {
  queue_id: string;
  /** `TRACE`: `item_id` is a trace id. */
  item_type?: 'TRACE';
  item_id: string;
  status: ReviewStatus;
  completed_by?: string;
  completed_time_ms?: number;
  creation_time_ms?: number;
  last_update_time_ms?: number;
}

/** TraceInfoV3 as `GET /api/3.0/mlflow/traces/{id}` returns it (snake_case). */
export interface ITraceInfoV3 {
  trace_id: string;
  client_request_id?: string;
  trace_location?: {
    type?: string;
    mlflow_experiment?: { experiment_id: string };
    inference_table?: { full_table_name: string };
  };
  request_preview?: string;
  response_preview?: string;
  /** RFC 3339 timestamp, e.g. "2026-11-23T20:15:32.477Z". */
  request_time?: string;
  /** Protobuf Duration, e.g. "0.244s". */
  execution_duration?: string;
  state?: TraceState;
  trace_metadata?: Record<string, string>;
  tags?: Record<string, string>;
  assessments?: IAssessment[];
}

/** A span event as `get-trace-artifact` returns it. */
export interface ISpanEventDict {
  name: string;
  time_unix_nano?: number | string;
  attributes?: Record<string, unknown>;
}

/** MLflow 3 span dict (`Span.to_dict()`): base64 ids, nanosecond times. */
export interface ISpanDict {
  trace_id?: string;
  span_id: string;
  trace_state?: string;
  parent_span_id?: string | null;
  name: string;
  start_time_unix_nano: number | string;
  end_time_unix_nano?: number | string | null;
  status?: { code?: string; message?: string };
  attributes?: Record<string, unknown>;
  events?: ISpanEventDict[];
  links?: unknown[];
}

/** MLflow 2.x legacy span dict: hex ids under `context`, times in nanoseconds. */
export interface ILegacySpanDict {
  name: string;
  context: { span_id: string; trace_id?: string };
  parent_id?: string | null;
  start_time: number | string;
  end_time?: number | string | null;
  status_code?: string;
  status_message?: string;
  attributes?: Record<string, unknown>;
  events?: {
    name: string;
    timestamp?: number | string;
    attributes?: Record<string, unknown>;
  }[];
}

/** The body of `get-trace-artifact`. */
export interface ITraceData {
  spans: (ISpanDict | ILegacySpanDict)[];
}

/** One trace as the server describes it: its info and its spans. */
export interface IRawTrace {
  info: ITraceInfoV3;
  spans: (ISpanDict | ILegacySpanDict)[];
}
