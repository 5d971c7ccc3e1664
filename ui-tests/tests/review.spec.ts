/**
 * Review mode over a trace list in real JupyterLab, writing to the real
 * tracking server: five traces labelled by keyboard (j/k/u/d/r) with the
 * progress advancing, the notebook saved and reloaded with the labels in
 * its payload, the labels read back with MLflow's Python SDK (HUMAN, the
 * Jupyter user) and seen in MLflow's own UI; a tracking server stopped
 * mid-review leaves unsaved marks that Retry saves once it is back; a
 * review from an MLflow review queue marks its items complete.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import {
  liveServer,
  notebook,
  TRACE_LIST_MIME,
  uploadNotebook
} from '../notebooks';
import { postJson } from '../../test/integration/post-json';
import { spanRows } from '../trace-dom';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, venvEnv } = require('../../scripts/lib/paths.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mlflowServer = require('../../scripts/lib/mlflow-server.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const DOCS = path.join(ROOT, 'docs');
const SHOTS = process.env.UPDATE_DOCS_SHOTS === '1';
const STATE = path.join(__dirname, '..', '.cache', 'ui-state.json');
const { url } = liveServer();

/** Five traces in a new experiment, written by MLflow's Python SDK. */
const MAKE_PY = `
import json, sys, warnings
warnings.filterwarnings("ignore")
import mlflow
url, experiment, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
mlflow.set_tracking_uri(url)
exp = mlflow.set_experiment(experiment)

@mlflow.trace(name="review_turn")
def answer(q):
    return "answer to " + q

ids = []
for i in range(count):
    answer("question %d" % i)
    ids.append(mlflow.get_last_active_trace_id())
print(json.dumps({"experiment_id": exp.experiment_id, "trace_ids": ids}))
`;

/** Each trace's assessments as MLflow's Python SDK reads them. */
const READ_PY = `
import json, sys, warnings
warnings.filterwarnings("ignore")
import mlflow
mlflow.set_tracking_uri(sys.argv[1])
print(json.dumps({tid: [{
    "name": a.name, "value": a.value, "rationale": a.rationale,
    "source_type": a.source.source_type, "source_id": a.source.source_id,
    "valid": a.valid,
} for a in mlflow.get_trace(tid).info.assessments] for tid in sys.argv[2:]}))
`;

/** A custom review queue over some traces (MLflow's Python API). */
const QUEUE_PY = `
import json, sys, warnings
warnings.filterwarnings("ignore")
import mlflow
from mlflow.genai import review_queues as rq
url, experiment_id, name, user = sys.argv[1:5]
mlflow.set_tracking_uri(url)
queue = rq.create_review_queue(name, queue_type="custom", users=[user], experiment_id=experiment_id)
rq.add_items_to_review_queue(queue.queue_id, item_ids=sys.argv[5:])
print(json.dumps({"queue_id": queue.queue_id}))
`;

/** A queue's items as MLflow's Python API lists them. */
const QUEUE_ITEMS_PY = `
import json, sys, warnings
warnings.filterwarnings("ignore")
import mlflow
from mlflow.genai import review_queues as rq
mlflow.set_tracking_uri(sys.argv[1])
print(json.dumps([{"item_id": i.item_id, "status": str(i.status), "completed_by": i.completed_by}
                  for i in rq.list_review_queue_items(sys.argv[2])]))
`;

/** Runs `code` with MLflow's Python SDK in a temporary directory (nothing lands in the checkout). */
function python(code: string, args: string[], trackingUri = url): any {
  const out = execFileSync(PYTHON, ['-c', code, ...args], {
    encoding: 'utf8',
    cwd: os.tmpdir(),
    env: venvEnv({
      MLFLOW_TRACKING_URI: trackingUri,
      MLFLOW_ENABLE_ASYNC_TRACE_LOGGING: 'false'
    })
  });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

interface IAssessmentRead {
  name: string;
  value: unknown;
  rationale: string | null;
  source_type: string;
  source_id: string;
  valid: boolean;
}

/** Five fresh traces, and the list bundle of their search (the server's answer as it is). */
async function reviewList(
  server: string,
  label: string
): Promise<{ experimentId: string; traceIds: string[]; bundle: object }> {
  const made = python(
    MAKE_PY,
    [server, `ui-review-${label}-${Date.now()}-${process.pid}`, '5'],
    server
  );
  const body = {
    locations: [
      {
        type: 'MLFLOW_EXPERIMENT',
        mlflow_experiment: { experiment_id: made.experiment_id }
      }
    ],
    max_results: 100,
    order_by: ['timestamp_ms ASC']
  };
  const response = await postJson(
    `${server}/api/3.0/mlflow/traces/search`,
    body
  );
  const page = await response.json();
  expect(page.traces.map((t: { trace_id: string }) => t.trace_id)).toEqual(
    made.trace_ids
  );
  return {
    experimentId: made.experiment_id,
    traceIds: made.trace_ids,
    bundle: {
      version: 1,
      tracking_uri: server,
      query: {
        experiment_ids: [made.experiment_id],
        order_by: body.order_by,
        max_results: 100
      },
      traces: page.traces
    }
  };
}

/** A notebook whose one output is the list bundle, with the fallbacks a kernel would add. */
function listNotebook(bundle: object) {
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
          data: { [TRACE_LIST_MIME]: bundle, 'text/plain': 'traces' }
        }
      ]
    }
  ]);
}

