/**
 * Valid but hard answers of the real tracking server, on screen: a trace
 * still IN_PROGRESS (no span data yet) and a span with a 10 MB attribute
 * written by MLflow's Python SDK. Each is fetched by id beside an embedded
 * trace, which stays whole.
 */
import { execFileSync } from 'child_process';
import path from 'path';
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { logTraceInfo } from '../../test/integration/post-json';
import {
  embeddedBesideFetched,
  liveServer,
  uploadNotebook
} from '../notebooks';
import { spanRows, traceWidget } from '../trace-dom';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');
const BIG_CHARS = 10_000_000;

/**
 * The id of this spec's own experiment, so its traces stay out of the
 * fixtures experiment that other specs list and count.
 */
async function ownExperiment(
  request: import('@playwright/test').APIRequestContext,
  url: string
): Promise<string> {
  const name = 'hostile-answers';
  const found = await request.get(
    `${url}/api/2.0/mlflow/experiments/get-by-name`,
    { params: { experiment_name: name } }
  );
  if (found.ok()) {
    return (await found.json()).experiment.experiment_id;
  }
  const created = await request.post(
    `${url}/api/2.0/mlflow/experiments/create`,
    { data: { name } }
  );
  expect(created.ok()).toBe(true);
  return (await created.json()).experiment_id;
}

/** Open a trusted notebook whose one output embeds a trace and names `traceId`. */
async function openWithTrace(
  page: IJupyterLabPageFixture,
  request: import('@playwright/test').APIRequestContext,
  nbPath: string,
  traceId: string
) {
  const nb = embeddedBesideFetched(traceId, liveServer().url);
  await uploadNotebook(request, nbPath, nb, { trusted: true });
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate(nbPath.split('/').pop()!);
  const widget = traceWidget(page, 0);
  await expect(spanRows(widget).first()).toBeVisible({ timeout: 30_000 });
  return { widget, embeddedRowCount: await spanRows(widget).count() };
}

test('an IN_PROGRESS trace without span data: its state, no error, polled while it runs', async ({
  page,
  request,
  tmpPath
}) => {
  const { url } = liveServer();
  const experimentId = await ownExperiment(request, url);
  const traceId = `tr-${'e'.repeat(20)}${Date.now().toString(16).padStart(12, '0')}`;
  const logged = await logTraceInfo(
    traceId,
    { state: 'IN_PROGRESS' },
    { trackingUri: url, experimentId }
  );
  expect(logged.ok).toBe(true);
  const fetches: string[] = [];
  page.on('request', r => {
    if (r.url().includes(traceId)) {
      fetches.push(r.url());
    }
  });
  const pageErrors: string[] = [];
  page.on('pageerror', error => pageErrors.push(error.message));

  const { widget, embeddedRowCount } = await openWithTrace(
    page,
    request,
    `${tmpPath}/in-progress.ipynb`,
    traceId
  );
  const tabs = widget
    .getByRole('tablist', { name: 'Traces in this output' })
    .getByRole('tab');
  await expect(tabs.nth(1)).toContainText('IN_PROGRESS', { timeout: 30_000 });
  await tabs.nth(1).click();
  await expect(widget.getByRole('alert')).toHaveCount(0);
  await expect(
    widget.getByRole('button', { name: 'Refresh from server' })
  ).toBeVisible();
  // The renderer polls a running trace (every 2 s): its info is asked again.
  const infoFetches = () =>
    fetches.filter(u => !u.includes('get-trace-artifact')).length;
  const first = infoFetches();
  await expect.poll(infoFetches, { timeout: 15_000 }).toBeGreaterThan(first);

  await tabs.nth(0).click();
  await expect(spanRows(widget)).toHaveCount(embeddedRowCount);
  expect(pageErrors).toEqual([]);
});

test('a 10 MB attribute written by the Python SDK: fetched, shown shortened, whole on demand', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(120_000);
  const { url } = liveServer();
  const experimentId = await ownExperiment(request, url);
  const out = execFileSync(
    PYTHON,
    [
      path.join(ROOT, 'test', 'fixtures', 'write_big_attribute.py'),
      url,
      experimentId,
      String(BIG_CHARS)
    ],
    {
      encoding: 'utf8',
      env: venvEnv({ MLFLOW_TRACKING_URI: url }),
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  const traceId = out.trim().split('\n').pop()!;
  expect(traceId).toMatch(/^tr-[0-9a-f]{32}$/);
  const pageErrors: string[] = [];
  page.on('pageerror', error => pageErrors.push(error.message));

  const { widget, embeddedRowCount } = await openWithTrace(
    page,
    request,
    `${tmpPath}/big.ipynb`,
    traceId
  );
  const tabs = widget
    .getByRole('tablist', { name: 'Traces in this output' })
    .getByRole('tab');
  await expect(tabs.nth(1)).toContainText('OK', { timeout: 60_000 });
  await tabs.nth(1).click();
  await expect(widget.getByRole('alert')).toHaveCount(0);
  const rows = spanRows(widget);
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  const details = widget.getByLabel('Span details');
  await expect(details.getByRole('heading')).toHaveText('big_attribute');
  const showAll = details.getByRole('button', {
    name: `show all ${BIG_CHARS.toLocaleString('en-US')} characters`
  });
  await expect(showAll).toBeVisible();
  await showAll.click();
  await expect(showAll).toHaveCount(0);
  const longest = () =>
    details.evaluate(element =>
      Math.max(
        ...Array.from(
          element.querySelectorAll('.jp-MlflowTrace-jsonString'),
          node => node.textContent?.length ?? 0
        )
      )
    );
  expect(await longest()).toBe(BIG_CHARS);

  await tabs.nth(0).click();
  await expect(spanRows(widget)).toHaveCount(embeddedRowCount);
  expect(pageErrors).toEqual([]);
});
