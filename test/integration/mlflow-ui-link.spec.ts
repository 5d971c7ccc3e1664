/**
 * "Open in MLflow UI": the link our one builder makes (trace/url.ts, used by
 * the client, the views and the fallbacks) opened in Chromium against the
 * real server's own UI. The trace's details drawer must open, showing the
 * trace and its spans, not the experiment's overview page.
 */
import fs from 'fs';
import { Browser, chromium } from 'playwright-core';
import { MlflowClient } from '../../src/client';
import { renderTraceHtml } from '../../src/bundle';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CHROMIUM, CHROMIUM_ARGS } = require('../../scripts/lib/paths.cjs');

const trackingUri = process.env.MLFLOW_TEST_TRACKING_URI ?? '';
const expected = JSON.parse(
  fs.readFileSync(process.env.MLFLOW_TEST_FIXTURES ?? '', 'utf8')
);
const nested = expected.traces.nested as {
  trace_id: string;
  spans: { name: string }[];
};

describe('the MLflow UI link of a trace, in Chromium', () => {
  const client = new MlflowClient({ trackingUri });
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens the trace\u2019s details, with its spans, in MLflow\u2019s own UI', async () => {
    const info = await client.getTraceInfo(nested.trace_id);
    const link = client.uiUrl(info)!;
    expect(link).toBeDefined();
    // The fallback's link is the same one.
    const spans = await client.getTraceSpans(nested.trace_id);
    const html = renderTraceHtml({
      version: 1,
      tracking_uri: trackingUri,
      traces: [{ trace_id: nested.trace_id, info, spans }]
    });
    expect(html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);

    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 }
    });
    await page.goto(link);
    // The drawer names the trace by the first 8 hex digits of its id. Located
    // by CSS: while MLflow's "Detect Issues" popover is up, the drawer is
    // left out of the accessibility tree that getByRole reads.
    const shortId = nested.trace_id.replace(/^tr-/, '').slice(0, 8);
    const drawer = page
      .locator('[role="dialog"]')
      .filter({ hasText: shortId })
      .filter({ hasText: 'memory_lookup' });
    await drawer.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await drawer.innerText();
    for (const span of nested.spans) {
      expect(text).toContain(span.name);
    }
    expect(page.url()).toContain(
      `/#/experiments/${expected.experiment_id}/traces`
    );
    await page.close();
  });
});
