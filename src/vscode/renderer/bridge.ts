/**
 * The renderer's way to the tracking server: a `fetch` for our MLflow
 * client that posts each request to the extension host and resolves with
 * the host's answer. The webview holds no credentials and never opens a
 * connection itself; without messaging (no extension host), there is no
 * server, and the bridge says why.
 */
import { ListConnection } from '../../output/listModel';
import { MlflowClient } from '../../client';
import {
  HOST_BASE_URL,
  HostMessage,
  IConfigMessage,
  IResponseMessage,
  RendererMessage
} from '../protocol';

/** What the renderer context offers for messaging (present when the host can answer). */
export interface IMessaging {
  postMessage?(message: RendererMessage): void;
  onDidReceiveMessage?(listener: (message: HostMessage) => void): {
    dispose(): void;
  };
}

/** The server the host reads from, or why there is none. */
export type HostServer =
  | { trackingUri: string; problem?: undefined }
  | { trackingUri?: undefined; problem: string };

/** How long the host may take to say which server it reads from. */
const HELLO_TIMEOUT_MS = 20_000;
/** Per request, as the Jupyter route allows (the host has its own deadline too). */
const REQUEST_TIMEOUT_MS = 60_000;

export class HostBridge {
  constructor(messaging: IMessaging) {
    const post = messaging.postMessage?.bind(messaging);
    const listen = messaging.onDidReceiveMessage?.bind(messaging);
    if (!post || !listen) {
      this.server = Promise.resolve({
        problem:
          'VS Code gave this renderer no extension host to fetch through, so traces given by id cannot be fetched.'
      });
      return;
    }
    this._post = post;
    let configured: (config: IConfigMessage) => void = () => undefined;
    const hello = new Promise<IConfigMessage>(
      resolve => (configured = resolve)
    );
    listen(message => {
      if (message?.type === 'config') {
        configured(message);
      } else if (message?.type === 'response') {
        this._answered(message);
      }
    });
    post({ type: 'hello' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const silence = new Promise<HostServer>(resolve => {
      timer = setTimeout(
        () =>
          resolve({
            problem: `The extension host did not answer within ${HELLO_TIMEOUT_MS / 1000} s, so traces given by id cannot be fetched.`
          }),
        HELLO_TIMEOUT_MS
      );
    });
    this.server = Promise.race([
      hello.then(config => {
        clearTimeout(timer);
        return config.trackingUri
          ? { trackingUri: config.trackingUri }
          : {
              problem:
                config.problem ?? 'The extension host has no tracking server.'
            };
      }),
      silence
    ]);
  }

  /** The host's tracking server (its URL without credentials), or why there is none. */
  readonly server: Promise<HostServer>;

  /** A client whose requests go through the host, or why there is none. */
  async connect(): Promise<ListConnection> {
    const server = await this.server;
    if (server.problem !== undefined) {
      return { problem: server.problem };
    }
    return { client: new MlflowClient(this.clientOptions(server.trackingUri)) };
  }

  /** The options of an MLflow client that sends through the host. */
  clientOptions(uiBaseUrl: string) {
    return {
      trackingUri: HOST_BASE_URL,
      uiBaseUrl,
      timeoutMs: REQUEST_TIMEOUT_MS,
      fetch: this.fetch
    };
  }

  /** A `fetch` for URLs below HOST_BASE_URL, answered by the host. */
  readonly fetch = (
    input: RequestInfo | URL,
    init: RequestInit = {}
  ): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    if (!this._post || !url.startsWith(`${HOST_BASE_URL}/`)) {
      return Promise.reject(
        new TypeError(`the renderer sends no request to ${url}`)
      );
    }
    const id = ++this._lastId;
    const signal = init.signal;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        this._pending.delete(id);
        this._post?.({ type: 'abort', id });
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this._pending.set(id, message => {
        signal?.removeEventListener('abort', onAbort);
        resolve(toResponse(message));
      });
      this._post!({
        type: 'request',
        id,
        method: (init.method ?? 'GET').toUpperCase(),
        target: url.slice(HOST_BASE_URL.length + 1),
        body: typeof init.body === 'string' ? init.body : undefined
      });
    });
  };

  private _answered(message: IResponseMessage): void {
    const settle = this._pending.get(message.id);
    this._pending.delete(message.id);
    settle?.(message);
  }

  private _post: ((message: RendererMessage) => void) | undefined;
  private _lastId = 0;
  private _pending = new Map<number, (message: IResponseMessage) => void>();
}

// Statuses whose Response may not carry a body.
const NULL_BODY = new Set([101, 204, 205, 304]);

/** The host's answer as the Response the client reads. */
function toResponse(message: IResponseMessage): Response {
  const status =
    message.status >= 200 && message.status <= 599 ? message.status : 502;
  const body = NULL_BODY.has(status)
    ? null
    : message.base64
      ? Uint8Array.from(atob(message.body), c => c.charCodeAt(0))
      : message.body;
  return new Response(body, {
    status,
    statusText: message.statusText.replace(/[^\t\x20-\x7e]/g, ''),
    headers: { 'content-type': message.contentType }
  });
}
