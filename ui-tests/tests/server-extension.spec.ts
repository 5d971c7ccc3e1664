/**
 * The browser talks only to JupyterLab (issue 13), in a deployment-like setup
 * of this spec's own: JupyterLab under a JupyterHub-style base_url, with a
 * token and XSRF checks, MLFLOW_TRACKING_URI and MLflow's basic-auth
 * credentials in its environment only; a `mlflow server --app-name
 * basic-auth` whose CORS admits another origin only, so a direct call from
 * the page fails. Every request and answer of the page is recorded.
 *
 * MLflow's CORS always admits localhost origins, so the page opens
 * JupyterLab as http://jupyter.test:PORT (Chromium maps that name to
 * 127.0.0.1), an origin a JupyterHub would give.
 */
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { chromium, expect, test } from '@playwright/test';
import type { Browser, Locator, Page } from '@playwright/test';
import {
  IExchange,
  IJupyter,
  recordExchanges,
  saveNotebook,
  startJupyter
} from '../jupyter-process';
import {
  codeCell,
  idsOnlyBundle,
  liveServer,
  notebook,
  traceOutput,
  TRACE_LIST_MIME
} from '../notebooks';
import { cellOutputArea, spanRows, traceWidget } from '../trace-dom';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mlflowServer = require('../../scripts/lib/mlflow-server.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const paths = require('../../scripts/lib/paths.cjs');
const { CHROMIUM, CHROMIUM_ARGS } = paths;

const ADMIN = 'admin';
const PASSWORD = `pw-${Date.now().toString(36)}-Secret!42`;
const BASIC = Buffer.from(`${ADMIN}:${PASSWORD}`).toString('base64');
const BASE_URL = '/user/alice/';
// The only origin the tracking server's CORS admits: not JupyterLab's.
const OTHER_ORIGIN = 'https://notebooks.example.org';
// JupyterLab's host name as the page knows it: not a localhost origin.
const JUPYTER_HOST = 'jupyter.test';

let dir: string;
let mlflow: { url: string; pid: number; port: number };
let jupyter: IJupyter;
let browser: Browser;
/** JupyterLab's URL as the page opens it (base_url included). */
let pageUrl: string;
let expected: {
  experiment_id: string;
  traces: Record<string, { trace_id: string }>;
};
let stranger: { url: string; connections: () => number; close: () => void };

const authHeader = { Authorization: `Basic ${BASIC}` };

/** A listener that records connections and answers nothing useful. */
function listen(): Promise<typeof stranger> {
  return new Promise(resolve => {
    let count = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer(socket => {
      count += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 500 Nope\r\nContent-Length: 0\r\n\r\n');
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        connections: () => count,
        close: () => {
          sockets.forEach(socket => socket.destroy());
          server.close();
        }
      });
    });
  });
}

/** A trace-list bundle: the server's first page of one row, with its next page token. */
async function listBundle(trackingUri: string): Promise<unknown> {
  const query = {
    locations: [
      {
        type: 'MLFLOW_EXPERIMENT',
        mlflow_experiment: { experiment_id: expected.experiment_id }
      }
    ],
    max_results: 1,
    order_by: ['timestamp_ms DESC']
  };
  const response = await fetch(`${mlflow.url}/api/3.0/mlflow/traces/search`, {
    method: 'POST',
    headers: { ...authHeader, 'Content-Type': 'application/json' },
    body: JSON.stringify(query)
  });
  const page = await response.json();
  expect(page.next_page_token).toBeTruthy();
  return {
    version: 1,
    tracking_uri: trackingUri,
    query: {
      experiment_ids: [expected.experiment_id],
      order_by: query.order_by,
      max_results: 1
    },
    traces: page.traces,
    next_page_token: page.next_page_token
  };
}

/** A notebook: a trace given by id, then a trace list, both naming `trackingUri`. */
async function outputsNaming(trackingUri: string) {
  return notebook([
    codeCell('# a trace by id', [
      traceOutput(idsOnlyBundle([expected.traces.nested.trace_id], trackingUri))
    ]),
    codeCell('# a trace query', [
      {
        output_type: 'display_data',
        metadata: {},
        data: {
          [TRACE_LIST_MIME]: await listBundle(trackingUri),
          'text/plain': 'traces'
        }
      }
    ])
  ]);
}

