/**
 * Faults with a real tracking server (the one of global-setup.js), through a
 * local fault injector (fault-proxy.ts): server down, 401/403/404/500, slower
 * than the timeout, a body that stalls, a truncated body, a reset mid-body,
 * an IN_PROGRESS trace and a 10 MB attribute.
 *
 * For each: the client throws a typed error whose message names the cause,
 * and the renderer's loader shows that message on the failed trace while the
 * embedded trace of the same output stays on screen.
 * (The server killed mid-request is in auth.spec.ts, which owns a server it may kill.)
 */
import { execFile, execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { decodeTraceBundle, encodeTraceBundle } from '../../src/bundle';
import {
  AnswerBrokenOffError,
  AuthError,
  DEFAULT_TIMEOUT_MS,
  InvalidResponseError,
  MlflowClient,
  MlflowClientError,
  NotFoundError,
  RequestTimeoutError,
  ServerError,
  ServerUnreachableError,
  TraceDataNotFoundError
} from '../../src/client';
import { TraceLoader } from '../../src/output/loader';
import { buildTrace } from '../../src/trace';
import {
  closedPort,
  FaultMode,
  IFaultProxy,
  startFaultProxy
} from './fault-proxy';
import { logTraceInfo } from './post-json';

const url = process.env.MLFLOW_TEST_TRACKING_URI!;
const expected = JSON.parse(
  fs.readFileSync(process.env.MLFLOW_TEST_FIXTURES!, 'utf8')
);
const nestedId: string = expected.traces.nested.trace_id;
const ROOT = path.resolve(__dirname, '..', '..');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');

let proxy: IFaultProxy;
let embedded: { trace_id: string; info: any; spans: any[] };

beforeAll(async () => {
  proxy = await startFaultProxy(url);
  const raw = await new MlflowClient({ trackingUri: url }).getTrace(nestedId);
  embedded = { trace_id: nestedId, info: raw.info, spans: raw.spans as any[] };
});
afterAll(() => proxy.close());
beforeEach(() => {
  proxy.mode = 'pass';
});

/**
 * Load an output holding one embedded trace and one trace by id (`traceId`,
 * default the nested trace) from `trackingUri`; resolves once the second
 * has loaded or failed.
 */
function loadOutput(
  trackingUri: string,
  options: { traceId?: string; timeoutMs?: number; maxPolls?: number } = {}
): Promise<TraceLoader> {
  const { traceId = nestedId, timeoutMs = 1500, maxPolls } = options;
  return new Promise(resolve => {
    const loader = new TraceLoader({
      bundle: decodeTraceBundle({
        version: 1,
        traces: [embedded, { trace_id: traceId }]
      }),
      trackingUri,
      timeoutMs,
      maxPolls
    });
    loader.stateChanged.connect(() => {
      const fetched = loader.entries[1];
      if (!fetched.loading && (fetched.error || fetched.trace)) {
        resolve(loader);
      }
    });
    loader.start();
  });
}

/** The embedded trace is still there, whole. */
function expectEmbeddedKept(loader: TraceLoader): void {
  const kept = loader.entries[0];
  expect(kept.error).toBeUndefined();
  expect(kept.trace?.nodesInOrder).toHaveLength(embedded.spans.length);
}

const CASES: {
  name: string;
  mode: FaultMode;
  error: new (...args: any[]) => MlflowClientError;
  message: RegExp;
}[] = [
  {
    name: '401',
    mode: 401,
    error: AuthError,
    message:
      /refused getTraceInfo \(HTTP 401\): injected 401\. Check MLFLOW_TRACKING_TOKEN/
  },
  {
    name: '403',
    mode: 403,
    error: AuthError,
    message: /refused getTraceInfo \(HTTP 403\)/
  },
  {
    name: '404 (no such route)',
    mode: 404,
    error: NotFoundError,
    message:
      /no route GET \/api\/3\.0\/mlflow\/traces\/.*is this an MLflow 3 tracking server\?/
  },
  {
    name: '500',
    mode: 500,
    error: ServerError,
    message: /failed getTraceInfo \(HTTP 500\): injected 500/
  },
  {
    name: 'no answer past the timeout',
    mode: 'hang',
    error: RequestTimeoutError,
    message: /did not answer within 1500 ms/
  },
  {
    name: 'a body that stalls past the timeout',
    mode: 'slow-body',
    error: RequestTimeoutError,
    message: /did not answer within 1500 ms/
  },
  {
    name: 'a truncated body',
    mode: 'truncate',
    error: InvalidResponseError,
    message: /body is not JSON \(\d+ chars, possibly truncated\)/
  },
  {
    name: 'a connection reset mid-body',
    mode: 'reset',
    error: AnswerBrokenOffError,
    message:
      /tracking server at http:\/\/127\.0\.0\.1:\d+ to .* broke off before its end: /
  }
];

describe('faults through the injector, in front of the real server', () => {
  it('passes through when no fault is set (the injector is transparent)', async () => {
    const loader = await loadOutput(proxy.url);
    expectEmbeddedKept(loader);
    expect(loader.entries[1].trace?.nodesInOrder).toHaveLength(
      embedded.spans.length
    );
  });

  for (const c of CASES) {
    it(`${c.name}: typed error naming the cause; the loader shows it and keeps the embedded trace`, async () => {
      proxy.mode = c.mode;
      const client = new MlflowClient({
        trackingUri: proxy.url,
        timeoutMs: 1500,
        maxRetries: 0
      });
      const err = await client.getTraceInfo(nestedId).catch(e => e);
      expect(err).toBeInstanceOf(c.error);
      expect(err.message).toMatch(c.message);
      expect(err.serverUrl).toBe(proxy.url);

      const loader = await loadOutput(proxy.url);
      expectEmbeddedKept(loader);
      expect(loader.entries[1].trace).toBeUndefined();
      expect(loader.entries[1].error).toMatch(c.message);
      loader.dispose();
    });
  }

  it('server down: unreachable, named, at once; the embedded trace stays', async () => {
    const port = await closedPort();
    const started = Date.now();
    const err = await new MlflowClient({
      trackingUri: `http://127.0.0.1:${port}`
    })
      .getTraceInfo(nestedId)
      .catch(e => e);
    expect(err).toBeInstanceOf(ServerUnreachableError);
    expect(err.message).toMatch(
      new RegExp(
        `unreachable at http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`
      )
    );
    expect(Date.now() - started).toBeLessThan(3000);
    const loader = await loadOutput(`http://127.0.0.1:${port}`);
    expectEmbeddedKept(loader);
    expect(loader.entries[1].error).toMatch(/unreachable/);
  });

  it('retries a reset on a GET by default and then succeeds once the fault clears', async () => {
    proxy.mode = 'reset';
    const client = new MlflowClient({
      trackingUri: proxy.url,
      timeoutMs: 3000,
      retryBaseMs: 200
    });
    const pending = client.getTraceInfo(nestedId);
    setTimeout(() => (proxy.mode = 'pass'), 100);
    const info = await pending;
    expect(info.trace_id).toBe(nestedId);
  });
});

describe('hostile but valid answers of the real server', () => {
  it('an IN_PROGRESS trace without span data: typed TraceDataNotFoundError; the loader shows the info, no error', async () => {
    const traceId = `tr-${'f'.repeat(24)}${Date.now().toString(16).slice(-8)}`;
    const response = await logTraceInfo(traceId, { state: 'IN_PROGRESS' });
    expect(response.ok).toBe(true);
    const client = new MlflowClient({ trackingUri: url });
    expect((await client.getTraceInfo(traceId)).state).toBe('IN_PROGRESS');
    const err = await client.getTraceSpans(traceId).catch(e => e);
    expect(err).toBeInstanceOf(TraceDataNotFoundError);
    expect(err.message).toContain(traceId);

    const loader = await loadOutput(url, {
      traceId,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      maxPolls: 0
    });
    expectEmbeddedKept(loader);
    expect(loader.entries[1].error).toBeUndefined();
    expect(loader.entries[1].trace?.info?.state).toBe('IN_PROGRESS');
    loader.dispose();
  });

  it('a 10 MB attribute: fetched, parsed and rendered whole by the loader; shortened by the helper\u2019s encoder', async () => {
    const out = execFileSync(
      PYTHON,
      [
        path.join(ROOT, 'test', 'fixtures', 'write_big_attribute.py'),
        url,
        process.env.MLFLOW_TEST_EXPERIMENT_ID!,
        String(10_000_000)
      ],
      { encoding: 'utf8', env: { ...process.env, MLFLOW_TRACKING_URI: url } }
    );
    const traceId = out.trim().split('\n').pop()!;
    const client = new MlflowClient({ trackingUri: url });
    let spans: unknown[] = [];
    for (let i = 0; i < 20; i++) {
      spans = await client.getTraceSpans(traceId).catch(() => []);
      if (spans.length) {
        break;
      }
      await new Promise(r => setTimeout(r, 500));
    }
    expect(spans).toHaveLength(1);
    const trace = buildTrace(undefined, spans);
    const big = trace.spans[0].attributes.big;
    expect(typeof big === 'string' ? big.length : 0).toBe(10_000_000);

    const loader = await loadOutput(url, {
      traceId,
      timeoutMs: DEFAULT_TIMEOUT_MS
    });
    expectEmbeddedKept(loader);
    expect(loader.entries[1].error).toBeUndefined();
    expect(loader.entries[1].trace?.nodesInOrder).toHaveLength(1);

    // What the helper would put into the notebook stays bounded and says it shortened.
    const info = await client.getTraceInfo(traceId);
    const { bundle, sizeBytes } = encodeTraceBundle(
      [{ traceId, info, spans }],
      {}
    );
    expect(sizeBytes).toBeLessThan(10_000_000);
    expect(bundle.traces[0].truncated).toBeDefined();
  });
});

describe('the tslab helper under faults, in one long-lived process (a kernel)', () => {
  it('throws a typed error naming each cause, keeps running, and keeps its earlier output', async () => {
    const modes: FaultMode[] = [401, 403, 404, 500, 'truncate'];
    const proxies = await Promise.all(modes.map(() => startFaultProxy(url)));
    proxies.forEach((p, i) => (p.mode = modes[i]));
    try {
      const urls: Record<string, string> = {
        down: `http://127.0.0.1:${await closedPort()}`
      };
      modes.forEach((m, i) => (urls[String(m)] = proxies[i].url));
      const plan = {
        urls,
        good: url,
        experimentId: expected.experiment_id
      };
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            path.join(__dirname, 'faults-helper-child.cjs'),
            JSON.stringify(plan)
          ],
          { encoding: 'utf8' },
          (error, out) => (error ? reject(error) : resolve(out))
        )
      );
      const lines = stdout
        .trim()
        .split('\n')
        .map(line => JSON.parse(line));
      expect(lines[0]).toEqual({ before: true });
      const byLabel = Object.fromEntries(
        lines.slice(1, -1).map(l => [l.label, l])
      );
      expect(byLabel.down.name).toBe('ServerUnreachableError');
      expect(byLabel.down.message).toMatch(
        /unreachable at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/
      );
      expect(byLabel['401'].name).toBe('AuthError');
      expect(byLabel['401'].message).toMatch(/HTTP 401/);
      expect(byLabel['403'].name).toBe('AuthError');
      expect(byLabel['403'].message).toMatch(/HTTP 403/);
      expect(byLabel['404'].name).toBe('NotFoundError');
      expect(byLabel['404'].message).toMatch(
        /is this an MLflow 3 tracking server\?/
      );
      expect(byLabel['500'].name).toBe('ServerError');
      expect(byLabel['500'].message).toMatch(/HTTP 500/);
      expect(byLabel.truncate.name).toBe('InvalidResponseError');
      expect(byLabel.truncate.message).toMatch(/possibly truncated/);
      // The same process then works against the real server.
      expect(lines[lines.length - 1].after).toBeGreaterThan(0);
    } finally {
      await Promise.all(proxies.map(p => p.close()));
    }
  });
});
