/**
 * A session from a cell: the traces sharing the metadata
 * `mlflow.trace.session`, in request-time order, as a result list that
 * show() displays as a conversation.
 */
import { PageTokenTrail } from '../client';
import {
  ITraceInfoV3,
  MAX_SESSION_TURNS,
  SESSION_ORDER_BY,
  sessionFilter
} from '../trace';
import { resolveExperimentIds } from './experiments';
import { ITraceQuery, TraceSearchResults } from './results';
import { current } from './session';

/** Options of searchSession() and `show({ sessionId })`. */
export interface ISessionOptions {
  /** The trace metadata `mlflow.trace.session` shared by the session's traces. */
  sessionId: string;
  /** Default: the configured experiment (unless experimentNames is given). */
  experimentIds?: readonly string[];
  experimentNames?: readonly string[];
  /** Turns read at most (default MAX_SESSION_TURNS); the rest stay a page token away. */
  maxTurns?: number;
}

/** The server's largest page of a search. */
const MAX_PAGE_SIZE = 500;

/**
 * The traces of one session (trace metadata `mlflow.trace.session`) in
 * request-time order, every page read up to `maxTurns`; show() displays them
 * as a conversation. A longer session keeps the page token of the rest.
 *
 * #### Notes
 * Pages are never cut: each asks for at most the turns still wanted, so the
 * token left after the last one continues exactly where the turns stop.
 */
export async function searchSession(
  options: ISessionOptions
): Promise<TraceSearchResults> {
  const filter = sessionFilter(options?.sessionId);
  const maxTurns = options.maxTurns ?? MAX_SESSION_TURNS;
  if (!Number.isInteger(maxTurns) || maxTurns < 1) {
    throw new TypeError(
      `searchSession: maxTurns is a positive integer (got ${String(maxTurns)})`
    );
  }
  const c = (await current()).client;
  const query: ITraceQuery = {
    experimentIds: await resolveExperimentIds(c, options, 'searchSession'),
    filter,
    orderBy: SESSION_ORDER_BY.slice(),
    maxResults: Math.min(maxTurns, MAX_PAGE_SIZE),
    sessionId: options.sessionId
  };
  const pager = (pageToken: string | undefined, maxResults?: number) =>
    c.searchTraces({
      ...query,
      maxResults: maxResults ?? query.maxResults,
      pageToken
    });
  const trail = new PageTokenTrail({
    serverUrl: c.trackingUri,
    operation: 'searchSession'
  });
  const infos: ITraceInfoV3[] = [];
  let token: string | undefined;
  do {
    const wanted = Math.min(maxTurns - infos.length, MAX_PAGE_SIZE);
    const page = await pager(token, wanted);
    infos.push(...page.traces);
    token = page.nextPageToken || undefined;
    if (token !== undefined) {
      trail.visit(token);
    }
  } while (token !== undefined && infos.length < maxTurns);
  return TraceSearchResults.fromInfos(infos, {
    query,
    trackingUri: c.trackingUri,
    nextPageToken: token,
    pager: pageToken => pager(pageToken)
  });
}