/**
 * Opens `name` in a fresh page of JupyterLab (logged in by its token), recording the wire.
 * `reset` starts from an empty workspace: restoring the previous page's layout
 * would open a second panel of the notebook and move the visible one mid-test.
 */
async function open(name: string) {
  const page = await browser.newPage();
  const wire = recordExchanges(page);
  await page.goto(`${pageUrl}lab/tree/${name}?token=${jupyter.token}&reset`);
  return { page, ...wire };
}

/** The trace output shows the fetched trace; the list loads a page more and opens a row. */
async function exploreOutputs(page: Page): Promise<Locator> {
  const widget = traceWidget(page, 0);
  await expect(spanRows(widget).first()).toBeVisible({ timeout: 60_000 });
  await expect(widget.locator('.jp-MlflowTrace-header')).toContainText(
    expected.traces.nested.trace_id
  );
  const list = cellOutputArea(page, 1).locator('.jp-MlflowTraceList');
  const rows = list
    .getByRole('table', { name: 'Traces' })
    .locator('[role=row][data-trace-id]');
  await expect(rows).toHaveCount(1);
  await list.getByRole('button', { name: 'Load more' }).click();
  // A basic-auth server checks the password hash on every request (~0.3 s idle, seconds when busy).
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  await rows.nth(1).click();
  await expect(
    list.locator('.jp-MlflowTraceList-detail').getByRole('treeitem').first()
  ).toBeVisible({ timeout: 30_000 });
  return widget;
}

function portOf(url: string): string {
  const parsed = new URL(url);
  return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
}

function proxied(exchanges: IExchange[]): IExchange[] {
  return exchanges.filter(e =>
    e.url.startsWith(`${pageUrl}mlflow-traces/proxy/`)
  );
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-traces-server-ext-'));
  mlflow = await mlflowServer.startBasicAuthMlflowServer({
    dir,
    username: ADMIN,
    password: PASSWORD,
    extraArgs: ['--cors-allowed-origins', OTHER_ORIGIN]
  });
  expected = mlflowServer.writeSdkTraces({
    url: mlflow.url,
    experiment: 'server-extension',
    expectedPath: path.join(dir, 'expected.json'),
    skipBig: true,
    env: {
      MLFLOW_TRACKING_USERNAME: ADMIN,
      MLFLOW_TRACKING_PASSWORD: PASSWORD,
      // Spans sent before each trace returns: no wait on a background queue under load.
      MLFLOW_ENABLE_ASYNC_TRACE_LOGGING: 'false'
    }
  });
  stranger = await listen();
  jupyter = await startJupyter({
    app: 'lab',
    baseUrl: BASE_URL,
    env: {
      MLFLOW_TRACKING_URI: mlflow.url,
      MLFLOW_TRACKING_USERNAME: ADMIN,
      MLFLOW_TRACKING_PASSWORD: PASSWORD
    },
    // Its host check would refuse the name jupyter.test; it still listens on 127.0.0.1 only.
    extraArgs: ['--ServerApp.allow_remote_access=True']
  });
  pageUrl = jupyter.url.replace('127.0.0.1', JUPYTER_HOST);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || CHROMIUM,
    args: [
      ...CHROMIUM_ARGS,
      `--host-resolver-rules=MAP ${JUPYTER_HOST} 127.0.0.1`
    ]
  });
});

test.afterAll(async () => {
  await browser?.close();
  await jupyter?.stop();
  if (mlflow) {
    mlflowServer.stopProcessGroup(mlflow.pid);
  }
  stranger?.close();
});

