/**
 * Request bodies and small response shapes of the client, kept apart from
 * the transport so they can be tested without a server.
 */
import { ITraceInfoV3 } from '../trace/wire';

/** A trace search over one or more experiments. */
export interface ISearchQuery {
  experimentIds: string[];
  /** MLflow filter syntax, e.g. `trace.status = 'OK'`. */
  filter?: string;
  /** E.g. `['timestamp_ms DESC']`. */
  orderBy?: string[];
  /** Page size; the server allows 1..500 and defaults to 100. */
  maxResults?: number;
  pageToken?: string;
}

/** One page of search results. */
export interface ISearchPage {
  traces: ITraceInfoV3[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

/** The JSON body of `POST /api/3.0/mlflow/traces/search`. */
export function searchBody(query: ISearchQuery): Record<string, unknown> {
  const body: Record<string, unknown> = {
    // The server accepts only `locations`, not the older `experiment_ids`.
    locations: query.experimentIds.map(experimentId => ({
      type: 'MLFLOW_EXPERIMENT',
      mlflow_experiment: { experiment_id: experimentId }
    }))
  };
  if (query.filter) {
    body.filter = query.filter;
  }
  if (query.orderBy && query.orderBy.length > 0) {
    body.order_by = query.orderBy;
  }
  if (query.maxResults !== undefined) {
    body.max_results = query.maxResults;
  }
  if (query.pageToken) {
    body.page_token = query.pageToken;
  }
  return body;
}

/** Which traces {@link MlflowClient.deleteTraces} removes. */
export type IDeleteTracesQuery =
  | { experimentId: string; traceIds: string[] }
  | {
      experimentId: string;
      /** Traces whose request time is strictly before this epoch ms. */
      olderThanMs: number;
      maxTraces?: number;
    };

/** The JSON body of `POST /api/3.0/mlflow/traces/delete-traces`. */
export function deleteTracesBody(
  query: IDeleteTracesQuery
): Record<string, unknown> {
  if ('traceIds' in query) {
    // The V3 message still calls the trace ids `request_ids`.
    return { experiment_id: query.experimentId, request_ids: query.traceIds };
  }
  // The server deletes request_time <= max_timestamp_millis, while "older
  // than" is strict.
  const body: Record<string, unknown> = {
    experiment_id: query.experimentId,
    max_timestamp_millis: Math.floor(query.olderThanMs) - 1
  };
  if (query.maxTraces !== undefined) {
    body.max_traces = query.maxTraces;
  }
  return body;
}
