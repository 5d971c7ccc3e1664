/**
 * Cost in real JupyterLab: traces written with cost by MLflow's Python SDK
 * (test/fixtures/write_cost_traces.py) to the live server, the server pricing
 * them; the trace list shows their cost and sorts by it, and a trace shows
 * its cost and model in the header and on its LLM rows.
 */
import { execFileSync } from 'child_process';
import path from 'path';
import { expect, galata, test } from '@jupyterlab/galata';
import {
  codeCell,
  embeddedBundleFromServer,
  liveServer,
  notebook,
  traceOutput,
  uploadNotebook
} from '../notebooks';
import { spanRow, traceWidget } from '../trace-dom';
import { postJson } from '../../test/integration/post-json';

const LIST_MIME = 'application/vnd.mlflow.trace-list+json';
const ROOT = path.resolve(__dirname, '..', '..');
const { url } = liveServer();

interface IWritten {
  experiment_id: string;
  traces: Record<
    'priced' | 'explicit' | 'free' | 'hostile',
    { trace_id: string; cost: { total_cost: number } | null }
  >;
}

/** The cost traces, written once per worker by MLflow's Python SDK. */
let written: IWritten | undefined;
function writeCostTraces(): IWritten {
  written ??= JSON.parse(
    execFileSync(
      path.join(ROOT, '.venv', 'bin', 'python'),
      [
        path.join(ROOT, 'test', 'fixtures', 'write_cost_traces.py'),
        `ui-cost-${Date.now()}-${process.pid}`
      ],
      { encoding: 'utf8', env: { ...process.env, MLFLOW_TRACKING_URI: url } }
    )
      .trim()
      .split('\n')
      .pop() as string
  ) as IWritten;
  return written;
}

async function listBundle(experimentId: string) {
  const response = await postJson(`${url}/api/3.0/mlflow/traces/search`, {
    locations: [
      {
        type: 'MLFLOW_EXPERIMENT',
        mlflow_experiment: { experiment_id: experimentId }
      }
    ],
    order_by: ['timestamp_ms DESC']
  });
  const page = await response.json();
  return {
    version: 1,
    tracking_uri: url,
    query: { experiment_ids: [experimentId], order_by: ['timestamp_ms DESC'] },
    traces: page.traces
  };
}

test.use({
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    'jupyterlab-mlflow-traces:plugin': { trackingUri: url }
  }
});

test.setTimeout(180_000);

test('the trace list shows each trace cost and sorts by it, missing last', async ({
  page,
  request,
  tmpPath
}) => {
  const t = writeCostTraces().traces;
  const bundle = await listBundle(written!.experiment_id);
  const nb = notebook([
    codeCell('show(results)', [
      {
        output_type: 'display_data',
        metadata: {},
        data: { [LIST_MIME]: bundle, 'text/plain': 'traces' }
      }
    ])
  ]);
  const nbPath = `${tmpPath}/cost-list.ipynb`;
  await uploadNotebook(request, nbPath, nb, { trusted: false });
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate('cost-list.ipynb');

  const table = page
    .locator('.jp-MlflowTraceList')
    .getByRole('table', { name: 'Traces' });
  const rows = table.locator('[role=row][data-trace-id]');
  await expect(rows).toHaveCount(4);
  await expect(
    table.locator(
      `[data-trace-id="${t.explicit.trace_id}"] .jp-MlflowTraceList-col-cost`
    )
  ).toHaveText('$1.25');
  await expect(
    table.locator(
      `[data-trace-id="${t.priced.trace_id}"] .jp-MlflowTraceList-col-cost`
    )
  ).toHaveText('$0.000810');

  const cost = table.getByRole('columnheader', { name: /Cost/ });
  await cost.getByRole('button').click();
  await expect(cost).toHaveAttribute('aria-sort', 'ascending');
  const order = async () =>
    rows.evaluateAll(elements =>
      elements.map(element => element.getAttribute('data-trace-id'))
    );
  await expect
    .poll(order)
    .toEqual([
      t.priced.trace_id,
      t.hostile.trace_id,
      t.explicit.trace_id,
      t.free.trace_id
    ]);
  await cost.getByRole('button').click();
  await expect(cost).toHaveAttribute('aria-sort', 'descending');
  await expect
    .poll(order)
    .toEqual([
      t.explicit.trace_id,
      t.hostile.trace_id,
      t.priced.trace_id,
      t.free.trace_id
    ]);
  // Hostile session and user are text: no element was made of them
  await expect(table.locator('img')).toHaveCount(0);
  await expect(
    table.locator(
      `[data-trace-id="${t.hostile.trace_id}"] .jp-MlflowTraceList-col-session`
    )
  ).toHaveText('<img src=x onerror=alert(1)>');
});

test('a trace shows its cost and model in the header and on its LLM rows', async ({
  page,
  request,
  tmpPath
}) => {
  const t = writeCostTraces().traces;
  const bundle = await embeddedBundleFromServer(url, t.priced.trace_id);
  const nb = notebook([codeCell('trace', [traceOutput(bundle)])]);
  const nbPath = `${tmpPath}/cost-trace.ipynb`;
  await uploadNotebook(request, nbPath, nb, { trusted: false });
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate('cost-trace.ipynb');

  const widget = traceWidget(page);
  await expect(widget.locator('.jp-MlflowTrace-cost')).toHaveText('$0.000810');
  await expect(widget.locator('.jp-MlflowTrace-models')).toHaveText(
    'gpt-4o-mini'
  );
  await expect(
    spanRow(widget, 'plan').locator('.jp-MlflowTrace-spanLlm')
  ).toHaveText('gpt-4o-mini · $0.000450');
  await expect(
    spanRow(widget, 'priced_agent').locator('.jp-MlflowTrace-spanLlm')
  ).toHaveCount(0);
});