test('under a base_url, with CORS closed to JupyterLab: a trace by id, Load more and opening a row go through the server extension', async () => {
  test.setTimeout(180_000);
  const jupyterOrigin = new URL(pageUrl).origin;
  // A direct call from JupyterLab's page would fail: the server admits another origin only.
  const preflight = await fetch(`${mlflow.url}/api/3.0/mlflow/traces/search`, {
    method: 'OPTIONS',
    headers: {
      Origin: jupyterOrigin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type'
    }
  });
  expect(['*', jupyterOrigin]).not.toContain(
    preflight.headers.get('access-control-allow-origin')
  );
  // And the tracking server wants credentials.
  const anonymous = await fetch(
    `${mlflow.url}/api/3.0/mlflow/traces/${expected.traces.nested.trace_id}`
  );
  expect(anonymous.status).toBe(401);

  await saveNotebook(
    jupyter,
    'base-url.ipynb',
    await outputsNaming(mlflow.url),
    false
  );
  const { page, exchanges, settled } = await open('base-url.ipynb');
  await exploreOutputs(page);
  // The output names the server JupyterLab reads from: no note.
  await expect(page.locator('.jp-OutputArea [role=note]')).toHaveCount(0);
  await settled();
  await page.close();

  const mlflowPort = portOf(mlflow.url);
  expect(
    exchanges.filter(e => portOf(e.url) === mlflowPort).map(e => e.url)
  ).toEqual([]);
  const forwarded = proxied(exchanges);
  const seen = forwarded.map(
    e =>
      `${e.method} ${new URL(e.url).pathname.slice(BASE_URL.length)} ${e.status}`
  );
  const id = expected.traces.nested.trace_id;
  expect(seen).toEqual(
    expect.arrayContaining([
      `GET mlflow-traces/proxy/api/3.0/mlflow/traces/${id} 200`,
      'GET mlflow-traces/proxy/ajax-api/3.0/mlflow/get-trace-artifact 200',
      'POST mlflow-traces/proxy/api/3.0/mlflow/traces/search 200'
    ])
  );
  const search = forwarded.find(e => e.method === 'POST')!;
  expect(search.requestHeaders['x-xsrftoken']).toBeTruthy();
  expect(
    forwarded.every(e => e.url.startsWith(`${jupyterOrigin}${BASE_URL}`))
  ).toBe(true);

  // What the proxy spares: the same read, straight from JupyterLab's page, fails.
  const direct = await browser.newPage();
  await direct.goto(`${pageUrl}api/status?token=${jupyter.token}`);
  const outcome = await direct.evaluate(async url => {
    try {
      const response = await fetch(url, {
        headers: { Authorization: 'Basic eDp4' }
      });
      return `answered ${response.status}`;
    } catch (error) {
      return `failed: ${error}`;
    }
  }, `${mlflow.url}/api/3.0/mlflow/traces/${id}`);
  await direct.close();
  expect(outcome).toMatch(/^failed: TypeError/);
});

test("MLflow's credentials from the Jupyter server's environment reach the tracking server and never the browser", async () => {
  test.setTimeout(180_000);
  await saveNotebook(
    jupyter,
    'secrets.ipynb',
    await outputsNaming(mlflow.url),
    true
  );
  const { page, exchanges, settled } = await open('secrets.ipynb');
  // The trace loads: the basic-auth server (401 without credentials) got them.
  await exploreOutputs(page);
  await settled();
  await page.close();
  expect(proxied(exchanges).length).toBeGreaterThanOrEqual(4);
  expect(proxied(exchanges).every(e => e.status === 200)).toBe(true);
  const leaks: string[] = [];
  for (const e of exchanges) {
    const parts = {
      url: e.url,
      requestHeaders: JSON.stringify(e.requestHeaders),
      requestBody: e.requestBody,
      responseHeaders: JSON.stringify(e.responseHeaders ?? {}),
      responseBody: e.responseBody ?? ''
    };
    for (const [where, text] of Object.entries(parts)) {
      for (const secret of [PASSWORD, BASIC]) {
        if (text.includes(secret)) {
          leaks.push(`${e.method} ${e.url}: ${where}`);
        }
      }
    }
    if (/basic [a-z0-9+/=]{8,}/i.test(parts.requestHeaders)) {
      leaks.push(`${e.method} ${e.url}: a basic Authorization header`);
    }
  }
  expect(leaks).toEqual([]);
  // Every body was read (a leak cannot hide in an unread answer).
  const unread = exchanges.filter(
    e =>
      e.status !== undefined &&
      // Redirects and 204/304 have no body to read.
      e.status >= 200 &&
      e.status < 300 &&
      e.status !== 204 &&
      e.responseBody === undefined
  );
  expect(unread.map(e => `${e.status} ${e.url}`)).toEqual([]);
});

