/**
 * Typed trace search results: one row per TraceInfoV3, and the result
 * list that carries its query, its next page token and `all()`.
 */
import { IAssessment, ITokenUsage, ITraceInfoV3, TraceState } from '../trace';
import { parseDurationMs, parseTokenUsage } from '../trace';
import { PageTokenTrail } from '../client';

/** One search result: the figures of a trace, and its raw info. */
export interface ITraceResult {
  traceId: string;
  /** Tag `mlflow.traceName`, else ''. */
  name: string;
  state: TraceState;
  /** When the request started; null if the server did not say. */
  requestTime: Date | null;
  /** `requestTime` in epoch ms; null if unknown. */
  requestTimeMs: number | null;
  /** Execution duration in ms; null if unknown. */
  durationMs: number | null;
  /** Trace metadata `mlflow.trace.tokenUsage`; null if none. */
  tokenUsage: ITokenUsage | null;
  tags: Record<string, string>;
  metadata: Record<string, string>;
  requestPreview: string;
  responsePreview: string;
  assessments: IAssessment[];
  /** The TraceInfoV3 exactly as the server returned it. */
  info: ITraceInfoV3;
}

/** The query a result list answers (page token excluded). */
export interface ITraceQuery {
  experimentIds: string[];
  filter?: string;
  orderBy: string[];
  maxResults?: number;
  /** The session the results are the turns of (searchSession()). */
  sessionId?: string;
}

/** Fetches one page of infos for a query. */
export type TracePager = (
  pageToken: string | undefined
) => Promise<{ traces: ITraceInfoV3[]; nextPageToken?: string }>;

/** A typed row from a TraceInfoV3. */
export function toTraceResult(info: ITraceInfoV3): ITraceResult {
  const ms = info.request_time ? Date.parse(info.request_time) : NaN;
  const tags = { ...(info.tags ?? {}) };
  const metadata = { ...(info.trace_metadata ?? {}) };
  return {
    traceId: info.trace_id,
    name: tags['mlflow.traceName'] ?? '',
    state: info.state ?? 'STATE_UNSPECIFIED',
    requestTime: Number.isFinite(ms) ? new Date(ms) : null,
    requestTimeMs: Number.isFinite(ms) ? ms : null,
    durationMs: parseDurationMs(info.execution_duration),
    tokenUsage: parseTokenUsage(metadata['mlflow.trace.tokenUsage']),
    tags,
    metadata,
    requestPreview: info.request_preview ?? '',
    responsePreview: info.response_preview ?? '',
    assessments: (info.assessments ?? []).slice(),
    info
  };
}

/**
 * One page of search results: an array of ITraceResult with the query,
 * `nextPageToken`, `next()` and `all()`. show() displays it as a table.
 */
export class TraceSearchResults extends Array<ITraceResult> {
  // map/filter/slice give plain arrays, not result lists.
  static get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** A result list of `infos`, answering `query` on `trackingUri`. */
  static fromInfos(
    infos: readonly ITraceInfoV3[],
    init: {
      query: ITraceQuery;
      trackingUri: string;
      nextPageToken?: string;
      pager: TracePager;
    }
  ): TraceSearchResults {
    const list = new TraceSearchResults();
    for (const info of infos) {
      list.push(toTraceResult(info));
    }
    Object.defineProperties(list, {
      query: { value: init.query, enumerable: false },
      trackingUri: { value: init.trackingUri, enumerable: false },
      nextPageToken: { value: init.nextPageToken, enumerable: false },
      _pager: { value: init.pager, enumerable: false }
    });
    return list;
  }

  /** The query these results answer. */
  declare readonly query: ITraceQuery;
  /** The tracking server that answered. */
  declare readonly trackingUri: string;
  /** Token of the next page; undefined on the last page. */
  declare readonly nextPageToken: string | undefined;
  declare private readonly _pager: TracePager;

  /** The next page, or null on the last page. */
  async next(): Promise<TraceSearchResults | null> {
    if (!this.nextPageToken) {
      return null;
    }
    const page = await this._pager(this.nextPageToken);
    return this._derive(page.traces, page.nextPageToken);
  }

  /**
   * Every matching trace, each exactly once, paging from the first page.
   * Rejects with PageTokenCycleError when a page token comes back.
   */
  async all(): Promise<TraceSearchResults> {
    const seen = new Set<string>();
    const infos: ITraceInfoV3[] = [];
    // Any earlier token, not only the last: A → B → A would loop as well.
    const trail = new PageTokenTrail({
      serverUrl: this.trackingUri,
      operation: 'TraceSearchResults.all'
    });
    let token: string | undefined = undefined;
    for (;;) {
      const page = await this._pager(token);
      for (const info of page.traces) {
        if (!seen.has(info.trace_id)) {
          seen.add(info.trace_id);
          infos.push(info);
        }
      }
      if (!page.nextPageToken) {
        break;
      }
      trail.visit(page.nextPageToken);
      token = page.nextPageToken;
    }
    return this._derive(infos, undefined);
  }

  private _derive(
    infos: readonly ITraceInfoV3[],
    nextPageToken: string | undefined
  ): TraceSearchResults {
    return TraceSearchResults.fromInfos(infos, {
      query: this.query,
      trackingUri: this.trackingUri,
      nextPageToken,
      pager: this._pager
    });
  }
}

/** True for a TraceSearchResults (also one from another copy of the package). */
export function isTraceSearchResults(
  value: unknown
): value is TraceSearchResults {
  return (
    Array.isArray(value) &&
    typeof (value as { all?: unknown }).all === 'function' &&
    typeof (value as { query?: unknown }).query === 'object'
  );
}
