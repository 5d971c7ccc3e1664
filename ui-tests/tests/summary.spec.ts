/**
 * A trace summary in real JupyterLab: the contract's reference bundles
 * render their charts in the light and the dark theme (an untrusted
 * notebook: the renderer is safe), pointing at a bucket reads out its
 * figures, and a clicked bucket or span row lists the traces behind it,
 * fetched from the live tracking server through the server extension.
 */
import fs from 'fs';
import path from 'path';
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { codeCell, liveServer, notebook, uploadNotebook } from '../notebooks';
import { postJson } from '../../test/integration/post-json';

const SUMMARY_MIME = 'application/vnd.mlflow.trace-summary+json';
const EXAMPLE = path.resolve(
  __dirname,
  '../../contract/examples/trace-summary/three-hours.json'
);

function summaryNotebook() {
  const bundle = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  return notebook([
    codeCell('summarize(query)', [
      {
        output_type: 'display_data',
        metadata: {},
        data: {
          [SUMMARY_MIME]: bundle,
          'text/html': '<p>static summary fallback</p>',
          'text/plain': 'trace summary'
        }
      }
    ])
  ]);
}

test('three charts in light and dark themes; a pointed bucket reads out its traces', async ({
  page,
  request,
  tmpPath
}) => {
  const nbPath = `${tmpPath}/summary.ipynb`;
  await uploadNotebook(request, nbPath, summaryNotebook(), { trusted: false });
  await page.notebook.openByPath(nbPath);
  const output = page.locator('.jp-MlflowTraceSummary');
  await expect(output).toHaveCount(1);
  await expect(page.getByText('static summary fallback')).toHaveCount(0);
  const charts = output.locator('figure');
  await expect(charts).toHaveCount(3);
  await expect(output.locator('.jp-MlflowTraceSummary-header')).toContainText(
    'Computed by the tracking server (QueryTraceMetrics).'
  );

  // The axis labels follow the theme's --jp-ui-font-color2.
  const axisColor = () =>
    charts
      .first()
      .locator('.jp-MlflowTraceSummary-axis')
      .evaluate(el => getComputedStyle(el).color);
  const lightColor = await axisColor();
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') {
      await page.theme.setDarkTheme();
      await expect.poll(axisColor).not.toBe(lightColor);
    }
    for (let i = 0; i < 3; i++) {
      const svg = charts.nth(i).locator('svg');
      await expect(svg).toBeVisible();
      const box = (await svg.boundingBox())!;
      expect(box.width).toBeGreaterThan(200);
      // The axes were drawn: tick labels in UTC hours.
      await expect(svg.locator('.tick text').first()).toHaveText('00:00');
    }
    await expect(
      charts.nth(0).locator('rect.jp-MlflowTraceSummary-bar')
    ).toHaveCount(3);
    await expect(
      charts.nth(1).locator('path.jp-MlflowTraceSummary-line')
    ).toHaveCount(3);
    await expect(
      charts.nth(2).locator('rect.jp-MlflowTraceSummary-bar')
    ).toHaveCount(6);
  }

  const readout = output.getByRole('status');
  await charts.nth(0).locator('[data-bucket="1"]').hover();
  await expect(readout).toContainText('01:00 UTC + 1 h: 2 traces, 0 errors');
  await charts.nth(2).locator('[data-bucket="0"]').hover();
  await expect(readout).toContainText('00:00 UTC + 1 h: 3 traces, 1 error');
});

// --- the further parts, against the live tracking server --------------------

const HOUR_MS = 3600000;
const { url, expected } = liveServer();

interface ILiveTrace {
  traceId: string;
  requestMs: number;
  durationMs: number;
}

/** The fixture experiment's traces, as the server's search returns them. */
async function liveTraces(filter?: string): Promise<ILiveTrace[]> {
  const response = await postJson(`${url}/api/3.0/mlflow/traces/search`, {
    locations: [
      {
        type: 'MLFLOW_EXPERIMENT',
        mlflow_experiment: { experiment_id: expected.experiment_id }
      }
    ],
    max_results: 500,
    ...(filter ? { filter } : {})
  });
  expect(response.ok).toBe(true);
  const page = await response.json();
  return (page.traces ?? []).map((info: any) => ({
    traceId: info.trace_id,
    requestMs: Date.parse(info.request_time),
    durationMs: parseFloat(info.execution_duration) * 1000
  }));
}

/** Every start_time_ms / end_time_ms of `value` moved by `deltaMs`. */
function shiftTimes(value: any, deltaMs: number): any {
  if (Array.isArray(value)) {
    return value.map(item => shiftTimes(item, deltaMs));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        (key === 'start_time_ms' || key === 'end_time_ms') &&
        typeof item === 'number'
          ? item + deltaMs
          : shiftTimes(item, deltaMs)
      ])
    );
  }
  return value;
}

/**
 * full.json moved onto the fixture experiment: its bucket 1 is the hour of
 * the first fixture trace, no filter, and its budgeted span row is the
 * fixtures' "rag_agent".
 */
function liveFullBundle(firstRequestMs: number): any {
  const full = fs.readFileSync(
    path.resolve(__dirname, '../../contract/examples/trace-summary/full.json'),
    'utf8'
  );
  const bundle = JSON.parse(full.replace(/"retrieve"/g, '"rag_agent"'));
  const hour = Math.floor(firstRequestMs / HOUR_MS) * HOUR_MS;
  const shifted = shiftTimes(
    bundle,
    hour - HOUR_MS - bundle.query.start_time_ms
  );
  shifted.query.experiment_ids = [expected.experiment_id];
  delete shifted.query.filter;
  return shifted;
}

