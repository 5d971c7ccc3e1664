/**
 * Transport faults around a real tracking server: a closed port, a server
 * that never answers, and a fault-injecting proxy in front of real MLflow.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import {
  AuthError,
  authFromEnv,
  authHeader,
  BadRequestError,
  MlflowClient,
  RequestTimeoutError,
  ServerUnreachableError,
  TraceNotFoundError
} from '../../src/client';

const trackingUri = (process.env.MLFLOW_TEST_TRACKING_URI ?? '').replace(
  /\/+$/,
  ''
);
const fixturesExperimentId =
  process.env.MLFLOW_TEST_FIXTURES_EXPERIMENT_ID ?? '';
const missingTrace = 'tr-00000000000000000000000000000bad';

/** What the proxy does with the request numbered `n` (1-based). */
type Fault = (
  n: number,
  req: http.IncomingMessage,
  res: http.ServerResponse
) => boolean;

interface IProxy {
  url: string;
  requests: http.IncomingMessage[];
  close: () => Promise<void>;
}

/** A local server that applies `fault`, and otherwise forwards to MLflow. */
async function startProxy(fault: Fault): Promise<IProxy> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer(async (req, res) => {
    requests.push(req);
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    if (fault(requests.length, req, res)) {
      return;
    }
    const body = Buffer.concat(chunks);
    const upstream = await fetch(trackingUri + (req.url ?? ''), {
      method: req.method,
      headers: { 'Content-Type': 'application/json' },
      body: body.length > 0 ? body : undefined
    });
    res.writeHead(upstream.status, { 'Content-Type': 'application/json' });
    res.end(await upstream.text());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => closeServer(server)
  };
}

function listen(server: http.Server): Promise<number> {
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port)
    )
  );
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise(resolve => server.close(() => resolve()));
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

