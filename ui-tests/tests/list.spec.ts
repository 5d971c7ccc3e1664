/**
 * A trace query's results in real JupyterLab: sort, filter, errors only,
 * open a row (fetched from the real server), and compare two traces.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { liveServer, notebook, uploadNotebook } from '../notebooks';
import { spanRows } from '../trace-dom';
import { postJson } from '../../test/integration/post-json';

const LIST_MIME = 'application/vnd.mlflow.trace-list+json';
const { url, expected } = liveServer();

/** A list bundle from the server's own search answer (one page of `maxResults`). */
async function listBundle(maxResults = 100): Promise<Record<string, unknown>> {
  const body = {
    locations: [
      {
        type: 'MLFLOW_EXPERIMENT',
        mlflow_experiment: { experiment_id: expected.experiment_id }
      }
    ],
    max_results: maxResults,
    order_by: ['timestamp_ms DESC']
  };
  const response = await postJson(`${url}/api/3.0/mlflow/traces/search`, body);
  const page = await response.json();
  return {
    version: 1,
    tracking_uri: url,
    query: {
      experiment_ids: [expected.experiment_id],
      order_by: body.order_by,
      max_results: maxResults
    },
    traces: page.traces,
    ...(page.next_page_token ? { next_page_token: page.next_page_token } : {})
  };
}

/** A notebook whose one output is the list bundle. */
function listNotebook(bundle: Record<string, unknown>) {
  return notebook([
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
  const nb = listNotebook(bundle);
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
  // The tree holds every span (the DOM only the rows in view, virtualized)
  const spanCount = expected.traces.nested.span_count;
  await expect(list.locator('.jp-MlflowTrace-header')).toContainText(
    `${spanCount} spans`
  );
  await expect(list.getByRole('tree')).toHaveCSS(
    'height',
    `${spanCount * 24}px`
  );
  await expect(spanRows(list).first()).toBeVisible();

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

test('server faults: Load more and opening a row say why they failed, the rows stay, Retry works', async ({
  page,
  request,
  tmpPath
}) => {
  const bundle = await listBundle(2);
  expect(bundle.next_page_token).toBeTruthy();
  const nbPath = `${tmpPath}/list-faults.ipynb`;
  await uploadNotebook(request, nbPath, listNotebook(bundle), {
    trusted: false
  });
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate('list-faults.ipynb');
  const list = page.locator('.jp-MlflowTraceList');
  const bodyRows = list
    .getByRole('table', { name: 'Traces' })
    .locator('[role=row][data-trace-id]');
  await expect(bodyRows).toHaveCount(2);
  const firstId = await bodyRows.first().getAttribute('data-trace-id');

  // The server fails every request: Load more says so and keeps the two rows.
  await page.route(`${url}/**`, route =>
    route.fulfill({
      status: 500,
      contentType: 'application/json',
      body: '{"error_code": "INTERNAL_ERROR", "message": "injected 500"}'
    })
  );
  const loadMore = list.getByRole('button', { name: 'Load more' });
  await loadMore.click();
  await expect(list.getByRole('alert')).toHaveText(/HTTP 500.*injected 500/);
  await expect(bodyRows).toHaveCount(2);

  // Opening a row fails the same way, and the table is still whole.
  await bodyRows.first().click();
  await expect(list.getByRole('alert')).toHaveText(
    new RegExp(`HTTP 500.*injected 500`)
  );
  await expect(bodyRows).toHaveCount(2);
  await expect(bodyRows.first()).toHaveAttribute('data-trace-id', firstId!);

  // Back up: the same button loads the next page, and the row opens.
  await page.unroute(`${url}/**`);
  await loadMore.click();
  await expect(bodyRows).toHaveCount(
    Math.min(4, Object.keys(expected.traces).length)
  );
  await bodyRows.first().click();
  await expect(spanRows(list).first()).toBeVisible();
  await expect(list.getByRole('alert')).toHaveCount(0);
});