async function openList(
  page: IJupyterLabPageFixture,
  nbPath: string
): Promise<Locator> {
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate(path.basename(nbPath));
  const list = page.locator('.jp-MlflowTraceList');
  await expect(list.locator('[role=row][data-trace-id]')).toHaveCount(5);
  return list;
}

/** The review bar's parts. */
function bar(list: Locator) {
  const root = list.locator('.jp-MlflowTrace-reviewBar');
  return {
    root,
    progress: root.locator('.jp-MlflowTrace-reviewProgress'),
    position: root.locator('.jp-MlflowTrace-reviewPosition'),
    up: root.getByRole('button', { name: 'Thumbs up' }),
    down: root.getByRole('button', { name: 'Thumbs down' }),
    rationale: root.getByLabel('Rationale'),
    pending: root.getByRole('list', { name: 'Labels not saved yet' })
  };
}

/**
 * The Jupyter user as the server extension knows the page's requests (its
 * config route): the source it records. (galata answers /api/me itself with
 * a made-up identity, so that is not asked.)
 */
async function jupyterUser(page: IJupyterLabPageFixture): Promise<string> {
  return page.evaluate(async () => {
    const response = await fetch('/mlflow-traces/config');
    return (await response.json()).user as string;
  });
}

/** Waits until the trace `traceId` is the one under the review bar. */
async function atTrace(list: Locator, traceId: string): Promise<void> {
  await expect(bar(list).position).toContainText(traceId);
  await expect(list.locator('.jp-MlflowTrace-header')).toContainText(traceId);
  // The opened trace's tree shows its rows (the review area gives it a height).
  await expect(spanRows(list).first()).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test('review five traces by keyboard: saved, reloaded, read back by the SDK and shown by MLflow’s UI', async ({
  page,
  request,
  tmpPath,
  browser
}) => {
  test.setTimeout(300_000);
  if (SHOTS) {
    await page.setViewportSize({ width: 1600, height: 1000 });
  }
  const { experimentId, traceIds, bundle } = await reviewList(url, 'keys');
  const nbPath = `${tmpPath}/review.ipynb`;
  await uploadNotebook(request, nbPath, listNotebook(bundle), {
    trusted: true
  });
  const list = await openList(page, nbPath);
  const user = await jupyterUser(page);
  await list.getByRole('button', { name: 'Review', exact: true }).click();
  const b = bar(list);
  await expect(b.progress).toHaveText('0 of 5 reviewed');
  await atTrace(list, traceIds[0]);

  // u, j, d, j, u + r rationale Enter, j, d, j, u: five labels, one with a rationale.
  await page.keyboard.press('u');
  await expect(b.progress).toHaveText('1 of 5 reviewed');
  await expect(b.up).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('j');
  await atTrace(list, traceIds[1]);
  await page.keyboard.press('d');
  await expect(b.progress).toHaveText('2 of 5 reviewed');
  await expect(b.down).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('j');
  await atTrace(list, traceIds[2]);
  await page.keyboard.press('u');
  await expect(b.progress).toHaveText('3 of 5 reviewed');
  await page.keyboard.press('r');
  await expect(b.rationale).toBeFocused();
  // Typed into the box, j/k/u/d are text, not review keys.
  await page.keyboard.type('Cites the doc; judged by j/k/u/d.');
  await page.keyboard.press('Enter');
  await expect(b.pending).toHaveCount(0, { timeout: 20_000 });
  await expect(b.position).toContainText(traceIds[2]);
  await page.keyboard.press('Escape'); // leaves the box, not the review
  await page.keyboard.press('j');
  await atTrace(list, traceIds[3]);
  await page.keyboard.press('d');
  await expect(b.progress).toHaveText('4 of 5 reviewed');
  await page.keyboard.press('j');
  await atTrace(list, traceIds[4]);
  if (SHOTS) {
    await list.screenshot({ path: path.join(DOCS, 'review.png') });
  }
  await page.keyboard.press('u');
  await expect(b.progress).toHaveText('5 of 5 reviewed');
  // k goes back and shows the saved value and rationale.
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await atTrace(list, traceIds[2]);
  await expect(b.up).toHaveAttribute('aria-pressed', 'true');
  await expect(b.rationale).toHaveValue('Cites the doc; judged by j/k/u/d.');
  await expect(b.pending).toHaveCount(0);
  // The opened trace's assessments pane shows the label too (the writer is its actions).
  await expect(list.locator('.jp-MlflowTrace-explorer')).toContainText(
    'thumbs_up'
  );
  await page.keyboard.press('Escape');
  await expect(b.root).toHaveCount(0);

  // MLflow's Python SDK reads each label: HUMAN, the Jupyter user.
  const expected = [true, false, true, false, true];
  const read: Record<string, IAssessmentRead[]> = python(READ_PY, [
    url,
    ...traceIds
  ]);
  traceIds.forEach((id, i) => {
    expect(read[id]).toEqual([
      {
        name: 'thumbs_up',
        value: expected[i],
        rationale: i === 2 ? 'Cites the doc; judged by j/k/u/d.' : null,
        source_type: 'HUMAN',
        source_id: user,
        valid: true
      }
    ]);
  });

  // Saved and reloaded: the payload holds the labels, the review counts them.
  await page.notebook.save();
  const saved = await request.get(
    `/api/contents/${nbPath.split('/').map(encodeURIComponent).join('/')}`
  );
  const output = (await saved.json()).content.cells[0].outputs[0];
  const infos = output.data[TRACE_LIST_MIME].traces;
  expect(
    infos.map((info: { assessments?: { feedback?: { value: unknown } }[] }) =>
      info.assessments?.map(a => a.feedback?.value)
    )
  ).toEqual(expected.map(value => [value]));
  expect(output.data['text/html']).toBeTruthy();
  // JupyterLab reopens the notebook it had open (no Launcher for galata to wait for).
  await page.reload({ waitForIsReady: false });
  const again = page.locator('.jp-MlflowTraceList');
  await expect(again.locator('[role=row][data-trace-id]')).toHaveCount(5);
  await again.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(bar(again).progress).toHaveText('5 of 5 reviewed');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await atTrace(again, traceIds[2]);
  await expect(bar(again).rationale).toHaveValue(
    'Cites the doc; judged by j/k/u/d.'
  );

  // MLflow's own UI, served by the tracking server, shows the same label:
  // its trace drawer's assessments pane, the feedback expanded to its rationale.
  const context = await browser.newContext();
  const ui = await context.newPage();
  await ui.goto(
    `${url}/#/experiments/${experimentId}/traces?selectedEvaluationId=${traceIds[2]}`
  );
  await ui
    .locator('button[aria-label^="Assess trace"]')
    .first()
    .click({ timeout: 60_000 });
  await expect(ui.getByText('Feedback (1)')).toBeVisible();
  await expect(ui.getByText('thumbs_up', { exact: true }).last()).toBeVisible();
  await ui
    .locator(
      '[data-component-id="shared.model-trace-explorer.toggle-assessment-expanded"]'
    )
    .first()
    .click();
  await expect(
    ui.getByText('Cites the doc; judged by j/k/u/d.').first()
  ).toBeVisible();
  await context.close();
});

/** A free port, chosen now (synchronously: the settings below need it at load). */
function pickPort(): number {
  const script = `const s = require('net').createServer();
    s.listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });`;
  return Number(
    execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })
  );
}

