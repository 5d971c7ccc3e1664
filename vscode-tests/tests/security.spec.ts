/**
 * What VS Code's renderer may fetch, and from where, in a real VS Code
 * (code-server) with our .vsix: a trace given only by id comes from the real
 * `mlflow server` through the extension host (MLFLOW_TRACKING_URI of VS
 * Code's environment), never from the server an output names (a decoy on
 * 127.0.0.1 that must see no request, from the webview or the host); and the
 * XSS corpus stays text.
 */
import http from 'http';
import { AddressInfo } from 'net';
import { expect, test } from '@playwright/test';
import type { Frame, Page } from '@playwright/test';
import {
  codeCell,
  embeddedBundle,
  idsOnlyBundle,
  notebook,
  recordedTrace,
  TRACE_MIME,
  traceOutput
} from '../../ui-tests/notebooks';
import { spanRow, spanRows } from '../../ui-tests/trace-dom';
import { hostileNotebook, PAYLOADS } from '../../ui-tests/tests/xss-helpers';
import {
  openNotebook,
  outputFrame,
  readNotebook,
  renderAllOutputs,
  scrollIntoNotebook,
  scrollToOutput,
  state,
  watchForeignRequests,
  writeNotebook
} from '../workbench';

/** A server on 127.0.0.1 that records every request and answers 500. */
async function decoy(): Promise<{
  url: string;
  hits: string[];
  close: () => Promise<void>;
}> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(500, { 'Content-Type': 'application/json' });
    res.end('{"error_code":"DECOY","message":"the decoy was asked"}');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

/** Whether any frame of the page ran a payload (each sets window.__xss). */
async function xssRan(page: Page): Promise<unknown[]> {
  const marks: unknown[] = [];
  for (const frame of page.frames()) {
    const mark = await frame
      .evaluate(() => (window as any).__xss)
      .catch(() => undefined);
    if (mark !== undefined) {
      marks.push(mark);
    }
  }
  return marks;
}

test('a trace given only by id is fetched through the extension host; the server the output names sees nothing', async ({
  page
}) => {
  const watch = watchForeignRequests(page);
  const elsewhere = await decoy();
  try {
    // A trace the quickstart wrote to the real server, and how many spans it has.
    const python = readNotebook(state().notebooks.python);
    const written = python.cells
      .flatMap((cell: any) => cell.outputs ?? [])
      .find((o: any) => o.data?.[TRACE_MIME])!.data[TRACE_MIME].traces[0];
    const nested = recordedTrace('nested');
    writeNotebook(
      'by-id.ipynb',
      notebook([
        codeCell('# by id, naming a decoy server', [
          traceOutput(idsOnlyBundle([written.trace_id], elsewhere.url))
        ]),
        codeCell('# embedded, naming the decoy too', [
          traceOutput(embeddedBundle([nested], elsewhere.url))
        ])
      ])
    );
    await openNotebook(page, 'by-id.ipynb');
    const frame: Frame = await outputFrame(page);
    const byId = frame.locator('.jp-MlflowTrace', {
      hasText: written.trace_id
    });
    await scrollToOutput(page, byId.locator('.jp-MlflowTrace-header'));
    await expect(byId.locator('.jp-MlflowTrace-header')).toContainText(
      `${written.spans.length} spans`
    );
    await expect(
      spanRow(byId, new RegExp(written.spans[0].name))
    ).toBeVisible();
    await expect(byId.getByRole('alert')).toHaveCount(0);
    // Refresh asks the host again.
    const refresh = byId.getByRole('button', { name: /Refresh/ }).first();
    await scrollIntoNotebook(page, refresh);
    await refresh.click();
    await expect(byId.locator('.jp-MlflowTrace-header')).toContainText(
      `${written.spans.length} spans`
    );
    const embedded = frame.locator('.jp-MlflowTrace', {
      hasText: nested.trace_id
    });
    await scrollToOutput(page, embedded.locator('.jp-MlflowTrace-header'));
    await expect(spanRows(embedded)).toHaveCount(nested.spans!.length);
    expect(elsewhere.hits).toEqual([]);
    expect(await watch.foreign()).toEqual([]);
  } finally {
    await elsewhere.close();
  }
});

test(`${PAYLOADS.length} XSS payloads: no script, dialog or foreign request; the payloads show as text`, async ({
  page
}) => {
  test.setTimeout(180_000);
  const watch = watchForeignRequests(page);
  const dialogs: string[] = [];
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    void dialog.dismiss().catch(() => undefined);
  });
  writeNotebook('xss.ipynb', hostileNotebook('vscode'));
  await openNotebook(page, 'xss.ipynb');
  await renderAllOutputs(page);
  const frame = await outputFrame(page);
  // Our renderer took both bundles.
  await expect(frame.locator('.output .jp-MlflowTraceList')).toHaveCount(1);
  // Our explorer (the third cell's bare text/html fallbacks render as HTML).
  const trace = frame.locator(
    '.output .jp-MlflowTrace:has(.jp-MlflowTrace-explorer)'
  );
  await expect(trace.first()).toBeAttached();
  await scrollToOutput(page, trace.first().locator('.jp-MlflowTrace-header'));
  await expect(spanRows(trace.first()).first()).toBeVisible();
  // A payload in a span name shows as its text.
  const rowText = await spanRows(trace.first()).allTextContents();
  expect(rowText.join('\n')).toMatch(/<(img|script|svg)/i);
  await page.waitForTimeout(1000);
  expect(await xssRan(page)).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(await watch.foreign()).toEqual([]);
});
