/**
 * Live traces in real JupyterLab: a Python cell traced with MLflow's SDK,
 * shown by the IPython extension's live emitter on a real ipykernel against
 * the tests' real `mlflow server`. While the cell runs, its output's rows
 * grow and a running span is marked; a span selected mid-run stays
 * selected, and the rows' scroll position stays, across updates.
 */
import path from 'path';
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { spanRows, traceWidget } from '../trace-dom';

const RUNNING_ROW = '[role=treeitem].jp-MlflowTrace-mod-running';
const SEQUENCE = '.jp-MlflowTrace-explorer[data-live-sequence]';
// The README's screenshots of a trace growing: written with UPDATE_DOCS_SHOTS=1.
const DOCS = path.resolve(__dirname, '..', '..', 'docs');
const SHOTS = process.env.UPDATE_DOCS_SHOTS === '1';

/**
 * An agent: 40 quick lookups (enough rows to scroll), then eight slow
 * steps, each with a nested call, so the trace grows for about 8 s.
 */
const SETUP = `%load_ext jupyterlab_mlflow_traces
import time
import mlflow

mlflow.set_experiment("live-ui")
`;

const CELL = `with mlflow.start_span("agent") as agent:
    agent.set_inputs({"question": "what grows while it runs?"})
    for i in range(40):
        with mlflow.start_span(f"lookup {i}") as lookup:
            lookup.set_inputs({"key": i})
    for step in range(8):
        with mlflow.start_span(f"step {step}") as span:
            span.set_inputs({"step": step})
            with mlflow.start_span(f"call {step}"):
                time.sleep(0.9)
    agent.set_outputs("done")
`;

/** Set the active cell's text (typed, the editor would indent the lines again). */
async function setSource(page: Page, source: string): Promise<void> {
  await page.evaluate(text => {
    const app = (window as any).jupyterapp;
    app.shell.currentWidget.content.activeCell.model.sharedModel.setSource(
      text
    );
  }, source);
}

/** An answerer with typed steps, slow enough to photograph each stage. */
const SHOTS_CELL = `from mlflow.entities import SpanType

with mlflow.start_span("answer", span_type=SpanType.AGENT) as root:
    root.set_inputs({"question": "How do live traces work?"})
    with mlflow.start_span("plan", span_type=SpanType.CHAIN) as plan:
        plan.set_inputs({"question": "How do live traces work?"})
        time.sleep(2)
        plan.set_outputs(["retrieve", "generate"])
    with mlflow.start_span("retrieve", span_type=SpanType.RETRIEVER) as retrieve:
        retrieve.set_inputs({"query": "live traces", "top_k": 3})
        for shard in range(3):
            with mlflow.start_span(f"search shard {shard}", span_type=SpanType.TOOL) as s:
                s.set_inputs({"shard": shard, "query": "live traces"})
                time.sleep(1.2)
                s.set_outputs([f"doc {shard}"])
        retrieve.set_outputs(["doc 0", "doc 1", "doc 2"])
    with mlflow.start_span("generate", span_type=SpanType.LLM) as generate:
        generate.set_inputs(
            {"messages": [{"role": "user", "content": "How do live traces work?"}]}
        )
        time.sleep(4)
        generate.set_outputs("The output is updated in place as spans start and end.")
    root.set_outputs("The output is updated in place as spans start and end.")
`;

/** The output's current update number (its data-live-sequence). */
async function sequenceOf(widget: Locator): Promise<number> {
  const value = await widget
    .locator(SEQUENCE)
    .getAttribute('data-live-sequence');
  return Number(value);
}

/** Wait until the output shows a newer update than `than`. */
async function nextUpdate(widget: Locator, than: number): Promise<number> {
  await expect
    .poll(() => sequenceOf(widget), { timeout: 15000 })
    .toBeGreaterThan(than);
  return sequenceOf(widget);
}

/** How many rows the trace has: the tree's scroll height over one row. */
async function rowCount(widget: Locator): Promise<number> {
  return widget
    .locator('[role=tree]')
    .evaluate(tree => Math.round(tree.getBoundingClientRect().height / 24));
}

