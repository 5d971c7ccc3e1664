/**
 * One trace attachment's bytes, from the configured tracking server (through
 * the Jupyter server's proxy, or direct): `GET /ajax-api/3.0/mlflow/
 * get-trace-artifact?request_id=<trace id>&path=<attachment id>` (MLflow
 * 3.17.2's get_trace_artifact_handler, which reads `attachments/<path>`).
 *
 * #### Notes
 * Only the trace id and the attachment id (a UUID) of a reference are sent,
 * to the client's own server: nothing in a trace is used as a URL. The answer
 * is read whole, up to a size cap, and typed with the reference's content
 * type when that is an image or audio type a view may show (else
 * `application/octet-stream`): the server's own Content-Type is not trusted.
 */
import {
  ATTACHMENT_ID,
  attachmentKind,
  IAttachmentRef
} from '../trace/attachments';
import { authHeader, IAuth } from './auth';
import {
  errorForStatus,
  IErrorContext,
  InvalidResponseError,
  MlflowClientError,
  NotFoundError,
  RequestTimeoutError
} from './errors';
import { parseMlflowError } from './faults';
import { normalizeTrackingUri } from './uri';

/** The largest attachment read, in bytes, unless the caller says otherwise. */
export const MAX_ATTACHMENT_BYTES = 32 * 2 ** 20;

/** Where and how an attachment is asked for (a subset of the client's options). */
export interface IAttachmentSource {
  /** `http(s)://host[:port][/prefix]` of the tracking server (or the proxy). */
  trackingUri: string;
  auth?: IAuth;
  fetch?: typeof fetch;
  /** Default 30 000. */
  timeoutMs?: number;
  /** Default {@link MAX_ATTACHMENT_BYTES}. */
  maxBytes?: number;
}

/** The path of MLflow's trace artifact route, below the tracking URI. */
export const TRACE_ARTIFACT_PATH = '/ajax-api/3.0/mlflow/get-trace-artifact';

/** The attachment's bytes as a Blob; rejects with a client error otherwise. */
export async function fetchTraceAttachment(
  source: IAttachmentSource,
  ref: Pick<IAttachmentRef, 'id' | 'traceId' | 'contentType'>,
  signal?: AbortSignal
): Promise<Blob> {
  const { baseUrl, auth } = normalizeTrackingUri(source.trackingUri);
  const context: IErrorContext = {
    serverUrl: baseUrl,
    operation: 'getTraceAttachment',
    subject: `attachment ${ref.id} of trace ${ref.traceId}`
  };
  if (!ATTACHMENT_ID.test(ref.id)) {
    throw new InvalidResponseError('the attachment id is not a UUID', context);
  }
  const url = new URL(baseUrl + TRACE_ARTIFACT_PATH);
  url.searchParams.set('request_id', ref.traceId);
  url.searchParams.set('path', ref.id);
  const headers: Record<string, string> = { Accept: '*/*' };
  const effectiveAuth = source.auth ?? auth;
  if (effectiveAuth) {
    headers.Authorization = authHeader(effectiveAuth);
  }
  const timeoutMs = source.timeoutMs ?? 30000;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort);
  const doFetch = source.fetch ?? ((input, init) => fetch(input, init));
  try {
    const response = await doFetch(url.toString(), {
      method: 'GET',
      headers,
      signal: controller.signal
    });
    if (response.status < 200 || response.status >= 300) {
      throw httpError(context, response.status, await response.text());
    }
    const maxBytes = source.maxBytes ?? MAX_ATTACHMENT_BYTES;
    const tooLarge = `larger than the ${maxBytes}-byte limit of an attachment`;
    const declared = response.headers.get('Content-Length') ?? '';
    if (/^[0-9]+$/.test(declared) && Number(declared) > maxBytes) {
      throw new InvalidResponseError(`${declared} bytes, ${tooLarge}`, context);
    }
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength > maxBytes) {
      throw new InvalidResponseError(
        `${bytes.byteLength} bytes, ${tooLarge}`,
        context
      );
    }
    const shown = attachmentKind(ref.contentType) !== 'named';
    return new Blob([bytes], {
      type: shown ? ref.contentType : 'application/octet-stream'
    });
  } catch (error) {
    if (timedOut) {
      throw new RequestTimeoutError(timeoutMs, url.toString(), context);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function httpError(
  context: IErrorContext,
  status: number,
  text: string
): MlflowClientError {
  const { errorCode, serverMessage } = parseMlflowError(text);
  const ctx = { ...context, status, errorCode, serverMessage };
  if (status === 404) {
    return new NotFoundError(
      `no ${context.subject} on ${context.serverUrl}: ${serverMessage ?? 'not found'}`,
      ctx
    );
  }
  return errorForStatus(ctx, serverMessage ?? `HTTP ${status}`);
}
