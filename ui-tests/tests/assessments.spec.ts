/**
 * Labelling a trace from its output in real JupyterLab, through the server
 * extension to the real tracking server: feedback (boolean, with rationale),
 * an expectation on a span, an edit of one's own, an override of an
 * LLM judge's feedback logged by MLflow's Python SDK, a delete, a tag added
 * and one removed. Each is confirmed in the pane, then read back with
 * MLflow's Python SDK; the saved notebook holds the labels, and after a
 * reload they show from the saved payload. Hostile assessment names,
 * values, rationales, sources and tag values logged by the SDK render as
 * text.
 */
import { execFileSync } from 'child_process';
import os from 'os';
import path from 'path';
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import {
  embeddedBundleFromServer,
  liveServer,
  traceNotebook,
  TRACE_MIME,
  uploadNotebook
} from '../notebooks';
import { spanRow, spanRows, traceWidget } from '../trace-dom';
import { PAYLOADS, watchPage, xssMarker } from './xss-helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, venvEnv } = require('../../scripts/lib/paths.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const DOCS = path.join(ROOT, 'docs');
const SHOTS = process.env.UPDATE_DOCS_SHOTS === '1';
const { url } = liveServer();

/** Traces written by MLflow's Python SDK: an answer with a judge's feedback, and one labelled with the XSS corpus. */
const SETUP_PY = `
import json, sys, warnings
warnings.filterwarnings("ignore")
import mlflow
from mlflow.entities import AssessmentSource

url, experiment, payload_file = sys.argv[1:4]
mlflow.set_tracking_uri(url)
exp = mlflow.set_experiment(experiment)

@mlflow.trace(name="retrieve", span_type="RETRIEVER")
def retrieve(q):
    return "docs for " + q

@mlflow.trace(name="answer")
def answer(q):
    return retrieve(q) + "!"

def traced(q):
    answer(q)
    return mlflow.get_last_active_trace_id()

tid = traced("what is mlflow")
judge = mlflow.log_feedback(
    trace_id=tid, name="relevance", value=True, rationale="on topic",
    source=AssessmentSource(source_type="LLM_JUDGE", source_id="gpt-judge"))
spans = {s.name: s.span_id for s in mlflow.get_trace(tid).data.spans}
payloads = [p["payload"] for p in json.load(open(payload_file))["payloads"]]
hid = traced("hostile")
for i, p in enumerate(payloads):
    mlflow.log_feedback(
        trace_id=hid, name=p[:200], value=p, rationale=p,
        source=AssessmentSource(source_type="HUMAN", source_id=p[:200]))
    mlflow.set_trace_tag(hid, "xss.%d" % i, p)
print(json.dumps({"trace_id": tid, "judge_id": judge.assessment_id, "spans": spans, "hostile_id": hid}))
`;

/** A trace's assessments and tags as MLflow's Python SDK reads them. */
const READ_PY = `
import json, sys, warnings
warnings.filterwarnings("ignore")
import mlflow
mlflow.set_tracking_uri(sys.argv[1])
info = mlflow.get_trace(sys.argv[2]).info
print(json.dumps({
    "assessments": [{
        "id": a.assessment_id, "name": a.name, "kind": type(a).__name__,
        "value": a.value, "value_type": type(a.value).__name__,
        "rationale": a.rationale, "span_id": a.span_id,
        "source_type": a.source.source_type, "source_id": a.source.source_id,
        "valid": a.valid, "overrides": a.overrides,
    } for a in info.assessments],
    "tags": {k: v for k, v in info.tags.items() if not k.startswith("mlflow.")},
}))
`;

interface IRead {
  assessments: {
    id: string;
    name: string;
    kind: string;
    value: unknown;
    value_type: string;
    rationale: string | null;
    span_id: string | null;
    source_type: string;
    source_id: string;
    valid: boolean;
    overrides: string | null;
  }[];
  tags: Record<string, string>;
}

