/**
 * A fault injector in front of a real tracking server: a small local HTTP
 * server that forwards to MLflow, or, in the mode the test sets, answers
 * 401/403/404/500, hangs, cuts the body, or resets the connection mid-body.
 * It records every request (method, URL, Authorization header), and lets a
 * browser page of another origin call it (CORS), as MLflow does for localhost.
 * `PUT /__fault-proxy/mode/<mode>` sets the mode from another process (a
 * notebook cell), so a server can fail between two calls of one kernel.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export type FaultMode =
  | 'pass'
  | 401
  | 403
  | 404
  | 500
  | 'hang'
  | 'slow-body'
  | 'truncate'
  | 'reset'
  | 'hold';

export interface IFaultProxy {
  url: string;
  mode: FaultMode;
  requests: { method: string; url: string; authorization?: string }[];
  /** With mode 'hold': resolves when a request is being held. */
  held: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<IFaultProxy> {
  let onHeld: (() => void) | undefined;
  const proxy: IFaultProxy = {
    url: '',
    mode: 'pass',
    requests: [],
    held: () => new Promise<void>(resolve => (onHeld = resolve)),
    close: async () => undefined
  };
  const forward = async (req: http.IncomingMessage, body: Buffer) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json'
    };
    if (req.headers.authorization) {
      headers.authorization = req.headers.authorization;
    }
    const response = await fetch(upstream + (req.url ?? ''), {
      method: req.method,
      headers,
      body: body.length > 0 ? body.toString('utf8') : undefined
    });
    return { status: response.status, text: await response.text() };
  };
  const server = http.createServer(async (req, res) => {
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader(
        'access-control-allow-headers',
        'accept, authorization, content-type'
      );
      res.setHeader('access-control-allow-methods', 'GET, POST, PATCH, DELETE');
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
    }
    const control = /^\/__fault-proxy\/mode\/([\w-]+)$/.exec(req.url ?? '');
    if (req.method === 'PUT' && control) {
      const mode = control[1];
      proxy.mode = /^\d+$/.test(mode)
        ? (Number(mode) as FaultMode)
        : (mode as FaultMode);
      res.writeHead(204).end();
      return;
    }
    proxy.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const mode = proxy.mode;
    if (typeof mode === 'number') {
      const body =
        mode === 404
          ? '<!doctype html><title>404 Not Found</title>'
          : JSON.stringify({
              error_code: mode === 500 ? 'INTERNAL_ERROR' : 'PERMISSION_DENIED',
              message: `injected ${mode}`
            });
      res.writeHead(mode, {
        'content-type': mode === 404 ? 'text/html' : 'application/json'
      });
      res.end(body);
      return;
    }
    if (mode === 'hang') {
      return; // never answers
    }
    if (mode === 'hold') {
      onHeld?.();
      // Forward only after the test has killed the server.
      await new Promise(resolve => setTimeout(resolve, 1500));
    }
    let answer: { status: number; text: string };
    try {
      answer = await forward(req, Buffer.concat(chunks));
    } catch {
      // Upstream gone (killed): drop the client's connection as a dying server would.
      req.socket.destroy();
      return;
    }
    if (mode === 'truncate') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer.text.slice(0, Math.floor(answer.text.length / 2)));
      return;
    }
    if (mode === 'reset' || mode === 'slow-body') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(answer.text))
      });
      res.write(answer.text.slice(0, 10));
      if (mode === 'reset') {
        setTimeout(() => req.socket.destroy(), 50);
      }
      return; // slow-body: the rest never comes
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.text);
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve())
  );
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => {
    server.closeAllConnections();
    return new Promise(resolve => server.close(() => resolve()));
  };
  return proxy;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const closedPortLib = require('../../scripts/lib/closed-port.cjs');

/** A port on 127.0.0.1 that refuses connections (see closed-port.cjs). */
export const closedPort: () => Promise<number> = closedPortLib.closedPort;