test('a live trace grows while its cell runs, keeping selection and scroll', async ({
  page
}) => {
  test.setTimeout(180000);
  await page.notebook.createNew('live.ipynb', { kernel: 'python3' });
  await setSource(page, SETUP);
  // Run and advance: the new cell below becomes the active one.
  await page.notebook.runCell(0);
  await setSource(page, CELL);
  const run = page.notebook.runCell(1, { inplace: true, wait: false });
  const widget = traceWidget(page, 1);

  // The output appears while the cell runs, marked live and running.
  await expect(widget.locator(SEQUENCE)).toBeVisible({ timeout: 60000 });
  await expect(widget.locator(RUNNING_ROW).first()).toBeVisible({
    timeout: 15000
  });
  await expect(widget.locator('.jp-MlflowTrace-liveStatus')).toContainText(
    /running .+, in /
  );

  // The rows grow between updates.
  let sequence = await sequenceOf(widget);
  const rowsBefore = await rowCount(widget);
  sequence = await nextUpdate(widget, sequence);
  await expect.poll(() => rowCount(widget)).toBeGreaterThan(rowsBefore);

  // Select a finished span and scroll the rows mid-run.
  const lookup = spanRows(widget).filter({ hasText: 'lookup 3' }).first();
  await lookup.click();
  const scroller = widget.locator('.jp-MlflowTrace-scroller');
  await scroller.evaluate(element => {
    element.scrollTop = 120;
    element.dispatchEvent(new Event('scroll'));
  });
  const selected = () =>
    widget.locator(
      '[role=treeitem][aria-selected=true] .jp-MlflowTrace-spanName'
    );
  await expect(selected()).toHaveText('lookup 3');

  // Across the next updates, the selection and the scroll position stay.
  for (let i = 0; i < 3; i++) {
    sequence = await nextUpdate(widget, sequence);
    await expect(selected()).toHaveText('lookup 3');
    await expect(widget.locator('.jp-MlflowTrace-detailsTitle')).toHaveText(
      'lookup 3'
    );
    expect(await scroller.evaluate(element => element.scrollTop)).toBe(120);
    // The running rows are scrolled out of view (virtualized): the header says it runs.
    await expect(widget.locator('.jp-MlflowTrace-liveStatus')).toContainText(
      /^running /
    );
  }

  // When the cell ends: the final trace (no live mark), selection kept.
  await run;
  await expect(widget.locator(SEQUENCE)).toHaveCount(0, { timeout: 30000 });
  await expect(widget.locator(RUNNING_ROW)).toHaveCount(0);
  await expect(widget.locator('.jp-MlflowTrace-state')).toHaveText('OK');
  await expect(selected()).toHaveText('lookup 3');
});

test('docs: screenshots of a live trace growing', async ({ page }) => {
  test.skip(!SHOTS, 'writes docs/live-*.png: run with UPDATE_DOCS_SHOTS=1');
  test.setTimeout(180000);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.notebook.createNew('live-shots.ipynb', { kernel: 'python3' });
  await setSource(page, SETUP);
  await page.notebook.runCell(0);
  await setSource(page, SHOTS_CELL);
  const run = page.notebook.runCell(1, { inplace: true, wait: false });
  const widget = traceWidget(page, 1);
  const status = widget.locator('.jp-MlflowTrace-liveStatus');
  const shoot = async (file: string) => {
    await widget.scrollIntoViewIfNeeded();
    await widget.screenshot({ path: path.join(DOCS, file) });
  };
  // 1: just started, the first step running (its inputs shown).
  await expect(status).toContainText('in plan', { timeout: 60000 });
  await spanRows(widget).filter({ hasText: 'plan' }).first().click();
  await expect(widget.locator('.jp-MlflowTrace-detailsTitle')).toHaveText(
    'plan'
  );
  await page.waitForTimeout(700);
  await expect(status).toContainText('in plan');
  await shoot('live-1.png');
  // 2: midway, several steps ended, the answer being generated.
  await expect(status).toContainText('in generate', { timeout: 30000 });
  await spanRows(widget).filter({ hasText: 'generate' }).first().click();
  await page.waitForTimeout(2500);
  await expect(status).toContainText('in generate');
  await shoot('live-2.png');
  // 3: the final trace, as the server stored it.
  await run;
  await expect(widget.locator(SEQUENCE)).toHaveCount(0, { timeout: 30000 });
  await expect(widget.locator('.jp-MlflowTrace-state')).toHaveText('OK');
  await shoot('live-3.png');
});