/** Runs `code` with MLflow's Python SDK in a temporary directory (nothing lands in the checkout). */
function python(code: string, args: string[]): any {
  const out = execFileSync(PYTHON, ['-c', code, ...args], {
    encoding: 'utf8',
    cwd: os.tmpdir(),
    env: venvEnv({
      MLFLOW_TRACKING_URI: url,
      MLFLOW_ENABLE_ASYNC_TRACE_LOGGING: 'false'
    })
  });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

/** What SETUP_PY wrote: made once per worker (beforeAll), not when the runner lists the tests. */
let written: {
  trace_id: string;
  judge_id: string;
  spans: Record<string, string>;
  hostile_id: string;
};

test.beforeAll(() => {
  test.setTimeout(120_000);
  written = python(SETUP_PY, [
    url,
    `ui-assessments-${Date.now()}-${process.pid}`,
    path.join(ROOT, 'test', 'fixtures', 'xss-payloads.json')
  ]);
});

/** The assessments pane of a trace output. */
function paneOf(widget: Locator): Locator {
  return widget.getByRole('complementary', { name: 'Assessments' });
}

/** The pane's add form, opened when it is not. */
async function addForm(pane: Locator): Promise<Locator> {
  const form = pane.getByRole('form', { name: 'Add an assessment' });
  if (!(await form.isVisible())) {
    await pane
      .getByRole('button', { name: 'Add feedback or expectation' })
      .click();
  }
  await expect(form).toBeVisible();
  return form;
}

/** Waits until the pane has no write in flight or unsaved. */
async function confirmed(pane: Locator): Promise<void> {
  await expect(pane.getByText('saving…')).toHaveCount(0, { timeout: 20_000 });
  await expect(pane.getByText(/unsaved:/)).toHaveCount(0);
}

async function openOutput(
  page: IJupyterLabPageFixture,
  nbPath: string
): Promise<{ widget: Locator; pane: Locator }> {
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate(path.basename(nbPath));
  const widget = traceWidget(page, 0);
  await expect(spanRows(widget).first()).toBeVisible();
  // The pane opens from the explorer's toolbar.
  await widget.getByRole('button', { name: /^Assessments \(\d+\)$/ }).click();
  const pane = paneOf(widget);
  await expect(pane).toBeVisible();
  // Laid out inside the output (beside or under the details), not pushed out of it.
  const [outer, inner] = [await widget.boundingBox(), await pane.boundingBox()];
  expect(inner!.y + 20).toBeLessThan(outer!.y + outer!.height);
  expect(inner!.x + 20).toBeLessThan(outer!.x + outer!.width);
  return { widget, pane };
}

/** The Jupyter user as the server extension names it to the page (the source it records). */
async function jupyterUser(page: IJupyterLabPageFixture): Promise<string> {
  return page.evaluate(async () => {
    const response = await fetch('/mlflow-traces/config');
    return (await response.json()).user as string;
  });
}

test.describe.configure({ mode: 'serial' });

test('label a trace from its output: each write lands on the server, is saved in the notebook and shows after a reload', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(240_000);
  if (SHOTS) {
    // An output over 1100 px wide: the pane has its own column beside the details.
    await page.setViewportSize({ width: 1750, height: 1000 });
  }
  const nbPath = `${tmpPath}/assessments.ipynb`;
  const bundle = await embeddedBundleFromServer(url, written.trace_id);
  await uploadNotebook(request, nbPath, traceNotebook(bundle), {
    trusted: true
  });
  const { widget, pane } = await openOutput(page, nbPath);
  const user = await jupyterUser(page);
  await expect(pane).toContainText('relevance');
  await expect(pane).toContainText('gpt-judge');

  // Feedback on the trace: boolean, with a rationale.
  let add = await addForm(pane);
  await add.getByLabel(/^Name/).fill('correct');
  await add.getByLabel(/^Value/).selectOption('false');
  await add.getByLabel(/^Rationale/).fill('misses the second step');
  await add.getByRole('button', { name: 'Add feedback' }).click();
  await confirmed(pane);
  await expect(pane).toContainText('misses the second step');

  // An expectation on the span "retrieve".
  await spanRow(widget, /retrieve/)
    .first()
    .click();
  await expect(pane).toContainText('Span retrieve');
  // The span's details: each attribute's value beside its key (JupyterLab's output styles float a dt).
  const attributeRows = await widget
    .locator('.jp-MlflowTrace-attributes')
    .evaluate(dl =>
      Array.from(dl.querySelectorAll('dt')).map(dt => [
        dt.getBoundingClientRect().top,
        dt.nextElementSibling!.getBoundingClientRect().top
      ])
    );
  expect(attributeRows.length).toBeGreaterThan(1);
  for (const [keyTop, valueTop] of attributeRows) {
    expect(Math.abs(keyTop - valueTop)).toBeLessThan(2);
  }
  add = await addForm(pane);
  await add.getByLabel(/^Add/).selectOption('expectation');
  await add.getByLabel(/^On/).selectOption('span');
  await add.getByLabel(/^Name/).fill('expected_docs');
  await add.getByLabel(/^Type/).selectOption('json');
  await add.getByLabel(/^Value/).fill('{"docs": ["intro", "tracing"]}');
  await add.getByRole('button', { name: 'Add expectation' }).click();
  await confirmed(pane);
  await expect(pane).toContainText('expected_docs');

  let read: IRead = python(READ_PY, [url, written.trace_id]);
  const expectation = read.assessments.find(a => a.name === 'expected_docs')!;
  expect(expectation).toMatchObject({
    kind: 'Expectation',
    value: { docs: ['intro', 'tracing'] },
    span_id: written.spans.retrieve,
    source_type: 'HUMAN',
    source_id: user
  });

  // Edit one's own.
  await pane.getByRole('button', { name: 'Edit correct' }).click();
  const edit = pane.getByRole('form', { name: 'Save correct' });
  await edit.getByLabel(/^Value/).selectOption('true');
  await edit.getByLabel(/^Rationale/).fill('right on a second look');
  await edit.getByRole('button', { name: 'Save', exact: true }).click();
  await confirmed(pane);
  await expect(pane).toContainText('right on a second look');

  // Override the judge's feedback.
  await pane.getByRole('button', { name: 'Override relevance' }).click();
  const override = pane.getByRole('form', { name: 'Override relevance' });
  await override.getByLabel(/^Value/).selectOption('false');
  await override.getByLabel(/^Rationale/).fill('off topic for the question');
  await override.getByRole('button', { name: 'Override', exact: true }).click();
  await confirmed(pane);
  await expect(pane).toContainText('off topic for the question');

  // A text feedback of one's own, deleted again (the expectation stays).
  add = await addForm(pane);
  await add.getByLabel(/^Add/).selectOption('feedback');
  await add.getByLabel(/^On/).selectOption('trace');
  await add.getByLabel(/^Name/).fill('draft');
  await add.getByLabel(/^Type/).selectOption('string');
  await add.getByLabel(/^Value/).fill('to be deleted');
  await add.getByRole('button', { name: 'Add feedback' }).click();
  await confirmed(pane);
  await expect(pane).toContainText('to be deleted');
  await pane.getByRole('button', { name: 'Delete draft' }).click();
  await pane
    .getByRole('group', { name: 'Confirm delete' })
    .getByRole('button', { name: 'Delete draft' })
    .click();
  await confirmed(pane);
  await expect(pane).not.toContainText('to be deleted');
  await expect(pane).toContainText('expected_docs');

  // Two tags; one removed again.
  const tags = pane.getByRole('region', { name: 'Tags' });
  for (const [key, value] of [
    ['reviewed', 'yes'],
    ['scratch', 'to remove']
  ]) {
    const form = tags.getByRole('form', { name: 'Add a tag' });
    await form.getByLabel(/^Key/).fill(key);
    await form.getByLabel(/^Value/).fill(value);
    await form.getByRole('button', { name: 'Add tag' }).click();
    await confirmed(pane);
    await expect(tags).toContainText(value);
  }
  await tags.getByRole('button', { name: 'Remove tag scratch' }).click();
  await confirmed(pane);
  await expect(tags).not.toContainText('to remove');

  if (SHOTS) {
    await page.sidebar.close('left');
    // The span "retrieve" (with its expectation) selected, the judge's superseded feedback shown.
    await pane
      .getByRole('button', { name: /^History/ })
      .first()
      .click();
    await pane.evaluate(node => node.scrollTo(0, 0));
    await widget.scrollIntoViewIfNeeded();
    await widget.screenshot({ path: path.join(DOCS, 'assessments.png') });
  }

  // What MLflow holds now, read by its Python SDK.
  read = python(READ_PY, [url, written.trace_id]);
  const byName = (name: string) =>
    read.assessments.filter(a => a.name === name);
  expect(byName('draft')).toEqual([]);
  expect(byName('expected_docs')).toHaveLength(1);
  expect(byName('correct')).toEqual([
    expect.objectContaining({
      kind: 'Feedback',
      value: true,
      value_type: 'bool',
      rationale: 'right on a second look',
      span_id: null,
      source_type: 'HUMAN',
      source_id: user,
      valid: true
    })
  ]);
  const relevance = byName('relevance');
  expect(relevance).toHaveLength(2);
  expect(relevance.find(a => a.id === written.judge_id)).toMatchObject({
    source_type: 'LLM_JUDGE',
    value: true,
    valid: false
  });
  expect(relevance.find(a => a.id !== written.judge_id)).toMatchObject({
    source_type: 'HUMAN',
    source_id: user,
    value: false,
    rationale: 'off topic for the question',
    overrides: written.judge_id,
    valid: true
  });
  expect(read.tags).toEqual({ reviewed: 'yes' });

  // Saved: the notebook's output holds the labels, in the bundle and its fallbacks.
  await page.notebook.save();
  const saved = await request.get(
    `/api/contents/${nbPath.split('/').map(encodeURIComponent).join('/')}`
  );
  const output = (await saved.json()).content.cells[0].outputs[0];
  const info = output.data[TRACE_MIME].traces[0].info;
  expect(
    info.assessments.map((a: any) => [a.assessment_name, a.valid]).sort()
  ).toEqual([
    ['correct', true],
    ['expected_docs', true],
    ['relevance', false],
    ['relevance', true]
  ]);
  expect(info.tags.reviewed).toBe('yes');
  expect(info.tags.scratch).toBeUndefined();
  const html = [output.data['text/html']].flat().join('');
  expect(html).toContain('right on a second look');

  // Reloaded: JupyterLab reopens the notebook it had open; the labels show from the saved payload.
  await page.reload({ waitForIsReady: false });
  const again = traceWidget(page, 0);
  await expect(spanRows(again).first()).toBeVisible({ timeout: 60_000 });
  await again.getByRole('button', { name: /^Assessments \(\d+\)$/ }).click();
  const paneAgain = paneOf(again);
  await expect(paneAgain).toContainText('right on a second look');
  await expect(paneAgain).toContainText('off topic for the question');
  await expect(paneAgain.getByRole('region', { name: 'Tags' })).toContainText(
    'reviewed'
  );
});

