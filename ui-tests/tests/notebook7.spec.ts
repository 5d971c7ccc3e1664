/**
 * Jupyter Notebook 7 (`jupyter notebook`, its own server from the .venv, with
 * a token and XSRF checks): the executed quickstart (global-setup.js) opens at
 * /notebooks/<path>, and a trace in it can be explored as in JupyterLab.
 */
import fs from 'fs';
import path from 'path';
import { chromium, expect, test } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { IJupyter, saveNotebook, startJupyter } from '../jupyter-process';
import { liveServer, TRACE_MIME } from '../notebooks';
import { spanRows, WIDGET } from '../trace-dom';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const paths = require('../../scripts/lib/paths.cjs');

let jupyter: IJupyter;
let browser: Browser;

/** The executed quickstart of global-setup.js. */
function executedQuickstart(): { cells: Record<string, unknown>[] } {
  let file = process.env.UI_QUICKSTART_EXECUTED;
  if (!file) {
    const state = path.join(__dirname, '..', '.cache', 'ui-state.json');
    file = JSON.parse(fs.readFileSync(state, 'utf8')).quickstartPath;
  }
  return JSON.parse(fs.readFileSync(file!, 'utf8'));
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  jupyter = await startJupyter({
    app: 'notebook',
    env: { MLFLOW_TRACKING_URI: liveServer().url }
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || paths.CHROMIUM,
    args: paths.CHROMIUM_ARGS
  });
});

test.afterAll(async () => {
  await browser?.close();
  await jupyter?.stop();
});

test('Notebook 7: the executed quickstart shows its traces; rows, selection, details and expand/collapse work', async () => {
  test.setTimeout(180_000);
  const nb = executedQuickstart();
  const traced = nb.cells.filter(cell =>
    ((cell.outputs as { data?: Record<string, unknown> }[]) ?? []).some(
      output => output.data?.[TRACE_MIME]
    )
  );
  expect(traced.length).toBeGreaterThan(0);
  await saveNotebook(jupyter, 'quickstart.ipynb', nb, false);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(error.stack ?? String(error)));
  await page.goto(
    `${jupyter.url}notebooks/quickstart.ipynb?token=${jupyter.token}`
  );
  // Notebook 7's own page, not JupyterLab's.
  await expect(page.locator('#main-panel, .jp-NotebookApp')).not.toHaveCount(0);
  expect(new URL(page.url()).pathname).toBe('/notebooks/quickstart.ipynb');

  const widgets = page.locator(`.jp-Notebook ${WIDGET}`);
  await expect(widgets.first()).toBeVisible({ timeout: 60_000 });
  // A trace with a span that has children, to expand and collapse.
  let widget = widgets.first();
  const count = await widgets.count();
  for (let i = 0; i < count; i++) {
    const candidate = widgets.nth(i);
    await candidate.scrollIntoViewIfNeeded();
    await expect(spanRows(candidate).first()).toBeVisible();
    if (
      (await candidate.locator('[role=treeitem][aria-expanded=true]').count()) >
      0
    ) {
      widget = candidate;
      break;
    }
  }
  await widget.scrollIntoViewIfNeeded();
  const rows = spanRows(widget);
  const before = await rows.count();
  expect(before).toBeGreaterThan(1);

  // Click a row: it is selected and the details pane shows its name.
  const row = rows.nth(1);
  const name = (
    await row.locator('.jp-MlflowTrace-spanName').textContent()
  )?.trim();
  expect(name).toBeTruthy();
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(
    widget.getByLabel('Span details').getByRole('heading')
  ).toHaveText(name!);

  // Collapse the first parent: its descendants leave; expand: they return.
  const parent = widget.locator('[role=treeitem][aria-expanded=true]').first();
  const parentName = await parent
    .locator('.jp-MlflowTrace-spanName')
    .textContent();
  await parent.locator('.jp-MlflowTrace-toggle').click();
  const collapsed = widget.getByRole('treeitem', { name: parentName! });
  await expect(collapsed.first()).toHaveAttribute('aria-expanded', 'false');
  await expect.poll(() => rows.count()).toBeLessThan(before);
  await collapsed.first().locator('.jp-MlflowTrace-toggle').click();
  await expect(collapsed.first()).toHaveAttribute('aria-expanded', 'true');
  await expect.poll(() => rows.count()).toBe(before);
  // Notebook 7.6.5 throws one TypeError of its own at start ("reading 'schema'",
  // in its shortcuts settings handler), with or without this extension installed.
  expect(
    errors.filter(stack => stack.includes('jupyterlab-mlflow-traces'))
  ).toEqual([]);
  await page.close();
});
