/**
 * The MLflow tracking-server client: traces, search, tags, deletion,
 * assessments and experiments over the REST API.
 *
 * #### Notes
 * Paths, all checked against `mlflow server` 3.17.2:
 * - trace info: `GET /api/3.0/mlflow/traces/{id}` → `.trace.trace_info`
 * - spans: `GET /ajax-api/3.0/mlflow/get-trace-artifact?request_id={id}` →
 *   `.spans` (only /ajax-api serves it; `/traces/get` gives OTLP-shaped spans)
 * - search: `POST /api/3.0/mlflow/traces/search` with `locations` (the server
 *   rejects the older `experiment_ids`; an empty result is `{}`)
 * - tags: `PATCH` / `DELETE /api/3.0/mlflow/traces/{id}/tags`, the key of a
 *   DELETE in a JSON body (the server ignores `?key=`)
 * - delete: `POST /api/3.0/mlflow/traces/delete-traces`
 * - assessments: `POST /api/3.0/mlflow/traces/{id}/assessments`, `PATCH` and
 *   `DELETE .../assessments/{assessment_id}` (see ./assessments)
 * - review queues: `/api/3.0/mlflow/review-queues/...` (see ./reviewqueues)
 * - experiments: `GET /api/2.0/mlflow/experiments/get-by-name`,
 *   `POST /api/2.0/mlflow/experiments/create`
 * - metrics: `POST /api/3.0/mlflow/traces/metrics` (QueryTraceMetrics)
 */
import {
  IAssessment,
  ILegacySpanDict,
  IRawTrace,
  IReviewQueue,
  IReviewQueueItem,
  ISpanDict,
  ITraceInfoV3,
  ReviewStatus
} from '../trace/wire';
import { isRecord } from '../trace/attributes';
import { mlflowTraceUiUrl } from '../trace/url';
import { IAttachmentRef } from '../trace/attachments';
import { fetchTraceAttachment, IAttachmentSource } from './attachments';
import {
  createAssessment,
  deleteAssessment,
  IAssessmentInput,
  IAssessmentUpdate,
  updateAssessment
} from './assessments';
import { IAuth } from './auth';
import {
  InvalidResponseError,
  TraceDataNotFoundError,
  TraceNotFoundError
} from './errors';
import {
  createExperiment,
  getExperimentByName,
  IExperiment
} from './experiments';
import { HttpClient } from './http';
import {
  IMetricDataPoint,
  ITraceMetricsQuery,
  queryTraceMetrics
} from './metrics';
import { PageTokenTrail } from './paging';
import {
  IListPageOptions,
  listReviewQueueItems,
  listReviewQueues,
  setReviewQueueItemStatus
} from './reviewqueues';
import {
  deleteTracesBody,
  IDeleteTracesQuery,
  ISearchPage,
  ISearchQuery,
  searchBody
} from './shapes';

/** Options of {@link MlflowClient}. */
export interface IMlflowClientOptions {
  /** `http(s)://host[:port][/prefix]` of the tracking server. */
  trackingUri: string;
  /** Overrides credentials embedded in `trackingUri`. */
  auth?: IAuth;
  /** Per attempt; default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, on transient faults only; default 2. */
  maxRetries?: number;
  /** First backoff delay in ms; default 250. */
  retryBaseMs?: number;
  /** E.g. `window.fetch.bind(window)`, or one that adds a forwarding server's headers. */
  fetch?: typeof fetch;
  /**
   * The tracking server as a browser opens its UI, for {@link MlflowClient.uiUrl};
   * default `trackingUri`. Differs when requests go through a forwarding server.
   */
  uiBaseUrl?: string;
}

/** A REST client for one MLflow tracking server. */
export class MlflowClient {
  constructor(options: IMlflowClientOptions) {
    this._http = new HttpClient({
      trackingUri: options.trackingUri,
      auth: options.auth,
      timeoutMs: options.timeoutMs,
      maxAttempts: (options.maxRetries ?? 2) + 1,
      retryBaseMs: options.retryBaseMs,
      fetch: options.fetch
    });
    this._uiBaseUrl = options.uiBaseUrl;
    this._attachmentSource = {
      trackingUri: options.trackingUri,
      auth: options.auth,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch
    };
  }

  /** One trace attachment's bytes (see ./attachments): ids only, never a URL. */
  getTraceAttachment(
    ref: Pick<IAttachmentRef, 'id' | 'traceId' | 'contentType'>,
    signal?: AbortSignal
  ): Promise<Blob> {
    return fetchTraceAttachment(this._attachmentSource, ref, signal);
  }