function bundleNotebook(bundle: unknown) {
  return notebook([
    codeCell('summarize(query, group_by="tags.version", budgets=budgets)', [
      {
        output_type: 'display_data',
        metadata: {},
        data: { [SUMMARY_MIME]: bundle, 'text/plain': 'trace summary' }
      }
    ])
  ]);
}

test('every part in light and dark themes: cost, budgets, segments, quality, spans, violations; hover reads out', async ({
  page,
  request,
  tmpPath
}) => {
  const traces = await liveTraces();
  const bundle = liveFullBundle(Math.min(...traces.map(t => t.requestMs)));
  const nbPath = `${tmpPath}/summary-full.ipynb`;
  await uploadNotebook(request, nbPath, bundleNotebook(bundle), {
    trusted: false
  });
  await page.notebook.openByPath(nbPath);
  const output = page.locator('.jp-MlflowTraceSummary');
  const charts = output.locator('figure');
  await expect(charts).toHaveCount(10);
  const budgetLines = output.locator('line.jp-MlflowTraceSummary-budgetLine');
  const lineColor = () =>
    budgetLines.first().evaluate(el => getComputedStyle(el).stroke);
  const lightColor = await lineColor();
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') {
      await page.theme.setDarkTheme();
      await expect.poll(lineColor).not.toBe(lightColor);
    }
    // Error rate, latency and cost, for the whole query and by segment.
    await expect(budgetLines).toHaveCount(6);
    // A horizontal line has no height for toBeVisible: its label shows it.
    await expect(
      output.locator('.jp-MlflowTraceSummary-budgetLabel').first()
    ).toBeVisible();
    // Error rate broke it in buckets 1 and 2, latency and cost in bucket 1.
    await expect(output.locator('[data-broken]')).toHaveCount(4);
    await expect(
      output.locator('.jp-MlflowTraceSummary-brokenMark').first()
    ).toBeVisible();
    for (let i = 0; i < 10; i++) {
      const box = (await charts.nth(i).locator('svg').boundingBox())!;
      expect(box.width).toBeGreaterThan(150);
    }
    const segmentRegion = output.getByRole('region', { name: 'Segments' });
    await expect(segmentRegion.locator('figcaption').first()).toContainText(
      'v1'
    );
    await expect(segmentRegion.locator('figcaption').first()).toContainText(
      'v2'
    );
    await expect(segmentRegion.locator('tbody tr')).toHaveCount(2);
    await expect(
      output.getByRole('table', { name: 'Time and cost by span name' })
    ).toBeVisible();
    await expect(
      output.getByRole('table', { name: 'Broken budgets' }).locator('tbody tr')
    ).toHaveCount(10);
    await output.screenshot({
      path: test.info().outputPath(`summary-full-${theme}.png`)
    });
  }
  const readout = output.getByRole('status').first();
  await segments(output).locator('[data-bucket="1"]').first().hover();
  await expect(readout).toContainText(
    'v2: 4 traces, error rate 50%, p90 2.1 s'
  );
  await expect(readout).toContainText('correctness: 50% positive of 6');
});

function segments(output: Locator): Locator {
  return output.getByRole('region', { name: 'Segments' });
}

test('a clicked bucket and a clicked span row list the traces behind them, the slowest first', async ({
  page,
  request,
  tmpPath
}) => {
  const traces = await liveTraces();
  const first = Math.min(...traces.map(t => t.requestMs));
  const bundle = liveFullBundle(first);
  const hour = Math.floor(first / HOUR_MS) * HOUR_MS;
  const inBucket = traces
    .filter(t => t.requestMs >= hour && t.requestMs <= hour + HOUR_MS - 1)
    .sort((a, b) => b.durationMs - a.durationMs);
  expect(inBucket.length).toBeGreaterThan(0);
  const nbPath = `${tmpPath}/summary-click.ipynb`;
  await uploadNotebook(request, nbPath, bundleNotebook(bundle), {
    trusted: false
  });
  await page.notebook.openByPath(nbPath);
  const output = page.locator('.jp-MlflowTraceSummary');
  const drill = output.locator('.jp-MlflowTraceSummary-drill');

  await output.locator('figure').nth(1).locator('[data-bucket="1"]').click();
  await expect(drill).toContainText(/Traces of .* \+ 1 h, slowest first/);
  await expect(drill).toContainText(`${inBucket.length} traces`);
  const rows = drill.locator('[role=row][data-trace-id]');
  await expect(rows.first()).toHaveAttribute(
    'data-trace-id',
    inBucket[0].traceId
  );

  // A span row, by keyboard: the server's own span.name search.
  const withSpan = await liveTraces("span.name = 'rag_agent'");
  expect(withSpan.length).toBeGreaterThan(0);
  expect(withSpan.length).toBeLessThan(traces.length);
  const button = output.getByRole('button', { name: 'rag_agent' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(drill).toContainText(
    'Traces with a span of span name rag_agent, slowest first'
  );
  await expect(drill).toContainText(`${withSpan.length} traces`);
  const slowest = [...withSpan].sort((a, b) => b.durationMs - a.durationMs)[0];
  await expect(rows.first()).toHaveAttribute('data-trace-id', slowest.traceId);

  await drill.getByRole('button', { name: 'Close' }).click();
  await expect(drill).toHaveCount(0);
});