test("an untrusted and a trusted output naming a stranger's listener: no request reaches it, a note names both servers", async () => {
  test.setTimeout(240_000);
  for (const trusted of [false, true]) {
    const name = `stranger-${trusted}.ipynb`;
    await saveNotebook(
      jupyter,
      name,
      await outputsNaming(stranger.url),
      trusted
    );
    const { page, exchanges, settled } = await open(name);
    const widget = await exploreOutputs(page);
    const note = `This output was written against ${stranger.url}; this JupyterLab reads traces from ${mlflow.url}.`;
    await expect(widget.getByRole('note')).toHaveText(note);
    await expect(
      cellOutputArea(page, 1).locator('.jp-MlflowTraceList').getByRole('note')
    ).toHaveText(note);
    // Refresh goes through the Jupyter server too.
    await widget
      .getByRole('button', { name: /refresh/i })
      .first()
      .click();
    await page.waitForTimeout(2000);
    await settled();
    await page.close();
    expect([trusted, stranger.connections()]).toEqual([trusted, 0]);
    expect(
      exchanges
        .filter(e => portOf(e.url) === portOf(stranger.url))
        .map(e => e.url)
    ).toEqual([]);
  }
});

test('added latency of a trace fetch through the server extension, against a direct one (median of 20)', async () => {
  test.setTimeout(180_000);
  /** ms of one trace fetch (info, then span data) from `base`. */
  const time = async (
    base: string,
    traceId: string,
    headers: Record<string, string>
  ) => {
    const started = performance.now();
    for (const p of [
      `api/3.0/mlflow/traces/${traceId}`,
      `ajax-api/3.0/mlflow/get-trace-artifact?request_id=${traceId}`
    ]) {
      const response = await fetch(`${base}${p}`, { headers });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    return performance.now() - started;
  };
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return (sorted[9] + sorted[10]) / 2;
  };
  /** Medians of 20 interleaved fetches each way, after one warm-up each. */
  const compare = async (
    direct: [string, Record<string, string>],
    proxy: [string, Record<string, string>],
    traceId: string
  ) => {
    await time(direct[0], traceId, direct[1]);
    await time(proxy[0], traceId, proxy[1]);
    const directMs: number[] = [];
    const proxyMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      directMs.push(await time(direct[0], traceId, direct[1]));
      proxyMs.push(await time(proxy[0], traceId, proxy[1]));
    }
    return {
      direct_median_ms: +median(directMs).toFixed(1),
      through_jupyter_median_ms: +median(proxyMs).toFixed(1),
      added_ms: +(median(proxyMs) - median(directMs)).toFixed(1)
    };
  };
  // This spec's basic-auth server (MLflow checks the password hash on every request).
  const basicAuth = await compare(
    [`${mlflow.url}/`, authHeader],
    [
      `${jupyter.url}mlflow-traces/proxy/`,
      { Authorization: `token ${jupyter.token}` }
    ],
    expected.traces.nested.trace_id
  );
  // The shared UI server without auth, behind the galata JupyterLab of playwright.config.js.
  const live = liveServer();
  const noAuth = await compare(
    [`${live.url}/`, {}],
    [
      `http://127.0.0.1:${process.env.UI_JUPYTER_PORT}/mlflow-traces/proxy/`,
      {}
    ],
    live.expected.traces.nested.trace_id
  );
  const figures = {
    what: 'one trace fetch (GET trace info, then GET span data), from Node, median of 20 each way',
    no_auth: noAuth,
    basic_auth: basicAuth
  };
  console.log(`[server-extension latency] ${JSON.stringify(figures)}`);
  fs.mkdirSync(path.join(__dirname, '..', '.cache'), { recursive: true });
  fs.writeFileSync(
    path.join(__dirname, '..', '.cache', 'proxy-latency.json'),
    JSON.stringify(figures, null, 1)
  );
});
