/**
 * Basic auth: a real `mlflow server --app-name basic-auth` (its admin set by
 * MLFLOW_AUTH_CONFIG_PATH → basic_auth.ini with admin_username /
 * admin_password). The client, the renderer's loader (credentials from its
 * settings, sent only to the settings' origin) and the tslab helper
 * (credentials from MLFLOW_TRACKING_USERNAME/PASSWORD, in a child process)
 * work with good credentials, fail with a clear message on bad ones, and
 * never write the password into an output, an error or a log.
 *
 * Last, this server is killed while a request is in flight: the client
 * throws ServerUnreachableError and the loader keeps the embedded trace.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { decodeTraceBundle } from '../../src/bundle';
import {
  AuthError,
  base64Utf8,
  MlflowClient,
  ServerUnreachableError
} from '../../src/client';
import { resolveAuth } from '../../src/lab/config';
import { TraceLoader } from '../../src/output/loader';
import { IFaultProxy, startFaultProxy } from './fault-proxy';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mlflowServer = require('../../scripts/lib/mlflow-server.cjs');
const { startBasicAuthMlflowServer, stopProcessGroup } = mlflowServer;

const CHILD = path.join(__dirname, 'auth-helper-child.cjs');
const ADMIN = 'admin';
const PASSWORD = `pw-${Date.now().toString(36)}-Secret!42`;
const WRONG = `wrong-${Date.now().toString(36)}-Nope!99`;

let server: { url: string; pid: number };
let dir: string;
let proxy: IFaultProxy;
let experimentId: string;
let traceId: string;
let embedded: { trace_id: string; info: any; spans: any[] };

const admin = () =>
  new MlflowClient({
    trackingUri: server.url,
    auth: { username: ADMIN, password: PASSWORD }
  });

function settings(password = PASSWORD) {
  return {
    trackingUri: server.url,
    trackingUsername: ADMIN,
    trackingPassword: password,
    trackingToken: ''
  };
}

function load(
  trackingUri: string,
  auth: ReturnType<typeof resolveAuth>,
  ids: string[]
): Promise<TraceLoader> {
  return new Promise(resolve => {
    const loader = new TraceLoader({
      bundle: decodeTraceBundle({
        version: 1,
        traces: [embedded, ...ids.map(trace_id => ({ trace_id }))]
      }),
      trackingUri,
      auth,
      timeoutMs: 5000
    });
    loader.stateChanged.connect(() => {
      if (
        loader.entries.slice(1).every(e => !e.loading && (e.trace || e.error))
      ) {
        resolve(loader);
      }
    });
    loader.start();
  });
}

function runHelper(env: Record<string, string>): any {
  const out = execFileSync(
    process.execPath,
    [CHILD, JSON.stringify({ trackingUri: server.url, experimentId })],
    {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...env
      },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  return { raw: out, result: JSON.parse(out.trim().split('\n').pop()!) };
}

function expectNoSecret(text: string): void {
  for (const secret of [
    PASSWORD,
    WRONG,
    base64Utf8(`${ADMIN}:${PASSWORD}`),
    base64Utf8(`${ADMIN}:${WRONG}`)
  ]) {
    expect(text).not.toContain(secret);
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-traces-auth-'));
  server = await startBasicAuthMlflowServer({
    dir,
    username: ADMIN,
    password: PASSWORD
  });
  proxy = await startFaultProxy(server.url);
  experimentId = await admin().createExperiment(`auth-${Date.now()}`);
  // A trace written by the helper with the admin's credentials (also the first helper test).
  const { result } = runHelper({
    MLFLOW_TRACKING_USERNAME: ADMIN,
    MLFLOW_TRACKING_PASSWORD: PASSWORD
  });
  expect(result.error).toBeUndefined();
  traceId = result.traceId;
  for (let i = 0; i < 20; i++) {
    const raw = await admin()
      .getTrace(traceId)
      .catch(() => null);
    if (raw && (raw.spans as unknown[]).length > 0) {
      embedded = {
        trace_id: traceId,
        info: raw.info,
        spans: raw.spans as any[]
      };
      break;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  expect(embedded).toBeDefined();
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  if (server) {
    stopProcessGroup(server.pid, 'SIGKILL');
  }
});

describe('MLflow basic auth', () => {
  it('the server really requires credentials (no auth → 401)', async () => {
    const response = await fetch(
      `${server.url}/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`
    );
    expect(response.status).toBe(401);
    const err = await new MlflowClient({ trackingUri: server.url })
      .getTraceInfo(traceId)
      .catch(e => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toMatch(
      /refused getTraceInfo \(HTTP 401\).*Check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME\/MLFLOW_TRACKING_PASSWORD/
    );
  });

  it('client: good credentials read the trace; a wrong password gets a clear AuthError without the password', async () => {
    expect((await admin().getTraceInfo(traceId)).trace_id).toBe(traceId);
    const err = await new MlflowClient({
      trackingUri: server.url,
      auth: { username: ADMIN, password: WRONG }
    })
      .getTraceInfo(traceId)
      .catch(e => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.status).toBe(401);
    expectNoSecret(`${err.message} ${err.stack} ${JSON.stringify(err)}`);
  });

  it('helper: writes and searches with env credentials; the output and logs hold no password', () => {
    const { raw, result } = runHelper({
      MLFLOW_TRACKING_USERNAME: ADMIN,
      MLFLOW_TRACKING_PASSWORD: PASSWORD
    });
    expect(result.error).toBeUndefined();
    expect(result.found).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(result.display)).toContain(traceId);
    // The configuration it returns, the display content and everything it printed.
    expectNoSecret(raw);
  });

  it('helper: a wrong password fails with a clear message and no password in it', () => {
    const { raw, result } = runHelper({
      MLFLOW_TRACKING_USERNAME: ADMIN,
      MLFLOW_TRACKING_PASSWORD: WRONG
    });
    expect(result.error).toBeDefined();
    expect(result.error.message).toMatch(/HTTP 401|refused|401/);
    expectNoSecret(raw);
  });

  it('renderer loader: settings credentials fetch the trace; a wrong password shows a clear message and keeps the embedded trace', async () => {
    const ok = await load(server.url, resolveAuth(settings(), server.url), [
      traceId
    ]);
    expect(ok.entries[1].error).toBeUndefined();
    expect(ok.entries[1].trace?.nodesInOrder.length).toBe(
      embedded.spans.length
    );

    const bad = await load(
      server.url,
      resolveAuth(settings(WRONG), server.url),
      [traceId]
    );
    expect(bad.entries[0].trace?.nodesInOrder.length).toBe(
      embedded.spans.length
    );
    expect(bad.entries[1].error).toMatch(/refused getTraceInfo \(HTTP 401\)/);
    expectNoSecret(bad.entries[1].error!);
  });

  it('renderer: credentials go to the settings origin only, never to another server', async () => {
    // The proxy is another origin (another port) in front of the same server.
    expect(resolveAuth(settings(), proxy.url)).toBeUndefined();
    expect(resolveAuth(settings(), 'https://evil.invalid')).toBeUndefined();
    expect(resolveAuth(settings(), `${server.url}/some/prefix`)).toEqual({
      username: ADMIN,
      password: PASSWORD
    });
    proxy.requests.length = 0;
    const loader = await load(proxy.url, resolveAuth(settings(), proxy.url), [
      traceId
    ]);
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests.every(r => r.authorization === undefined)).toBe(true);
    expect(loader.entries[1].error).toMatch(/HTTP 401/);
  });

  it('the server killed mid-request: ServerUnreachableError; the loader keeps the embedded trace', async () => {
    proxy.mode = 'hold';
    const client = new MlflowClient({
      trackingUri: proxy.url,
      auth: { username: ADMIN, password: PASSWORD },
      timeoutMs: 10_000,
      maxRetries: 0
    });
    const loaderDone = load(
      proxy.url,
      { username: ADMIN, password: PASSWORD },
      [traceId]
    );
    const held = proxy.held();
    const pending = client.getTraceInfo(traceId).catch(e => e);
    await held;
    stopProcessGroup(server.pid, 'SIGKILL');
    const err = await pending;
    expect(err).toBeInstanceOf(ServerUnreachableError);
    expect(err.message).toMatch(/unreachable at http:\/\/127\.0\.0\.1:\d+/);
    const loader = await loaderDone;
    expect(loader.entries[0].trace?.nodesInOrder.length).toBe(
      embedded.spans.length
    );
    expect(loader.entries[1].error).toMatch(/unreachable/);
    // And afterwards: the server is down (refused), still a typed error.
    const down = await admin()
      .getTraceInfo(traceId)
      .catch(e => e);
    expect(down).toBeInstanceOf(ServerUnreachableError);
  });
});
