/**
 * The request core: URL building, JSON in and out, a timeout on every
 * attempt, retries on transient faults, and the mapping of failures to the
 * typed errors of `./errors`.
 *
 * #### Notes
 * Runs in Node and in the browser: it uses only `fetch`, `AbortController`
 * and `URL`. Retries happen only on 429/502/503/504 and on connection
 * resets; a refused connection is retried only after an earlier attempt
 * reached the server (it is restarting), so a wrong port fails at once.
 * 502/504 and resets are retried only for idempotent requests, since the
 * server may already have acted on them.
 */
import { authHeader, IAuth } from './auth';
import {
  AnswerBrokenOffError,
  errorForStatus,
  IErrorContext,
  InvalidResponseError,
  MlflowClientError,
  NotFoundError,
  operationText,
  RequestTimeoutError,
  ServerUnreachableError
} from './errors';
import {
  causeCode,
  causeText,
  letPendingIoLand,
  parseMlflowError,
  parseRetryAfterMs,
  sleep
} from './faults';
import { normalizeTrackingUri } from './uri';
import { parseJsonExact } from '../trace/json';

/** Default per-attempt timeout. */
export const DEFAULT_TIMEOUT_MS = 30000;
/** Default number of attempts (the first try plus two retries). */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** Options of {@link HttpClient}. */
export interface IHttpOptions {
  /** `http(s)://host[:port][/prefix]`; `user:password@` becomes basic auth. */
  trackingUri: string;
  auth?: IAuth;
  /** Per attempt, body included. */
  timeoutMs?: number;
  maxAttempts?: number;
  /** First backoff delay; doubles per retry, with jitter. */
  retryBaseMs?: number;
  /** Upper bound on any wait between attempts, Retry-After included. */
  retryCapMs?: number;
  /** E.g. `window.fetch.bind(window)`; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** One logical request (possibly several attempts). */
export interface IRequest {
  /** Client operation name, used in error messages. */
  operation: string;
  /** What the request is about, named in error messages (an assessment, a queue). */
  subject?: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the tracking URI, starting with `/`. */
  path: string;
  query?: Record<string, string>;
  /** JSON-encoded into the request body. */
  body?: unknown;
  /** Defaults to true for every method but POST. */
  idempotent?: boolean;
  /** The error for MLflow's "does not exist" 404; else {@link NotFoundError}. */
  notFound?: (context: IErrorContext) => MlflowClientError;
  signal?: AbortSignal;
  /** Integers beyond 2^53 come back as their digit strings (parseJsonExact), not rounded. */
  exactIntegers?: boolean;
}

/** Sends requests to one tracking server. */
export class HttpClient {
  constructor(options: IHttpOptions) {
    const { baseUrl, auth } = normalizeTrackingUri(options.trackingUri);
    this.baseUrl = baseUrl;
    const effectiveAuth = options.auth ?? auth;
    this._authorization = effectiveAuth ? authHeader(effectiveAuth) : undefined;
    this._timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this._maxAttempts = Math.max(
      1,
      options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
    );
    this._retryBaseMs = options.retryBaseMs ?? 250;
    this._retryCapMs = options.retryCapMs ?? 10000;
    // Resolved per call so a test or polyfill that swaps the global still works.
    this._fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The tracking URI without trailing slash or credentials. */
  readonly baseUrl: string;

  /** Sends `req` and resolves with the parsed JSON object of a 2xx answer. */
  async request(req: IRequest): Promise<Record<string, unknown>> {
    const url = new URL(this.baseUrl + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      url.searchParams.set(key, value);
    }
    const idempotent = req.idempotent ?? req.method !== 'POST';
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this._maxAttempts;
      let answer: IAnswer;
      try {
        answer = await this._attempt(req, url.toString());
      } catch (err) {
        const failure = this._networkFailure(err, req, attempt);
        if (!failure.retryable || !idempotent || last) {
          throw failure.error;
        }
        await sleep(this._backoffMs(attempt), req.signal);
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) {
        return this._parse(req, answer);
      }
      const retryable =
        answer.status === 429 ||
        answer.status === 503 ||
        (idempotent && (answer.status === 502 || answer.status === 504));
      if (!retryable || last) {
        throw this._httpError(req, answer);
      }
      const retryAfterMs = parseRetryAfterMs(answer.retryAfter);
      const waitMs =
        retryAfterMs === undefined
          ? this._backoffMs(attempt)
          : Math.min(retryAfterMs, this._retryCapMs);
      await sleep(waitMs, req.signal);
    }
  }

