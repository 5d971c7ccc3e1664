/**
 * Tracking-server faults on screen, in real JupyterLab: one trusted output
 * holds an embedded trace and a trace by id that the renderer must fetch.
 * For each fault, the fetched trace's tab shows a message naming the cause
 * with a Retry button, and the embedded trace stays whole on screen.
 *
 * The server is the real one of global-setup.js: a refusing port stands for
 * a server that is down, an unknown trace id gives the server's own 404, and
 * the fault injector of the integration tests, in front of the real server,
 * answers 401, 403 and 500, cuts the body, resets the connection mid-body
 * (a server killed mid-request) or never answers (slower than the timeout).
 * The browser calls the server the output names (the "direct" connection);
 * through the Jupyter server, the output would not choose it.
 */
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import {
  FaultMode,
  IFaultProxy,
  startFaultProxy
} from '../../test/integration/fault-proxy';
import {
  embeddedBesideFetched,
  liveServer,
  uploadNotebook
} from '../notebooks';
import { spanRows, traceWidget } from '../trace-dom';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { closedPort } = require('../../scripts/lib/closed-port.cjs');

const TIMEOUT_SECONDS = 2;

interface IFault {
  name: string;
  /** The fault injector's mode; without one the output names `target()`. */
  mode?: FaultMode;
  /** The tracking server the output names, and the trace it asks for. */
  target?: () => Promise<{ url: string; traceId: string }>;
  message: RegExp;
}

const live = () => liveServer();
const nestedId = () => live().expected.traces.nested.trace_id as string;

const FAULTS: IFault[] = [
  {
    name: 'server down',
    target: async () => ({
      url: `http://127.0.0.1:${await closedPort()}`,
      traceId: nestedId()
    }),
    message: /unreachable at http:\/\/127\.0\.0\.1:\d+/
  },
  {
    name: 'no such trace (the real server answers 404)',
    target: async () => ({
      url: live().url,
      traceId: 'tr-0000000000000000000000000000dead'
    }),
    message: /tr-0000000000000000000000000000dead/
  },
  { name: '401', mode: 401, message: /HTTP 401.*injected 401/ },
  { name: '403', mode: 403, message: /HTTP 403.*injected 403/ },
  { name: '500', mode: 500, message: /HTTP 500.*injected 500/ },
  { name: 'truncated body', mode: 'truncate', message: /not JSON/ },
  {
    name: 'connection reset mid-body (server killed mid-request)',
    mode: 'reset',
    message: /at http:\/\/127\.0\.0\.1:\d+ to .* broke off before its end/
  },
  {
    name: `no answer within the ${TIMEOUT_SECONDS} s timeout of the settings`,
    mode: 'hang',
    message: new RegExp(
      `did not answer within ${TIMEOUT_SECONDS * 1000} ms: http://127\\.0\\.0\\.1:\\d+/`
    )
  }
];

async function openFaultNotebook(
  page: IJupyterLabPageFixture,
  request: import('@playwright/test').APIRequestContext,
  path: string,
  target: { url: string; traceId: string }
) {
  const nb = embeddedBesideFetched(target.traceId, target.url);
  await uploadNotebook(request, path, nb, { trusted: true });
  await page.notebook.openByPath(path);
  await page.notebook.activate(path.split('/').pop()!);
}

test.describe('tracking-server faults on screen', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-mlflow-traces:plugin': {
        connection: 'direct',
        requestTimeoutSeconds: TIMEOUT_SECONDS
      }
    }
  });

  for (const fault of FAULTS) {
    test(`${fault.name}: a message naming the cause, Retry, and the embedded trace kept`, async ({
      page,
      request,
      tmpPath
    }) => {
      const pageErrors: string[] = [];
      page.on('pageerror', error => pageErrors.push(error.message));
      let proxy: IFaultProxy | undefined;
      let target: { url: string; traceId: string };
      if (fault.mode !== undefined) {
        proxy = await startFaultProxy(live().url);
        proxy.mode = fault.mode;
        target = { url: proxy.url, traceId: nestedId() };
      } else {
        target = await fault.target!();
      }
      try {
        await openFaultNotebook(
          page,
          request,
          `${tmpPath}/fault.ipynb`,
          target
        );
        const widget = traceWidget(page, 0);
        const embeddedRows = spanRows(widget);
        await expect(embeddedRows.first()).toBeVisible({ timeout: 30_000 });
        const rowCount = await embeddedRows.count();

        const tabs = widget
          .getByRole('tablist', { name: 'Traces in this output' })
          .getByRole('tab');
        await expect(tabs).toHaveCount(2);
        await expect(tabs.nth(1)).toContainText('ERROR', { timeout: 30_000 });
        await tabs.nth(1).click();
        await expect(widget.getByRole('alert')).toHaveText(fault.message);
        const retry = widget.getByRole('button', { name: 'Retry' });
        await expect(retry).toBeVisible();
        if (proxy) {
          expect(proxy.requests.length).toBeGreaterThan(0);
          // The server mends: Retry fetches the trace.
          proxy.mode = 'pass';
          await retry.click();
          await expect(tabs.nth(1)).toContainText('OK', { timeout: 30_000 });
          await expect(widget.getByRole('alert')).toHaveCount(0);
          await expect(spanRows(widget).first()).toBeVisible();
        }

        await tabs.nth(0).click();
        await expect(embeddedRows).toHaveCount(rowCount);
        await expect(widget.getByRole('alert')).toHaveCount(0);
        expect(pageErrors).toEqual([]);
      } finally {
        await proxy?.close();
      }
    });
  }
});
