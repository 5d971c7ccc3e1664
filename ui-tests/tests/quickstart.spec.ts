/**
 * The executed quickstart (examples/quickstart.ipynb run on a real tslab
 * kernel against a real MLflow server, by global-setup.js) opened in
 * JupyterLab: every traced cell shows its trace tree.
 */
import fs from 'fs';
import path from 'path';
import { expect, test } from '@jupyterlab/galata';
import { INotebook, TRACE_MIME, uploadNotebook } from '../notebooks';
import { spanRows, WIDGET } from '../trace-dom';

function executedQuickstart(): INotebook {
  const state = JSON.parse(
    fs.readFileSync(
      path.join(__dirname, '..', '.cache', 'ui-state.json'),
      'utf8'
    )
  );
  return JSON.parse(fs.readFileSync(state.quickstartPath, 'utf8'));
}

test('the executed quickstart renders a trace tree under each traced cell', async ({
  page,
  request,
  tmpPath
}) => {
  const nb = executedQuickstart();
  const traceOutputs = nb.cells.flatMap(cell =>
    ((cell as any).outputs ?? []).filter((o: any) => o.data?.[TRACE_MIME])
  );
  expect(traceOutputs.length).toBeGreaterThanOrEqual(4);
  for (const output of traceOutputs) {
    expect(Object.keys(output.data).sort()).toEqual(
      [TRACE_MIME, 'text/html', 'text/plain'].sort()
    );
  }
  const nbPath = `${tmpPath}/quickstart.ipynb`;
  await uploadNotebook(request, nbPath, nb, { trusted: false });
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate('quickstart.ipynb');

  const widgets = page.locator(`.jp-Notebook ${WIDGET}`);
  await expect(widgets).toHaveCount(traceOutputs.length, { timeout: 30000 });
  for (let i = 0; i < traceOutputs.length; i++) {
    const widget = widgets.nth(i);
    await widget.scrollIntoViewIfNeeded();
    await expect(spanRows(widget).first()).toBeVisible();
    const embedded = traceOutputs[i].data[TRACE_MIME].traces[0];
    await expect(widget.locator('.jp-MlflowTrace-header')).toContainText(
      embedded.trace_id
    );
  }
  // The fallbacks stay unused while the renderer is installed.
  await expect(
    page.locator('.jp-Notebook .jp-MlflowTraceFallback')
  ).toHaveCount(0);
});