  private async _attempt(req: IRequest, url: string): Promise<IAnswer> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this._timeoutMs);
    const onAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onAbort);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (this._authorization) {
      headers.Authorization = this._authorization;
    }
    try {
      await letPendingIoLand();
      const response = await this._fetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: controller.signal
      });
      // The timer still runs here: a body that stalls is a timeout too.
      const text = await response.text().catch((err: unknown) => {
        throw timedOut || req.signal?.aborted ? err : new BodyBrokenOff(err);
      });
      return {
        status: response.status,
        statusText: response.statusText,
        text,
        retryAfter: response.headers.get('Retry-After')
      };
    } catch (err) {
      if (timedOut) {
        throw new RequestTimeoutError(this._timeoutMs, url, this._ctx(req));
      }
      throw err;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  private _networkFailure(
    err: unknown,
    req: IRequest,
    attempt: number
  ): { error: unknown; retryable: boolean } {
    if (err instanceof MlflowClientError || req.signal?.aborted) {
      return { error: err, retryable: false };
    }
    const brokenOff = err instanceof BodyBrokenOff;
    const cause = brokenOff ? err.cause : err;
    const code = causeCode(cause);
    const retryable =
      code === 'ECONNRESET' ||
      code === 'UND_ERR_SOCKET' ||
      code === 'EPIPE' ||
      (code === 'ECONNREFUSED' && attempt > 1);
    const context = { ...this._ctx(req), errorCode: code, cause };
    const error = brokenOff
      ? new AnswerBrokenOffError(causeText(cause), context)
      : new ServerUnreachableError(causeText(cause), context);
    return { error, retryable };
  }

  private _parse(req: IRequest, answer: IAnswer): Record<string, unknown> {
    if (answer.text.trim() === '') {
      return {};
    }
    let body: unknown;
    try {
      body = req.exactIntegers
        ? parseJsonExact(answer.text)
        : JSON.parse(answer.text);
    } catch (err) {
      const detail = `body is not JSON (${answer.text.length} chars, possibly truncated)`;
      throw new InvalidResponseError(detail, { ...this._ctx(req), cause: err });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidResponseError(
        'body is not a JSON object',
        this._ctx(req)
      );
    }
    return body as Record<string, unknown>;
  }

  private _httpError(req: IRequest, answer: IAnswer): MlflowClientError {
    const { errorCode, serverMessage } = parseMlflowError(answer.text);
    const ctx = {
      ...this._ctx(req),
      status: answer.status,
      errorCode,
      serverMessage
    };
    if (answer.status === 404) {
      // Only MLflow's own JSON 404 means "no such object"; an HTML 404 means
      // the route itself is missing (wrong prefix, old server, not MLflow).
      const known =
        errorCode === 'RESOURCE_DOES_NOT_EXIST' || errorCode === 'NOT_FOUND';
      if (known && req.notFound) {
        return req.notFound(ctx);
      }
      const detail = known
        ? serverMessage
        : `no route ${req.method} ${req.path}; is this an MLflow 3 tracking server?`;
      return new NotFoundError(
        `${operationText(ctx)} on ${this.baseUrl}: ${detail}`,
        ctx
      );
    }
    return errorForStatus(ctx, serverMessage ?? answer.statusText);
  }

  private _backoffMs(attempt: number): number {
    const exponentialMs = this._retryBaseMs * 2 ** (attempt - 1);
    // Jitter spreads clients that failed together so they do not retry together.
    return Math.min(
      this._retryCapMs,
      exponentialMs * (0.5 + Math.random() / 2)
    );
  }

  private _ctx(req: IRequest): IErrorContext {
    return {
      serverUrl: this.baseUrl,
      operation: req.operation,
      ...(req.subject !== undefined ? { subject: req.subject } : {})
    };
  }

  private _authorization: string | undefined;
  private _timeoutMs: number;
  private _maxAttempts: number;
  private _retryBaseMs: number;
  private _retryCapMs: number;
  private _fetch: typeof fetch;
}

interface IAnswer {
  status: number;
  statusText: string;
  text: string;
  retryAfter: string | null;
}

/** A body that failed after its answer's status arrived (no timeout, no abort). */
class BodyBrokenOff extends Error {
  constructor(readonly cause: unknown) {
    super('the answer broke off');
  }
}