  /** The tracking URI, without trailing slash or credentials. */
  get trackingUri(): string {
    return this._http.baseUrl;
  }

  /** The trace's info (no spans). */
  async getTraceInfo(traceId: string): Promise<ITraceInfoV3> {
    const body = await this._http.request({
      operation: 'getTraceInfo',
      method: 'GET',
      path: `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}`,
      notFound: ctx => new TraceNotFoundError(traceId, ctx)
    });
    const info = (body.trace as { trace_info?: unknown } | undefined)
      ?.trace_info;
    if (!isRecord(info) || typeof info.trace_id !== 'string') {
      throw this._invalid('getTraceInfo', 'no trace.trace_info.trace_id');
    }
    return info as unknown as ITraceInfoV3;
  }

  /**
   * The trace's span dicts, as the server stored them; with
   * `exactIntegers`, nanosecond times beyond 2^53 as their digit strings.
   */
  async getTraceSpans(
    traceId: string,
    options: { exactIntegers?: boolean } = {}
  ): Promise<(ISpanDict | ILegacySpanDict)[]> {
    const body = await this._http.request({
      operation: 'getTraceSpans',
      exactIntegers: options.exactIntegers,
      method: 'GET',
      path: '/ajax-api/3.0/mlflow/get-trace-artifact',
      query: { request_id: traceId },
      // RESOURCE_DOES_NOT_EXIST: no such trace; NOT_FOUND: a trace without
      // stored span data (e.g. one logged through the REST API alone).
      notFound: ctx =>
        ctx.errorCode === 'NOT_FOUND'
          ? new TraceDataNotFoundError(traceId, ctx)
          : new TraceNotFoundError(traceId, ctx)
    });
    if (!Array.isArray(body.spans)) {
      throw this._invalid('getTraceSpans', 'no spans array');
    }
    return body.spans as (ISpanDict | ILegacySpanDict)[];
  }

  /** Info and spans, fetched in parallel. */
  async getTrace(traceId: string): Promise<IRawTrace> {
    const [info, spans] = await Promise.all([
      this.getTraceInfo(traceId),
      this.getTraceSpans(traceId)
    ]);
    return { info, spans };
  }

  /** Several traces, at most `concurrency` at a time, in input order. */
  async getTraces(
    traceIds: string[],
    options: { concurrency?: number } = {}
  ): Promise<IRawTrace[]> {
    const results: IRawTrace[] = new Array(traceIds.length);
    let next = 0;
    const worker = async () => {
      while (next < traceIds.length) {
        const index = next++;
        results[index] = await this.getTrace(traceIds[index]);
      }
    };
    const workers = Math.max(
      1,
      Math.min(options.concurrency ?? 4, traceIds.length)
    );
    await Promise.all(Array.from({ length: workers }, worker));
    return results;
  }

  /** One page of trace infos matching `query`. */
  async searchTraces(query: ISearchQuery): Promise<ISearchPage> {
    const body = await this._http.request({
      operation: 'searchTraces',
      method: 'POST',
      path: '/api/3.0/mlflow/traces/search',
      body: searchBody(query),
      idempotent: true
    });
    // The server omits `traces` when nothing matched.
    const traces = body.traces ?? [];
    if (!Array.isArray(traces)) {
      throw this._invalid('searchTraces', 'traces is not an array');
    }
    const token = body.next_page_token;
    return {
      traces: traces as ITraceInfoV3[],
      nextPageToken: typeof token === 'string' && token ? token : undefined
    };
  }

  /** Every trace info matching `query`, page after page. */
  async *iterateTraces(query: ISearchQuery): AsyncGenerator<ITraceInfoV3> {
    let pageToken = query.pageToken;
    const trail = new PageTokenTrail({
      serverUrl: this.trackingUri,
      operation: 'iterateTraces'
    });
    for (;;) {
      if (pageToken !== undefined) {
        trail.visit(pageToken);
      }
      const page = await this.searchTraces({ ...query, pageToken });
      for (const info of page.traces) {
        yield info;
      }
      if (!page.nextPageToken) {
        return;
      }
      pageToken = page.nextPageToken;
    }
  }

  /**
   * Aggregates computed by the server (QueryTraceMetrics). A server without
   * the endpoint answers 404 (NotFoundError) or 501.
   */
  queryTraceMetrics(query: ITraceMetricsQuery): Promise<IMetricDataPoint[]> {
    return queryTraceMetrics(this._http, query);
  }

  /** The experiment of that name, or null when there is none. */
  getExperimentByName(name: string): Promise<IExperiment | null> {
    return getExperimentByName(this._http, name);
  }

