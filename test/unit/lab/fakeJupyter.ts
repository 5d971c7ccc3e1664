/**
 * The Jupyter server as the renderer reaches it through ServerConnection
 * (src/lab/jupyterServer.ts): `mlflow-traces/config` answers what the test
 * says, and `mlflow-traces/proxy/<path>` hands `<path>` to a tracking-server
 * fetch (e.g. RecordedServer's) as the server extension would. Every request
 * is recorded with its headers.
 *
 * #### Notes
 * jsdom has no fetch, Request or Headers: the few members ServerConnection
 * uses are given here.
 */
import type { ServerConnection } from '@jupyterlab/services';

/** Where the fake Jupyter server is served (a JupyterHub-style base_url). */
export const BASE_URL = 'http://localhost/user/alice/';

/** The proxy prefix requests are sent to. */
export const PROXY = `${BASE_URL}mlflow-traces/proxy/`;

/** One request the page sent to the Jupyter server. */
export interface ISeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

class FakeHeaders {
  constructor(init?: Record<string, string> | FakeHeaders) {
    const entries =
      init instanceof FakeHeaders
        ? Array.from(init._map.entries())
        : Object.entries(init ?? {});
    for (const [key, value] of entries) {
      this._map.set(key.toLowerCase(), value);
    }
  }
  append(key: string, value: string): void {
    this._map.set(key.toLowerCase(), value);
  }
  set(key: string, value: string): void {
    this._map.set(key.toLowerCase(), value);
  }
  has(key: string): boolean {
    return this._map.has(key.toLowerCase());
  }
  get(key: string): string | null {
    return this._map.get(key.toLowerCase()) ?? null;
  }
  toObject(): Record<string, string> {
    return Object.fromEntries(this._map);
  }
  _map = new Map<string, string>();
}

class FakeRequest {
  constructor(url: string, init: RequestInit = {}) {
    this.url = url;
    this.method = init.method ?? 'GET';
    this.headers = new FakeHeaders(
      init.headers as Record<string, string> | undefined
    );
    this.body = typeof init.body === 'string' ? init.body : undefined;
    this.cache = init.cache;
  }
  toString(): string {
    return this.url;
  }
  readonly url: string;
  readonly method: string;
  readonly headers: FakeHeaders;
  readonly body: string | undefined;
  readonly cache: RequestCache | undefined;
}

/** A fetch answer with what HttpClient and the config reader use. */
export function answer(status: number, body: unknown): Response {
  const text = JSON.stringify(body);
  return {
    status,
    ok: status >= 200 && status < 300,
    statusText: status === 200 ? 'OK' : 'Error',
    text: async () => text,
    json: async () => JSON.parse(text),
    headers: { get: () => null }
  } as unknown as Response;
}

/** Options of {@link fakeJupyter}. */
export interface IFakeJupyterOptions {
  /** The config answer; 404 for a server without the extension. */
  config:
    | { tracking_uri: string | null; problem: string | null; user?: unknown }
    | 404
    | 'hang';
  /** Jupyter's `api/me` answer (404 when not given). */
  me?: unknown;
  /** The tracking server behind the proxy (gets `http://mlflow.invalid/<path>`). */
  tracking?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Jupyter's token, if the page has one. */
  token?: string;
}

/** Server settings of a fake Jupyter server, and the requests it saw. */
export function fakeJupyter(options: IFakeJupyterOptions): {
  settings: ServerConnection.ISettings;
  requests: ISeenRequest[];
} {
  const requests: ISeenRequest[] = [];
  const fetchFake = async (request: FakeRequest): Promise<Response> => {
    requests.push({
      url: request.url,
      method: request.method,
      headers: request.headers.toObject(),
      body: request.body
    });
    const path = request.url.slice(BASE_URL.length).split('?')[0];
    if (path === 'mlflow-traces/config') {
      if (options.config === 'hang') {
        return new Promise<Response>(() => {});
      }
      return options.config === 404
        ? answer(404, { message: 'Not Found' })
        : answer(200, options.config);
    }
    if (path === 'api/me' && options.me !== undefined) {
      return answer(200, options.me);
    }
    if (request.url.startsWith(PROXY) && options.tracking) {
      return options.tracking(
        `http://mlflow.invalid/${request.url.slice(PROXY.length)}`,
        { method: request.method, body: request.body }
      );
    }
    return answer(404, { message: 'Not Found' });
  };
  const settings = {
    baseUrl: BASE_URL,
    appUrl: '',
    wsUrl: 'ws://localhost/user/alice/',
    token: options.token ?? '',
    appendToken: false,
    init: { cache: 'no-store', credentials: 'same-origin' },
    fetch: fetchFake,
    Request: FakeRequest,
    Headers: FakeHeaders,
    WebSocket: undefined,
    serializer: undefined
  } as unknown as ServerConnection.ISettings;
  return { settings, requests };
}
