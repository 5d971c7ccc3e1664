/**
 * A session in real JupyterLab: the traces of one session, written out of
 * order by MLflow's Python SDK (test/fixtures/write_session_traces.py) on the
 * live tracking server and searched there as show({ sessionId }) searches,
 * render as a conversation with the turns in request-time order; a turn
 * opens its trace, fetched from the server. The same traces in a plain list
 * group under their session.
 */
import { execFileSync } from 'child_process';
import path from 'path';
import { expect, galata, test } from '@jupyterlab/galata';
import {
  codeCell,
  liveServer,
  notebook,
  TRACE_LIST_MIME,
  uploadNotebook
} from '../notebooks';
import { postJson } from '../../test/integration/post-json';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, venvEnv } = require('../../scripts/lib/paths.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const { url } = liveServer();

interface IWritten {
  experiment_id: string;
  sessions: Record<string, string[]>;
  no_session: string[];
}

/** Writes the session fixture into a fresh experiment of the live server. */
function writeSessions(): IWritten {
  const out = execFileSync(
    PYTHON,
    [
      path.join(ROOT, 'test', 'fixtures', 'write_session_traces.py'),
      url,
      `ui-sessions-${Date.now()}-${process.pid}`
    ],
    { encoding: 'utf8', env: venvEnv({ MLFLOW_TRACKING_URI: url }) }
  );
  return JSON.parse(out.trim().split('\n').pop() as string);
}

/** A trace-list bundle from the server's own search answer. */
async function searchBundle(
  experimentId: string,
  query: { filter?: string; order_by: string[]; session_id?: string }
): Promise<Record<string, unknown>> {
  const response = await postJson(`${url}/api/3.0/mlflow/traces/search`, {
    locations: [
      {
        type: 'MLFLOW_EXPERIMENT',
        mlflow_experiment: { experiment_id: experimentId }
      }
    ],
    filter: query.filter,
    order_by: query.order_by,
    max_results: 100
  });
  const page = await response.json();
  return {
    version: 1,
    tracking_uri: url,
    query: { experiment_ids: [experimentId], max_results: 100, ...query },
    traces: page.traces
  };
}

test.use({
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    'jupyterlab-mlflow-traces:plugin': { trackingUri: url }
  }
});

test('a session renders its turns in order, and a turn opens its trace', async ({
  page,
  request,
  tmpPath
}) => {
  const written = writeSessions();
  const alpha = written.sessions['sess-alpha'];
  const session = await searchBundle(written.experiment_id, {
    filter: "metadata.`mlflow.trace.session` = 'sess-alpha'",
    order_by: ['timestamp_ms ASC'],
    session_id: 'sess-alpha'
  });
  // Reversed in the bundle: the renderer orders by request time itself.
  (session.traces as unknown[]).reverse();
  const nbPath = `${tmpPath}/session.ipynb`;
  const output = (data: Record<string, unknown>) => ({
    output_type: 'display_data' as const,
    metadata: {},
    data: { [TRACE_LIST_MIME]: data, 'text/plain': 'session' }
  });
  await uploadNotebook(
    request,
    nbPath,
    notebook([
      codeCell("show({ sessionId: 'sess-alpha' })", [output(session)])
    ]),
    { trusted: false }
  );
  await page.notebook.openByPath(nbPath);

  const list = page.locator('.jp-MlflowTraceList');
  await expect(
    list.getByText('Session "sess-alpha": 4 turns by ada')
  ).toBeVisible();
  const turns = list.getByRole('listitem');
  await expect(turns).toHaveCount(4);
  const ids = await turns.evaluateAll(nodes =>
    nodes.map(node => (node as HTMLElement).dataset.traceId)
  );
  expect(ids).toEqual(alpha);
  await expect(turns.nth(0)).toContainText('What is the weather in Paris?');
  await expect(turns.nth(0)).toContainText('Sunny, 70 °F.');
  await expect(turns.nth(1)).toContainText('helpful: true');
  await expect(turns.nth(3)).toContainText('<img src=x onerror="alert(1)">');
  await expect(list.locator('img')).toHaveCount(0);
  // The turns do not overlap: each is measured and placed below the last.
  const tops = await turns.evaluateAll(nodes =>
    nodes.map(node => node.getBoundingClientRect().top)
  );
  const bottoms = await turns.evaluateAll(nodes =>
    nodes.map(node => node.getBoundingClientRect().bottom)
  );
  for (let i = 1; i < tops.length; i++) {
    expect(tops[i]).toBeGreaterThanOrEqual(bottoms[i - 1] - 1);
  }

  // Enter on a turn's button opens its trace, fetched from the server.
  await turns.nth(2).getByRole('button', { name: 'Turn 3' }).press('Enter');
  await expect(list.locator('.jp-MlflowTrace-header')).toContainText('chat');
  await expect(list.locator('.jp-MlflowTrace-header')).toContainText(alpha[2]);
  await expect(turns.nth(2)).toHaveClass(/jp-mod-selected/);
});

test('the trace list groups its loaded rows under their session', async ({
  page,
  request,
  tmpPath
}) => {
  const written = writeSessions();
  const all = await searchBundle(written.experiment_id, {
    order_by: ['timestamp_ms DESC']
  });
  const nbPath = `${tmpPath}/sessions-list.ipynb`;
  await uploadNotebook(
    request,
    nbPath,
    notebook([
      codeCell('show(await searchTraces())', [
        {
          output_type: 'display_data',
          metadata: {},
          data: { [TRACE_LIST_MIME]: all, 'text/plain': 'traces' }
        }
      ])
    ]),
    { trusted: false }
  );
  await page.notebook.openByPath(nbPath);
  const table = page.getByRole('table', { name: 'Traces' });
  await expect(table.locator('[role=row][data-trace-id]')).toHaveCount(10);
  await page.getByLabel('Group by session').check();
  const headings = table.locator('.jp-MlflowTraceList-sessionText');
  // sess-beta's last turn (minute 9) is the latest, then sess-alpha (7), then o'hara's (6)
  await expect(headings).toHaveText([
    'Session "sess-beta" · 3 traces · bob',
    'Session "sess-alpha" · 4 traces · ada',
    `Session "o'hara's chat" · 2 traces · cy`,
    'No session · 1 trace'
  ]);
  const rows = await table
    .locator('[role=row]:not(.jp-MlflowTraceList-head)')
    .evaluateAll(nodes =>
      nodes.map(node =>
        node.classList.contains('jp-MlflowTraceList-session')
          ? 'heading'
          : (node as HTMLElement).dataset.traceId
      )
    );
  expect(rows.slice(0, 4)).toEqual([
    'heading',
    ...[...written.sessions['sess-beta']].reverse()
  ]);

  // A heading's "Conversation" shows that session's loaded rows as turns, in order.
  await table
    .locator('.jp-MlflowTraceList-session')
    .nth(1)
    .getByRole('button', { name: 'Conversation' })
    .click();
  const turns = page.locator('.jp-MlflowTraceList-detail [role=listitem]');
  await expect(turns).toHaveCount(4);
  const ids = await turns.evaluateAll(nodes =>
    nodes.map(node => (node as HTMLElement).dataset.traceId)
  );
  expect(ids).toEqual(written.sessions['sess-alpha']);
});