  /** Creates an experiment and returns its id. */
  createExperiment(name: string): Promise<string> {
    return createExperiment(this._http, name);
  }

  /** Sets (or overwrites) one tag on a trace. */
  async setTraceTag(
    traceId: string,
    key: string,
    value: string
  ): Promise<void> {
    await this._http.request({
      operation: 'setTraceTag',
      method: 'PATCH',
      path: `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}/tags`,
      body: { key, value }
    });
  }

  /** Removes one tag; a missing tag or trace is a NotFoundError. */
  async deleteTraceTag(traceId: string, key: string): Promise<void> {
    await this._http.request({
      operation: 'deleteTraceTag',
      method: 'DELETE',
      path: `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}/tags`,
      body: { key }
    });
  }

  /** Deletes traces by id or by age; resolves with how many went. */
  async deleteTraces(query: IDeleteTracesQuery): Promise<number> {
    if ('traceIds' in query && query.traceIds.length === 0) {
      return 0;
    }
    const answer = await this._http.request({
      operation: 'deleteTraces',
      method: 'POST',
      path: '/api/3.0/mlflow/traces/delete-traces',
      body: deleteTracesBody(query),
      idempotent: true
    });
    const deleted = answer.traces_deleted ?? 0;
    if (typeof deleted !== 'number') {
      throw this._invalid('deleteTraces', 'traces_deleted is not a number');
    }
    return deleted;
  }

  /** Logs feedback on a trace (or one of its spans). */
  logFeedback(traceId: string, input: IAssessmentInput): Promise<IAssessment> {
    return createAssessment(
      this._http,
      'logFeedback',
      traceId,
      'feedback',
      input
    );
  }

  /** Logs an expectation (ground truth) on a trace (or one of its spans). */
  logExpectation(
    traceId: string,
    input: IAssessmentInput
  ): Promise<IAssessment> {
    return createAssessment(
      this._http,
      'logExpectation',
      traceId,
      'expectation',
      input
    );
  }

  /**
   * New feedback superseding `assessmentId` (which the server then marks
   * `valid: false`), as MLflow's UI overrides someone else's. Give it the
   * old one's name and span id, as MLflow's `override_feedback` does.
   */
  overrideFeedback(
    traceId: string,
    assessmentId: string,
    input: IAssessmentInput
  ): Promise<IAssessment> {
    return createAssessment(
      this._http,
      'overrideFeedback',
      traceId,
      'feedback',
      input,
      assessmentId
    );
  }

  /** Changes an assessment's value and/or (feedback's) rationale. */
  updateAssessment(
    traceId: string,
    assessmentId: string,
    update: IAssessmentUpdate
  ): Promise<IAssessment> {
    return updateAssessment(this._http, traceId, assessmentId, update);
  }

  /** Deletes one assessment (an override's deletion revives the one it overrode). */
  deleteAssessment(traceId: string, assessmentId: string): Promise<void> {
    return deleteAssessment(this._http, traceId, assessmentId);
  }

  /** Every review queue of the experiment (all pages). */
  listReviewQueues(
    experimentId: string,
    options?: IListPageOptions
  ): Promise<IReviewQueue[]> {
    return listReviewQueues(this._http, experimentId, options);
  }

  /** Every item of a review queue, or those with `status` (all pages). */
  listReviewQueueItems(
    queueId: string,
    status?: ReviewStatus,
    options?: IListPageOptions
  ): Promise<IReviewQueueItem[]> {
    return listReviewQueueItems(this._http, queueId, status, options);
  }

  /**
   * Marks a queue's item PENDING, COMPLETE or DECLINED; `completedBy` is
   * who did it (required by a server without auth, except for PENDING).
   */
  setReviewQueueItemStatus(
    queueId: string,
    itemId: string,
    status: ReviewStatus,
    completedBy?: string
  ): Promise<IReviewQueueItem> {
    return setReviewQueueItemStatus(
      this._http,
      queueId,
      itemId,
      status,
      completedBy
    );
  }

  /** The MLflow UI page of the trace, or undefined without an experiment. */
  uiUrl(traceInfo: ITraceInfoV3): string | undefined {
    return (
      mlflowTraceUiUrl(
        this._uiBaseUrl ?? this.trackingUri,
        traceInfo.trace_id,
        traceInfo
      ) ?? undefined
    );
  }

  private _invalid(operation: string, detail: string): InvalidResponseError {
    return new InvalidResponseError(detail, {
      serverUrl: this.trackingUri,
      operation
    });
  }

  private _http: HttpClient;
  private _uiBaseUrl: string | undefined;
  private _attachmentSource: IAttachmentSource;
}