test.describe('a tracking server stopped mid-review', () => {
  // A second `mlflow server` over the same backend store, so it can be
  // stopped and started again; the browser calls it directly.
  const port = pickPort();
  const second = `http://127.0.0.1:${port}`;
  const state = JSON.parse(fs.readFileSync(STATE, 'utf8'));
  const backendStoreUri = `sqlite:///${path.join(state.dir, 'mlflow.db')}`;
  let dir: string;
  let server: { pid: number } | undefined;

  const start = async () => {
    server = await mlflowServer.startMlflowServer({
      dir,
      port,
      backendStoreUri
    });
  };
  const stop = async () => {
    mlflowServer.stopProcessGroup(server!.pid);
    server = undefined;
    // Down for good: the port answers nothing.
    await expect
      .poll(
        () =>
          fetch(`${second}/health`).then(
            () => 'up',
            () => 'down'
          ),
        { timeout: 20_000 }
      )
      .toBe('down');
  };

  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-mlflow-traces:plugin': { trackingUri: second }
    }
  });

  test.beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-review-second-'));
    await start();
  });

  test.afterAll(() => {
    if (server) {
      mlflowServer.stopProcessGroup(server.pid);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('leaves unsaved marks; Retry saves them once it is back', async ({
    page,
    request,
    tmpPath
  }) => {
    test.setTimeout(300_000);
    const { traceIds, bundle } = await reviewList(second, 'stopped');
    const nbPath = `${tmpPath}/review-stopped.ipynb`;
    await uploadNotebook(request, nbPath, listNotebook(bundle), {
      trusted: true
    });
    const list = await openList(page, nbPath);
    const user = await jupyterUser(page);
    await list.getByRole('button', { name: 'Review', exact: true }).click();
    const b = bar(list);
    await atTrace(list, traceIds[0]);
    await page.keyboard.press('u');
    await expect(b.progress).toHaveText('1 of 5 reviewed');

    await stop();
    await page.keyboard.press('j');
    await expect(b.position).toContainText(traceIds[1]);
    await page.keyboard.press('d');
    await page.keyboard.press('j');
    await expect(b.position).toContainText(traceIds[2]);
    await page.keyboard.press('u');
    // Both marked unsaved with the error and Retry; the review went on.
    const unsaved = b.pending.locator('.jp-MlflowTrace-reviewUnsaved');
    await expect(unsaved).toHaveCount(2, { timeout: 60_000 });
    await expect(unsaved.nth(0)).toContainText('unsaved:');
    await expect(unsaved.nth(0)).toHaveAttribute('data-trace-id', traceIds[1]);
    await expect(unsaved.nth(1)).toHaveAttribute('data-trace-id', traceIds[2]);
    await expect(b.progress).toHaveText('1 of 5 reviewed');

    await start();
    await unsaved.nth(0).getByRole('button', { name: 'Retry' }).click();
    await expect(b.progress).toHaveText('2 of 5 reviewed', { timeout: 30_000 });
    await unsaved.getByRole('button', { name: 'Retry' }).click();
    await expect(b.progress).toHaveText('3 of 5 reviewed', { timeout: 30_000 });
    await expect(b.pending).toHaveCount(0);

    const read: Record<string, IAssessmentRead[]> = python(
      READ_PY,
      [second, ...traceIds],
      second
    );
    const values = traceIds.map(id => read[id].map(a => a.value));
    expect(values).toEqual([[true], [false], [true], [], []]);
    for (const id of traceIds.slice(0, 3)) {
      expect(read[id][0]).toMatchObject({
        name: 'thumbs_up',
        source_type: 'HUMAN',
        source_id: user
      });
    }
  });
});

test('review from an MLflow review queue: its pending items, each marked complete once labelled', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(240_000);
  const { experimentId, traceIds, bundle } = await reviewList(url, 'queue');
  const nbPath = `${tmpPath}/review-queue.ipynb`;
  await uploadNotebook(request, nbPath, listNotebook(bundle), {
    trusted: true
  });
  const user = await jupyterUser(page);
  const queueName = `triage-${Date.now()}`;
  const queued = [traceIds[3], traceIds[1], traceIds[4]];
  const { queue_id } = python(QUEUE_PY, [
    url,
    experimentId,
    queueName,
    user,
    ...queued
  ]);
  // The review walks the queue in MLflow's order (items added together: by id).
  const order: string[] = python(QUEUE_ITEMS_PY, [url, queue_id]).map(
    (i: { item_id: string }) => i.item_id
  );
  expect([...order].sort()).toEqual([...queued].sort());
  const list = await openList(page, nbPath);
  // The queues are asked for only on "Review from queue…".
  await list.getByRole('button', { name: 'Review from queue…' }).click();
  await list.getByLabel('Review from queue').selectOption({ label: queueName });
  const b = bar(list);
  await expect(b.position).toContainText(`Queue ${queueName}`);
  await expect(b.progress).toHaveText('0 of 3 reviewed');
  await atTrace(list, order[0]);
  await page.keyboard.press('u');
  await expect(b.progress).toHaveText('1 of 3 reviewed');
  await page.keyboard.press('j');
  await atTrace(list, order[1]);
  await page.keyboard.press('d');
  await expect(b.progress).toHaveText('2 of 3 reviewed');
  await page.keyboard.press('j');
  await atTrace(list, order[2]);
  await page.keyboard.press('u');
  await expect(b.progress).toHaveText('3 of 3 reviewed');

  await expect
    .poll(
      () =>
        python(QUEUE_ITEMS_PY, [url, queue_id])
          .map((i: { status: string }) => i.status)
          .sort()
          .join(','),
      { timeout: 20_000 }
    )
    .toBe('complete,complete,complete');
  const items = python(QUEUE_ITEMS_PY, [url, queue_id]);
  expect(items.map((i: { item_id: string }) => i.item_id).sort()).toEqual(
    [...queued].sort()
  );
  for (const item of items) {
    expect(item.completed_by).toBe(user);
  }
});