test(`${PAYLOADS.length} hostile assessment names, values, rationales, sources and tag values render as text`, async ({
  page,
  request,
  tmpPath,
  baseURL
}) => {
  test.setTimeout(180_000);
  const origin = new URL(baseURL!).origin;
  const watch = watchPage(
    page,
    target => target.origin === origin,
    target => target === 'about:blank' || target.startsWith(`${origin}/lab`)
  );
  const nbPath = `${tmpPath}/assessments-xss.ipynb`;
  const bundle = await embeddedBundleFromServer(url, written.hostile_id);
  await uploadNotebook(request, nbPath, traceNotebook(bundle), {
    trusted: true
  });
  const { pane } = await openOutput(page, nbPath);
  await expect(pane).toContainText(PAYLOADS[0].payload.slice(0, 200));
  await expect(pane.getByRole('region', { name: 'Tags' })).toContainText(
    PAYLOADS[PAYLOADS.length - 1].payload
  );
  // Open every history and form the pane offers, then hover it and let timers run.
  // Clicked in the page: the notebook's layers may overlap the pane while it scrolls.
  for (const button of await pane.getByRole('button').all()) {
    if ((await button.getAttribute('aria-expanded')) === 'false') {
      await button.evaluate(node => (node as HTMLElement).click());
    }
  }
  await pane.hover({ force: true });
  await page.mouse.move(10, 10);
  await page.waitForTimeout(1500);

  expect(await xssMarker(page)).toBeUndefined();
  expect(watch.dialogs).toEqual([]);
  expect(watch.navigations).toEqual([]);
  expect(watch.requests).toEqual([]);
  const active = await pane.evaluate(node =>
    Array.from(
      node.querySelectorAll(
        'script, iframe, img, object, embed, math, svg [onload], [onerror], [onclick], [onmouseover], a[href^="javascript"], base, meta, link, style'
      )
    ).map(e => e.outerHTML.slice(0, 120))
  );
  expect(active).toEqual([]);
});