describe('MlflowClient transport faults', () => {
  it('reports a closed port as unreachable, at once', async () => {
    const port = await freePort();
    const client = new MlflowClient({
      trackingUri: `http://127.0.0.1:${port}/`
    });
    const startMs = Date.now();
    const err = await client.getTraceInfo(missingTrace).catch(e => e);
    expect(err).toBeInstanceOf(ServerUnreachableError);
    expect(err.message).toContain(
      `MLflow tracking server unreachable at http://127.0.0.1:${port}: `
    );
    expect(err.errorCode).toBe('ECONNREFUSED');
    expect(Date.now() - startMs).toBeLessThan(2000);
  });

  it('times out on a server that never answers, without retrying', async () => {
    let requests = 0;
    const server = http.createServer(() => {
      requests++;
    });
    const port = await listen(server);
    try {
      const client = new MlflowClient({
        trackingUri: `http://127.0.0.1:${port}`,
        timeoutMs: 300
      });
      const err = await client.getTraceInfo(missingTrace).catch(e => e);
      expect(err).toBeInstanceOf(RequestTimeoutError);
      expect(err.message).toContain('300 ms');
      expect(err.message).toContain(
        `http://127.0.0.1:${port}/api/3.0/mlflow/traces/${missingTrace}`
      );
      expect(requests).toBe(1);
    } finally {
      await closeServer(server);
    }
  });

  it('retries 503 with Retry-After, then takes the real answer', async () => {
    const proxy = await startProxy((n, _req, res) => {
      if (n > 2) {
        return false;
      }
      res.writeHead(503, { 'Retry-After': '0' }).end('busy');
      return true;
    });
    try {
      const client = new MlflowClient({
        trackingUri: proxy.url,
        retryBaseMs: 10
      });
      const page = await client.searchTraces({
        experimentIds: [fixturesExperimentId],
        maxResults: 1
      });
      expect(page.traces).toHaveLength(1);
      expect(proxy.requests).toHaveLength(3);
    } finally {
      await proxy.close();
    }
  });

  it('gives up after maxRetries on 503', async () => {
    const proxy = await startProxy((_n, _req, res) => {
      res
        .writeHead(503)
        .end('{"error_code":"TEMPORARILY_UNAVAILABLE","message":"down"}');
      return true;
    });
    try {
      const client = new MlflowClient({
        trackingUri: proxy.url,
        maxRetries: 1,
        retryBaseMs: 10
      });
      const err = await client.getTraceInfo(missingTrace).catch(e => e);
      expect(err.name).toBe('ServerError');
      expect(err.message).toContain('down');
      expect(proxy.requests).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('retries a reset connection on a GET', async () => {
    const proxy = await startProxy((n, req) => {
      if (n === 1) {
        req.socket.destroy();
        return true;
      }
      return false;
    });
    try {
      const client = new MlflowClient({
        trackingUri: proxy.url,
        retryBaseMs: 10
      });
      const err = await client.getTraceInfo(missingTrace).catch(e => e);
      expect(err).toBeInstanceOf(TraceNotFoundError);
      expect(proxy.requests).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('sends a POST on a live socket after the event loop was blocked past the server\u2019s keep-alive', async () => {
    // MLflow's server (uvicorn) drops an idle keep-alive socket after 5 s; a
    // tslab cell compiling, or any synchronous work, can block the loop longer.
    const client = new MlflowClient({ trackingUri });
    for (let i = 0; i < 2; i++) {
      await client.getExperimentByName('Default');
      const until = Date.now() + 6500;
      while (Date.now() < until) {
        // blocked
      }
      const id = await client.createExperiment(
        `keep-alive-${Date.now().toString(36)}-${i}`
      );
      expect(id).toMatch(/^\d+$/);
    }
  });

  it('does not retry 404 or 400', async () => {
    const proxy = await startProxy(() => false);
    try {
      const client = new MlflowClient({
        trackingUri: proxy.url,
        retryBaseMs: 10
      });
      const notFound = await client.getTraceInfo(missingTrace).catch(e => e);
      expect(notFound).toBeInstanceOf(TraceNotFoundError);
      expect(proxy.requests).toHaveLength(1);
      const bad = await client
        .searchTraces({
          experimentIds: [fixturesExperimentId],
          filter: 'x = = y'
        })
        .catch(e => e);
      expect(bad).toBeInstanceOf(BadRequestError);
      expect(proxy.requests).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('sends credentials only as a header, and never prints them', async () => {
    const proxy = await startProxy((_n, _req, res) => {
      res.writeHead(401).end('{"error_code":"UNAUTHENTICATED","message":"no"}');
      return true;
    });
    try {
      const secret = 's3cr3t-pässword';
      const url = proxy.url.replace(
        'http://',
        `http://alice:${encodeURIComponent(secret)}@`
      );
      const client = new MlflowClient({ trackingUri: url });
      expect(client.trackingUri).toBe(proxy.url);
      const err = await client.getTraceInfo(missingTrace).catch(e => e);
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toContain('MLFLOW_TRACKING_TOKEN');
      expect(err.message).toContain(
        'MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD'
      );
      expect(JSON.stringify({ ...err, message: err.message })).not.toContain(
        secret
      );
      expect(proxy.requests[0].headers.authorization).toBe(
        authHeader({ username: 'alice', password: secret })
      );
    } finally {
      await proxy.close();
    }
  });
});

describe('auth', () => {
  it('builds basic and bearer headers', () => {
    expect(authHeader({ username: 'user', password: 'pass' })).toBe(
      'Basic ' + Buffer.from('user:pass').toString('base64')
    );
    const utf8 = { username: 'zoë', password: 'p:✓' };
    expect(authHeader(utf8)).toBe(
      'Basic ' + Buffer.from('zoë:p:✓', 'utf8').toString('base64')
    );
    expect(authHeader({ token: 'abc' })).toBe('Bearer abc');
  });

  it('reads MLflow variables, username and password first', () => {
    expect(authFromEnv({})).toBeUndefined();
    expect(authFromEnv({ MLFLOW_TRACKING_TOKEN: 't' })).toEqual({ token: 't' });
    expect(
      authFromEnv({
        MLFLOW_TRACKING_TOKEN: 't',
        MLFLOW_TRACKING_USERNAME: 'u',
        MLFLOW_TRACKING_PASSWORD: 'p'
      })
    ).toEqual({ username: 'u', password: 'p' });
    expect(authFromEnv({ MLFLOW_TRACKING_USERNAME: 'u' })).toBeUndefined();
  });
});
