/**
 * What the extension host sends to the tracking server for the renderer:
 * only the reads the views make (the same rules as the Jupyter server
 * extension's read allow-list, jupyterlab_mlflow_traces/_upstream.py), each
 * with only the query parameters it needs, to the one server of the host's
 * environment, with its credentials in headers. No redirect is followed, a
 * request ends at a total deadline, and an answer larger than its cap is cut
 * off with an error.
 */
import { authHeader, IAuth } from '../../client';
import type { IRequestMessage, IResponseMessage } from '../protocol';

/** A trace id: `tr-` and 32 hex digits (MLflow 3), or 32 hex digits (MLflow 2). */
const TRACE_ID = '(?:tr-)?[0-9a-fA-F]{32}';
/** A trace attachment's id, a UUID as MLflow's SDK names one. */
const ATTACHMENT_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One read the renderer may ask for. */
export interface IReadRule {
  method: 'GET' | 'POST';
  path: RegExp;
  /** The query parameters forwarded; the rest are dropped. */
  params: readonly string[];
  /** When this parameter is given, the answer is raw bytes (an attachment). */
  bytesParam?: string;
}

/** The reads the views make (writes are JupyterLab's for now). */
export const READ_RULES: readonly IReadRule[] = [
  {
    method: 'GET',
    path: new RegExp(`^api/3\\.0/mlflow/traces/${TRACE_ID}$`),
    params: []
  },
  {
    method: 'GET',
    path: /^ajax-api\/3\.0\/mlflow\/get-trace-artifact$/,
    params: ['request_id', 'path'],
    bytesParam: 'path'
  },
  { method: 'POST', path: /^api\/3\.0\/mlflow\/traces\/search$/, params: [] },
  { method: 'POST', path: /^api\/3\.0\/mlflow\/traces\/metrics$/, params: [] }
];

/** Limits of a forwarded request. */
export interface IForwardLimits {
  timeoutMs: number;
  maxAnswerBytes: number;
  maxAttachmentBytes: number;
}

export const DEFAULT_LIMITS: IForwardLimits = {
  timeoutMs: 60_000,
  maxAnswerBytes: 512 * 2 ** 20,
  maxAttachmentBytes: 32 * 2 ** 20
};

/** The tracking server the host reads from. */
export interface ITarget {
  /** Its URL without credentials or trailing slash. */
  baseUrl: string;
  auth?: IAuth;
}

type Answer = Omit<IResponseMessage, 'type' | 'id'>;

/** An answer in MLflow's error shape, so the renderer's client names the problem. */
function refusal(status: number, errorCode: string, message: string): Answer {
  return {
    status,
    statusText: errorCode,
    contentType: 'application/json',
    body: JSON.stringify({ error_code: errorCode, message })
  };
}

/** The rule and the query to send for `target` (a path and query), or why it is refused. */
export function planRequest(
  method: string,
  target: string
): { rule: IReadRule; path: string; query: URLSearchParams } | string {
  const [path, rawQuery = ''] = target.replace(/^\/+/, '').split('?', 2);
  const rule = READ_RULES.find(
    candidate => candidate.method === method && candidate.path.test(path)
  );
  if (!rule) {
    return `the extension does not send ${method} ${path} to the tracking server`;
  }
  const given = new URLSearchParams(rawQuery);
  const query = new URLSearchParams();
  for (const name of rule.params) {
    const values = given.getAll(name);
    if (values.length > 1) {
      return `the query parameter ${name} is given more than once`;
    }
    if (values.length === 1) {
      query.set(name, values[0]);
    }
  }
  const bytes = rule.bytesParam && query.get(rule.bytesParam);
  if (bytes !== undefined && bytes !== null && bytes !== '') {
    if (!ATTACHMENT_ID.test(bytes)) {
      return `the query parameter ${rule.bytesParam} is not an attachment id`;
    }
  }
  return { rule, path, query };
}

/** Send `request` to `target` if a rule allows it; never throws. */
export async function forward(
  target: ITarget,
  request: Pick<IRequestMessage, 'method' | 'target' | 'body'>,
  signal: AbortSignal,
  limits: IForwardLimits = DEFAULT_LIMITS
): Promise<Answer> {
  const plan = planRequest(request.method, request.target);
  if (typeof plan === 'string') {
    return refusal(403, 'PERMISSION_DENIED', plan);
  }
  const asksBytes =
    !!plan.rule.bytesParam && plan.query.has(plan.rule.bytesParam);
  const url =
    `${target.baseUrl}/${plan.path}` +
    (plan.query.size ? `?${plan.query.toString()}` : '');
  const headers: Record<string, string> = {
    Accept: asksBytes ? '*/*' : 'application/json'
  };
  if (plan.rule.method === 'POST') {
    headers['Content-Type'] = 'application/json';
  }
  if (target.auth) {
    headers.Authorization = authHeader(target.auth);
  }
  // Ends at the deadline or when the renderer no longer wants it, whichever is first.
  const both = new AbortController();
  let pastDeadline = false;
  const timer = setTimeout(() => {
    pastDeadline = true;
    both.abort();
  }, limits.timeoutMs);
  const cancel = () => both.abort();
  signal.addEventListener('abort', cancel);
  try {
    const response = await fetch(url, {
      method: plan.rule.method,
      headers,
      body: plan.rule.method === 'POST' ? (request.body ?? '{}') : undefined,
      redirect: 'manual',
      signal: both.signal
    });
    const cap = asksBytes ? limits.maxAttachmentBytes : limits.maxAnswerBytes;
    const bytes = await readCapped(response, cap);
    if (bytes === undefined) {
      return refusal(
        502,
        'ANSWER_TOO_LARGE',
        `the tracking server's answer is larger than ${cap} bytes`
      );
    }
    const ok = response.status >= 200 && response.status < 300;
    return asksBytes && ok
      ? {
          status: response.status,
          statusText: response.statusText,
          contentType: 'application/octet-stream',
          body: Buffer.from(bytes).toString('base64'),
          base64: true
        }
      : {
          status: response.status,
          statusText: response.statusText,
          contentType:
            response.headers.get('content-type') ?? 'application/json',
          body: new TextDecoder().decode(bytes)
        };
  } catch (error) {
    if (pastDeadline) {
      return refusal(
        504,
        'DEADLINE_EXCEEDED',
        `the tracking server took longer than ${limits.timeoutMs / 1000} s`
      );
    }
    if (signal.aborted) {
      return refusal(499, 'CANCELLED', 'the renderer no longer wants this');
    }
    return refusal(
      502,
      'UNREACHABLE',
      `the tracking server ${target.baseUrl} could not be reached: ${reason(error)}`
    );
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', cancel);
  }
}

/** Why a fetch failed: Node names the cause (ECONNREFUSED, …) below "fetch failed". */
function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : error.message;
  }
  return String(error);
}

/** The body's bytes, or undefined past `cap` (the rest is not read). */
async function readCapped(
  response: Response,
  cap: number
): Promise<Uint8Array | undefined> {
  if (!response.body) {
    return new Uint8Array();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
