/**
 * A trace query's results in real JupyterLab: sort, filter, errors only,
 * open a row (fetched from the real server), and compare two traces.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { liveServer, notebook, uploadNotebook } from '../notebooks';
import { spanRows } from '../trace-dom';

const LIST_MIME = 'application/vnd.mlflow.trace-list+json';
const { url, expected } = liveServer();

/** A list bundle from the server's own search answer. */
async function listBundle(): Promise<Record<string, unknown>> {
  const body = {
    locations: [
      {
        type: 'MLFLOW_EXPERIMENT',
        mlflow_experiment: { experiment_id: expected.experiment_id }
      }
    ],
    max_results: 100,
    order_by: ['timestamp_ms DESC']
  };
  const response = await fetch(`${url}/api/3.0/mlflow/traces/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });
  const page = await response.json();
  return {
    version: 1,
    tracking_uri: url,
    query: {
      experiment_ids: [expected.experiment_id],
      order_by: body.order_by,
      max_results: 100
    },
    traces: page.traces
  };
}

test.use({
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    'jupyterlab-mlflow-traces:plugin': { trackingUri: url }
  }
});

test('sort, filter, errors only, open a row and compare two traces', async ({
  page,
  request,
  tmpPath
}) => {
  const bundle = await listBundle();
  const count = (bundle.traces as unknown[]).length;
  expect(count).toBe(Object.keys(expected.traces).length);
  const nb = notebook([
    {
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      source: 'show(results)',
      outputs: [
        {
          output_type: 'display_data',
          metadata: {},
          data: { [LIST_MIME]: bundle, 'text/plain': 'traces' }
        }
      ]
    }
  ]);
  const nbPath = `${tmpPath}/list.ipynb`;
  await uploadNotebook(request, nbPath, nb, { trusted: false });
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate('list.ipynb');

  const list = page.locator('.jp-MlflowTraceList');
  const table = list.getByRole('table', { name: 'Traces' });
  const bodyRows = table.locator('[role=row][data-trace-id]');
  await expect(bodyRows).toHaveCount(count);

  // Sort by duration, longest first: the 5,000-span trace leads.
  const duration = table.getByRole('columnheader', { name: /Duration/ });
  await duration.getByRole('button').click();
  await duration.getByRole('button').click();
  await expect(duration).toHaveAttribute('aria-sort', 'descending');
  await expect(bodyRows.first()).toHaveAttribute(
    'data-trace-id',
    expected.traces.big.trace_id
  );

  // Filter by text, then errors only.
  await list.getByLabel('Filter traces').fill('chat_turns');
  await expect(bodyRows).toHaveCount(1);
  await list.getByLabel('Filter traces').fill('');
  await list.getByLabel('Errors only').check();
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first()).toHaveAttribute(
    'data-trace-id',
    expected.traces.error.trace_id
  );
  await list.getByLabel('Errors only').uncheck();

  // Open a row: its span tree, fetched from the server, appears under the table.
  await table
    .locator(`[data-trace-id="${expected.traces.nested.trace_id}"]`)
    .click();
  await expect(spanRows(list)).toHaveCount(expected.traces.nested.span_count);

  // Compare two traces: aligned rows and a delta.
  await list
    .getByLabel(`Pick ${expected.traces.nested.trace_id} to compare`)
    .check();
  await list
    .getByLabel(`Pick ${expected.traces.chat.trace_id} to compare`)
    .check();
  await list.getByRole('button', { name: 'Compare 2/2' }).click();
  const aligned = list.getByRole('table', { name: 'Aligned spans' });
  await expect(aligned.locator('[role=row][data-key]').first()).toContainText(
    'rag_agent'
  );
  await expect(list.getByLabel('Total token delta')).toHaveText('tokens −21');
  await expect(
    aligned.locator('.jp-MlflowTraceCompare-delta').first()
  ).not.toHaveText('');
});
