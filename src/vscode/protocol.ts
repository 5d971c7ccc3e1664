/**
 * The messages between the notebook renderer (in VS Code's output webview)
 * and our extension host: the renderer asks the host to send an MLflow
 * request, the host answers with the server's status and body. Only the
 * host knows the tracking server's credentials; the renderer never names a
 * server, only a path below the one the host was started with.
 */

/** The renderer's id in the extension's manifest (vscode/package.json). */
export const RENDERER_ID = 'jupyterlab-mlflow-traces.renderer';

/**
 * The base URL the renderer's MLflow client uses: never contacted, it only
 * marks the path and query that the host forwards to its own server.
 */
export const HOST_BASE_URL = 'https://extension-host.invalid';

/** Renderer → host: what the host serves. */
export interface IHelloMessage {
  type: 'hello';
}

/** Renderer → host: one request below the host's tracking server. */
export interface IRequestMessage {
  type: 'request';
  id: number;
  method: string;
  /** The path and query below the tracking server, e.g. `api/3.0/mlflow/traces/search`. */
  target: string;
  body?: string;
}

/** Renderer → host: the request `id` is no longer wanted. */
export interface IAbortMessage {
  type: 'abort';
  id: number;
}

export type RendererMessage = IHelloMessage | IRequestMessage | IAbortMessage;

/** Host → renderer: the server the host reads from (its URL without credentials), or why none. */
export interface IConfigMessage {
  type: 'config';
  trackingUri: string | null;
  problem: string | null;
}

/** Host → renderer: the answer to request `id`. */
export interface IResponseMessage {
  type: 'response';
  id: number;
  status: number;
  statusText: string;
  contentType: string;
  /** The body: text, or base64 when `base64` (an attachment's bytes). */
  body: string;
  base64?: boolean;
}

export type HostMessage = IConfigMessage | IResponseMessage;
