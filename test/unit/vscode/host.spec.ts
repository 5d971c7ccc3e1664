/**
 * The extension host's forwarder (src/vscode/host): only the views' reads
 * reach the tracking server, with the environment's credentials in a
 * header, no redirect followed, at a deadline and under a size cap; and the
 * tracking server read from VS Code's environment.
 */
import { execFileSync } from 'child_process';
import http from 'http';
import { AddressInfo } from 'net';
import {
  forward,
  IForwardLimits,
  planRequest
} from '../../../src/vscode/host/forward';
import { targetFromEnv } from '../../../src/vscode/host/target';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT } = require('../../../scripts/lib/paths.cjs');

const TRACE = 'tr-0123456789abcdef0123456789abcdef';
const ATTACHMENT = '0f8fad5b-d9cb-469f-a165-70867728950e';

interface ISeen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local server that records each request and answers with `handler`. */
async function server(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void
): Promise<{ url: string; seen: ISeen[]; close: () => Promise<void> }> {
  const seen: ISeen[] = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body
      });
      handler(req, res);
    });
  });
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise(resolve => {
        srv.closeAllConnections();
        srv.close(() => resolve());
      })
  };
}

const json = (res: http.ServerResponse, value: unknown) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
};

const never = new AbortController().signal;

const ALLOWED: [string, string][] = [
  ['GET', `api/3.0/mlflow/traces/${TRACE}`],
  ['GET', `/api/3.0/mlflow/traces/${TRACE.slice(3)}`],
  ['POST', 'api/3.0/mlflow/traces/search'],
  ['POST', 'api/3.0/mlflow/traces/metrics'],
  ['GET', `ajax-api/3.0/mlflow/get-trace-artifact?request_id=${TRACE}`]
];

/** The Jupyter server extension's rule for each request: its action, or null. */
function pythonActions(requests: [string, string][]): (string | null)[] {
  const script = [
    'import json, sys',
    'from jupyterlab_mlflow_traces._upstream import rule_for',
    'out = []',
    'for method, target in json.load(sys.stdin):',
    '    rule = rule_for(method, target.lstrip("/").split("?")[0])',
    '    out.append(rule.action if rule else None)',
    'print(json.dumps(out))'
  ].join('\n');
  return JSON.parse(
    execFileSync(PYTHON, ['-c', script], {
      cwd: ROOT,
      input: JSON.stringify(requests),
      encoding: 'utf8'
    })
  );
}

describe('planRequest: the allow-list', () => {
  it.each(ALLOWED)('allows %s %s', (method, target) => {
    expect(typeof planRequest(method, target)).toBe('object');
  });

  it('allows only reads the Jupyter server extension allows too', () => {
    expect(pythonActions(ALLOWED)).toEqual(ALLOWED.map(() => 'read'));
  });

  it.each([
    ['POST', `api/3.0/mlflow/traces/${TRACE}/assessments`],
    ['PATCH', `api/3.0/mlflow/traces/${TRACE}/tags`],
    ['DELETE', `api/3.0/mlflow/traces/${TRACE}`],
    ['GET', 'api/2.0/mlflow/experiments/search'],
    ['GET', `api/3.0/mlflow/traces/${TRACE}/../../../../etc/passwd`],
    ['GET', 'api/3.0/mlflow/traces/search'],
    ['POST', `api/3.0/mlflow/traces/search/../../2.0/mlflow/runs/delete`],
    ['GET', `ajax-api/3.0/mlflow/get-trace-artifact?path=../../secrets`],
    [
      'GET',
      `ajax-api/3.0/mlflow/get-trace-artifact?path=${ATTACHMENT}&path=${ATTACHMENT}`
    ]
  ])('refuses %s %s, naming why', (method, target) => {
    const plan = planRequest(method, target);
    expect(typeof plan).toBe('string');
    expect(plan).toMatch(/does not send|more than once|not an attachment id/);
  });

  it('forwards only the query parameters a rule needs', () => {
    const plan = planRequest(
      'GET',
      `ajax-api/3.0/mlflow/get-trace-artifact?request_id=${TRACE}&token=jupyter&path=${ATTACHMENT}`
    );
    expect(typeof plan !== 'string' && plan.query.toString()).toBe(
      `request_id=${TRACE}&path=${ATTACHMENT}`
    );
  });
});

