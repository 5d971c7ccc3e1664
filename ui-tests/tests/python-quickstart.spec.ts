/**
 * The Python quickstart (examples/python-quickstart.ipynb) executed on a real
 * ipykernel with the IPython extension, against its own real `mlflow server`:
 * opened in JupyterLab every traced cell shows its trace tree, and once that
 * server is stopped, the reopened notebook still shows them (the traces are
 * embedded).
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { INotebook, TRACE_MIME, uploadNotebook } from '../notebooks';
import { spanRows, WIDGET } from '../trace-dom';

const LIST = '.jp-MlflowTraceList';

/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS helpers shared with the Node scripts */
const {
  startMlflowServer,
  stopProcessGroup
} = require('../../scripts/lib/mlflow-server.cjs');
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Runs the Python quickstart against `trackingUri`; returns the executed notebook. */
function executePythonQuickstart(trackingUri: string, dir: string): INotebook {
  const out = path.join(dir, 'python-quickstart.executed.ipynb');
  execFileSync(
    PYTHON,
    [
      path.join(ROOT, 'test', 'fixtures', 'run_notebook.py'),
      path.join(ROOT, 'examples', 'python-quickstart.ipynb'),
      out
    ],
    {
      env: venvEnv({ MLFLOW_TRACKING_URI: trackingUri }),
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 240000
    }
  );
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

function traceOutputsOf(nb: INotebook): any[] {
  return nb.cells.flatMap(cell =>
    ((cell as any).outputs ?? []).filter((o: any) => o.data?.[TRACE_MIME])
  );
}

async function expectEveryTree(page: Page, outputs: any[]): Promise<void> {
  const widgets = page.locator(`.jp-Notebook ${WIDGET}:not(${LIST})`);
  await expect(widgets).toHaveCount(outputs.length, { timeout: 30000 });
  for (let i = 0; i < outputs.length; i++) {
    const widget = widgets.nth(i);
    await widget.scrollIntoViewIfNeeded();
    await expect(spanRows(widget).first()).toBeVisible();
    const embedded = outputs[i].data[TRACE_MIME].traces[0];
    await expect(widget.locator('.jp-MlflowTrace-header')).toContainText(
      embedded.trace_id
    );
    await expect(widget.locator('[role=alert]')).toHaveCount(0);
  }
  await expect(
    page.locator('.jp-Notebook .jp-MlflowTraceFallback')
  ).toHaveCount(0);
  // trace_list(): the two `answer` traces as rows of the trace-list table.
  const rows = page
    .locator(`.jp-Notebook ${LIST}`)
    .getByRole('table', { name: 'Traces' })
    .locator('[role=row][data-trace-id]');
  await expect(rows).toHaveCount(2);
}

test('the executed Python quickstart shows its trees, and still does with its server stopped', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(300000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-traces-pyqs-'));
  const server = await startMlflowServer({ dir });
  let nb: INotebook;
  try {
    nb = executePythonQuickstart(server.url, dir);
  } catch (error) {
    stopProcessGroup(server.pid);
    throw error;
  }
  const outputs = traceOutputsOf(nb);
  expect(outputs.length).toBe(5);
  for (const output of outputs) {
    expect(Object.keys(output.data).sort()).toEqual(
      [TRACE_MIME, 'text/html', 'text/plain'].sort()
    );
  }
  const nbPath = `${tmpPath}/python-quickstart.ipynb`;
  await uploadNotebook(request, nbPath, nb, { trusted: false });
  try {
    await page.notebook.openByPath(nbPath);
    await page.notebook.activate('python-quickstart.ipynb');
    await expectEveryTree(page, outputs);
  } finally {
    stopProcessGroup(server.pid);
  }
  // Reopened with its server gone: new widgets render from the notebook alone.
  await page.notebook.close(true);
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate('python-quickstart.ipynb');
  await expectEveryTree(page, outputs);
});
