/**
 * Trace queries and management from a cell: search (MLflow's filter syntax
 * passed through), tags and deletion, each on the configured tracking
 * server (assessments: ./assessments).
 */
import { MlflowClient } from '../client';
import { TraceRef, traceRefId } from './display';
import { resolveExperimentIds } from './experiments';
import { ITraceQuery, TraceSearchResults } from './results';
import { current } from './session';

/** Options of searchTraces(). */
export interface ISearchTracesOptions {
  /** Default: the configured experiment (unless experimentNames is given). */
  experimentIds?: readonly string[];
  /** Resolved to ids through the server; a missing name is an error. */
  experimentNames?: readonly string[];
  /** MLflow filter syntax, e.g. `trace.status = 'ERROR'`. */
  filter?: string;
  /** E.g. `'execution_time_ms DESC'` or `['timestamp_ms DESC']`. */
  orderBy?: string | readonly string[];
  /** Page size; the server allows 1..500 and defaults to 100. */
  maxResults?: number;
  pageToken?: string;
}

/** Which traces deleteTraces() removes. */
export type DeleteTracesOptions =
  | { experimentId: string; traceIds: readonly TraceRef[] }
  | {
      experimentId: string;
      /** Traces whose request time is strictly before this. */
      olderThan: Date | number;
      maxTraces?: number;
    };

async function client(): Promise<MlflowClient> {
  return (await current()).client;
}

/**
 * One page of traces matching MLflow's filter syntax, as typed results
 * with `.nextPageToken`, `.next()` and `.all()`. A malformed filter rejects
 * with the server's own message.
 */
export async function searchTraces(
  options: ISearchTracesOptions = {}
): Promise<TraceSearchResults> {
  const c = await client();
  const orderBy =
    typeof options.orderBy === 'string'
      ? [options.orderBy]
      : (options.orderBy ?? []).slice();
  const query: ITraceQuery = {
    experimentIds: await resolveExperimentIds(c, options, 'searchTraces'),
    orderBy
  };
  if (options.filter) {
    query.filter = options.filter;
  }
  if (options.maxResults !== undefined) {
    query.maxResults = options.maxResults;
  }
  const pager = (pageToken: string | undefined) =>
    c.searchTraces({ ...query, pageToken });
  const page = await pager(options.pageToken);
  return TraceSearchResults.fromInfos(page.traces, {
    query,
    trackingUri: c.trackingUri,
    nextPageToken: page.nextPageToken,
    pager
  });
}

/** Sets a tag on a trace; resolves with the trace's tags as the server now holds them. */
export async function setTag(
  trace: TraceRef,
  key: string,
  value: string
): Promise<Record<string, string>> {
  const c = await client();
  const id = traceRefId(trace);
  await c.setTraceTag(id, key, String(value));
  return (await c.getTraceInfo(id)).tags ?? {};
}

/** Removes a tag from a trace; resolves with the trace's remaining tags. */
export async function deleteTag(
  trace: TraceRef,
  key: string
): Promise<Record<string, string>> {
  const c = await client();
  const id = traceRefId(trace);
  await c.deleteTraceTag(id, key);
  return (await c.getTraceInfo(id)).tags ?? {};
}

/** Deletes traces by id or by age; resolves with how many the server deleted. */
export async function deleteTraces(
  options: DeleteTracesOptions
): Promise<number> {
  if (!options || typeof options.experimentId !== 'string') {
    throw new TypeError('deleteTraces needs an experimentId');
  }
  const c = await client();
  if ('traceIds' in options) {
    return c.deleteTraces({
      experimentId: options.experimentId,
      traceIds: options.traceIds.map(traceRefId)
    });
  }
  const olderThanMs =
    options.olderThan instanceof Date
      ? options.olderThan.getTime()
      : Number(options.olderThan);
  if (!Number.isFinite(olderThanMs)) {
    throw new TypeError('deleteTraces: olderThan is not a date');
  }
  return c.deleteTraces({
    experimentId: options.experimentId,
    olderThanMs,
    maxTraces: options.maxTraces
  });
}