describe('forward: requests to a real HTTP server', () => {
  it('sends an allowed read with the credentials in a header and passes the answer back', async () => {
    const mlflow = await server((_, res) => json(res, { trace: { id: 1 } }));
    try {
      const answer = await forward(
        { baseUrl: mlflow.url, auth: { username: 'ann', password: 'pä ss' } },
        { method: 'GET', target: `api/3.0/mlflow/traces/${TRACE}` },
        never
      );
      expect(answer).toMatchObject({
        status: 200,
        contentType: 'application/json'
      });
      expect(JSON.parse(answer.body)).toEqual({ trace: { id: 1 } });
      expect(mlflow.seen).toHaveLength(1);
      expect(mlflow.seen[0].url).toBe(`/api/3.0/mlflow/traces/${TRACE}`);
      expect(mlflow.seen[0].headers.authorization).toBe(
        `Basic ${Buffer.from('ann:pä ss').toString('base64')}`
      );
    } finally {
      await mlflow.close();
    }
  });

  it('sends a search body as given, and refuses a write before a byte leaves', async () => {
    const mlflow = await server((_, res) => json(res, { traces: [] }));
    try {
      const search = await forward(
        { baseUrl: mlflow.url, auth: { token: 't0k' } },
        {
          method: 'POST',
          target: 'api/3.0/mlflow/traces/search',
          body: '{"locations":[]}'
        },
        never
      );
      expect(search.status).toBe(200);
      const write = await forward(
        { baseUrl: mlflow.url, auth: { token: 't0k' } },
        {
          method: 'POST',
          target: `api/3.0/mlflow/traces/${TRACE}/assessments`,
          body: '{}'
        },
        never
      );
      expect(write.status).toBe(403);
      expect(JSON.parse(write.body).error_code).toBe('PERMISSION_DENIED');
      expect(mlflow.seen.map(s => [s.method, s.url, s.body])).toEqual([
        ['POST', '/api/3.0/mlflow/traces/search', '{"locations":[]}']
      ]);
      expect(mlflow.seen[0].headers.authorization).toBe('Bearer t0k');
    } finally {
      await mlflow.close();
    }
  });

  it('returns an attachment as base64 bytes, without the extra parameters', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 10]);
    const mlflow = await server((_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(bytes);
    });
    try {
      const answer = await forward(
        { baseUrl: mlflow.url },
        {
          method: 'GET',
          target: `ajax-api/3.0/mlflow/get-trace-artifact?request_id=${TRACE}&path=${ATTACHMENT}&x=1`
        },
        never
      );
      expect(answer).toMatchObject({
        status: 200,
        base64: true,
        contentType: 'application/octet-stream'
      });
      expect(Buffer.from(answer.body, 'base64')).toEqual(bytes);
      expect(mlflow.seen[0].url).toBe(
        `/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${TRACE}&path=${ATTACHMENT}`
      );
      expect(mlflow.seen[0].headers.authorization).toBeUndefined();
    } finally {
      await mlflow.close();
    }
  });

  it('follows no redirect', async () => {
    const elsewhere = await server((_, res) => json(res, {}));
    const mlflow = await server((_, res) => {
      res.writeHead(302, { Location: `${elsewhere.url}/steal` });
      res.end();
    });
    try {
      const answer = await forward(
        { baseUrl: mlflow.url, auth: { token: 'secret' } },
        { method: 'GET', target: `api/3.0/mlflow/traces/${TRACE}` },
        never
      );
      expect(answer.status).toBe(302);
      expect(elsewhere.seen).toEqual([]);
    } finally {
      await mlflow.close();
      await elsewhere.close();
    }
  });

  const limits: IForwardLimits = {
    timeoutMs: 300,
    maxAnswerBytes: 1000,
    maxAttachmentBytes: 10
  };

  it('ends a request at its deadline', async () => {
    const mlflow = await server((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"traces": [');
      // and never ends
    });
    try {
      const started = Date.now();
      const answer = await forward(
        { baseUrl: mlflow.url },
        { method: 'POST', target: 'api/3.0/mlflow/traces/search', body: '{}' },
        never,
        limits
      );
      expect(answer.status).toBe(504);
      expect(JSON.parse(answer.body).message).toMatch(/longer than 0.3 s/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await mlflow.close();
    }
  });

  it('cuts off an answer above its cap, with an error that says so', async () => {
    const mlflow = await server((_, res) =>
      json(res, { big: 'x'.repeat(5000) })
    );
    try {
      const answer = await forward(
        { baseUrl: mlflow.url },
        { method: 'GET', target: `api/3.0/mlflow/traces/${TRACE}` },
        never,
        limits
      );
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body)).toEqual({
        error_code: 'ANSWER_TOO_LARGE',
        message: "the tracking server's answer is larger than 1000 bytes"
      });
    } finally {
      await mlflow.close();
    }
  });

  it('names an unreachable server without its credentials', async () => {
    const gone = await server(() => undefined);
    await gone.close();
    const answer = await forward(
      { baseUrl: gone.url, auth: { username: 'ann', password: 'hunter2' } },
      { method: 'GET', target: `api/3.0/mlflow/traces/${TRACE}` },
      never
    );
    expect(answer.status).toBe(502);
    expect(answer.body).toContain(gone.url);
    expect(answer.body).not.toContain('hunter2');
  });
});

describe('targetFromEnv: the tracking server of VS Code’s environment', () => {
  it('splits credentials off the URI; MLflow’s variables win', () => {
    expect(
      targetFromEnv({
        MLFLOW_TRACKING_URI: 'http://ann:pw@mlflow.test:5000/prefix/'
      })
    ).toEqual({
      baseUrl: 'http://mlflow.test:5000/prefix',
      auth: { username: 'ann', password: 'pw' }
    });
    expect(
      targetFromEnv({
        MLFLOW_TRACKING_URI: 'https://ann:pw@mlflow.test',
        MLFLOW_TRACKING_TOKEN: 'tok'
      })
    ).toEqual({ baseUrl: 'https://mlflow.test', auth: { token: 'tok' } });
  });

  it.each([
    [{}, /no MLFLOW_TRACKING_URI/],
    [
      { MLFLOW_TRACKING_URI: 'sqlite:///mlflow.db' },
      /not an http\(s\) tracking server/
    ],
    [{ MLFLOW_TRACKING_URI: 'http://[bad' }, /cannot be used/]
  ])('%j: says what is missing', (env, why) => {
    const target = targetFromEnv(env);
    expect('problem' in target && target.problem).toMatch(why);
  });
});
