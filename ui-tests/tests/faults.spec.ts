/**
 * Tracking-server faults on screen, in real JupyterLab: one trusted output
 * holds an embedded trace and a trace by id that the renderer must fetch.
 * For each fault, the fetched trace's tab shows a message naming the cause
 * with a Retry button, and the embedded trace stays whole on screen.
 *
 * The server is the real one of global-setup.js: a closed port stands for a
 * server that is down, an unknown trace id gives the server's own 404, and
 * Playwright's router answers 401, 500 and a truncated body in its place.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import {
  codeCell,
  embeddedBundle,
  liveServer,
  notebook,
  recordedTrace,
  traceOutput,
  uploadNotebook
} from '../notebooks';
import { spanRows, traceWidget } from '../trace-dom';

const embedded = recordedTrace('nested');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { closedPort } = require('../../scripts/lib/closed-port.cjs');

interface IFault {
  name: string;
  /** The tracking server the output names, and the trace it asks for. */
  target: () => Promise<{ url: string; traceId: string }>;
  /** Playwright's answer in the server's place, if any. */
  answer?: { status: number; body: string };
  message: RegExp;
}

const live = () => liveServer();
const liveNested = async () => ({
  url: live().url,
  traceId: live().expected.traces.nested.trace_id as string
});

const FAULTS: IFault[] = [
  {
    name: 'server down',
    target: async () => ({
      url: `http://127.0.0.1:${await closedPort()}`,
      traceId: live().expected.traces.nested.trace_id
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
  {
    name: '401',
    target: liveNested,
    answer: {
      status: 401,
      body: '{"error_code": "UNAUTHENTICATED", "message": "injected 401"}'
    },
    message: /HTTP 401.*injected 401/
  },
  {
    name: '500',
    target: liveNested,
    answer: {
      status: 500,
      body: '{"error_code": "INTERNAL_ERROR", "message": "injected 500"}'
    },
    message: /HTTP 500.*injected 500/
  },
  {
    name: 'truncated body',
    target: liveNested,
    answer: { status: 200, body: '{"trace": {"trace_info": {"trace_id": "tr-' },
    message: /not JSON/
  }
];

async function openFaultNotebook(
  page: IJupyterLabPageFixture,
  request: import('@playwright/test').APIRequestContext,
  path: string,
  target: { url: string; traceId: string }
) {
  const bundle = embeddedBundle(
    [embedded, { trace_id: target.traceId }],
    target.url
  );
  const nb = notebook([codeCell(`# fault ${path}`, [traceOutput(bundle)])]);
  await uploadNotebook(request, path, nb, { trusted: true });
  await page.notebook.openByPath(path);
  await page.notebook.activate(path.split('/').pop()!);
}

test.describe('tracking-server faults on screen', () => {
  for (const fault of FAULTS) {
    test(`${fault.name}: a message naming the cause, Retry, and the embedded trace kept`, async ({
      page,
      request,
      tmpPath
    }) => {
      const pageErrors: string[] = [];
      page.on('pageerror', error => pageErrors.push(error.message));
      const target = await fault.target();
      if (fault.answer) {
        const answer = fault.answer;
        await page.route(`${target.url}/**`, route =>
          route.fulfill({
            status: answer.status,
            contentType: 'application/json',
            body: answer.body
          })
        );
      }
      await openFaultNotebook(page, request, `${tmpPath}/fault.ipynb`, target);
      const widget = traceWidget(page, 0);
      const embeddedRows = spanRows(widget);
      await expect(embeddedRows.first()).toBeVisible({ timeout: 30_000 });
      const rowCount = await embeddedRows.count();

      const tabs = widget.getByRole('tab');
      await expect(tabs).toHaveCount(2);
      await expect(tabs.nth(1)).toContainText('ERROR', { timeout: 30_000 });
      await tabs.nth(1).click();
      const alert = widget.getByRole('alert');
      await expect(alert).toHaveText(fault.message);
      await expect(widget.getByRole('button', { name: 'Retry' })).toBeVisible();

      await tabs.nth(0).click();
      await expect(embeddedRows).toHaveCount(rowCount);
      await expect(widget.getByRole('alert')).toHaveCount(0);
      expect(pageErrors).toEqual([]);
    });
  }
});
