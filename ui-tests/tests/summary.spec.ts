/**
 * A trace summary in real JupyterLab: the contract's reference bundle
 * renders its three charts in the light and the dark theme (an untrusted
 * notebook: the renderer is safe), and pointing at a bucket reads out its
 * traces count.
 */
import fs from 'fs';
import path from 'path';
import { expect, test } from '@jupyterlab/galata';
import { codeCell, notebook, uploadNotebook } from '../notebooks';

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
