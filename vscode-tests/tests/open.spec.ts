/**
 * The executed quickstarts (Python on ipykernel, TypeScript on tslab) opened
 * in a real VS Code (code-server) with our .vsix installed: every output of
 * ours renders with our explorer (not the text/html fallback the notebook also
 * carries), and the page asks no host but 127.0.0.1 for anything.
 */
import { expect, test } from '@playwright/test';
import {
  openNotebook,
  outputFrame,
  readNotebook,
  renderAllOutputs,
  scrollToOutput,
  setTheme,
  state,
  watchForeignRequests
} from '../workbench';

const TRACE_MIME = 'application/vnd.mlflow.trace+json';
const LIST_MIME = 'application/vnd.mlflow.trace-list+json';

/** The notebook's outputs of a MIME type, in order. */
function outputsOf(nb: any, mime: string): any[] {
  return nb.cells.flatMap((cell: any) =>
    (cell.outputs ?? []).filter((output: any) => output.data?.[mime])
  );
}

test('the executed Python quickstart renders every trace output with our explorer', async ({
  page
}) => {
  const watch = watchForeignRequests(page);
  const { notebooks } = state();
  const nb = readNotebook(notebooks.python);
  const traces = outputsOf(nb, TRACE_MIME);
  const lists = outputsOf(nb, LIST_MIME);
  expect(traces.length).toBeGreaterThanOrEqual(4);
  expect(lists.length).toBeGreaterThanOrEqual(1);

  await openNotebook(page, notebooks.python);
  await renderAllOutputs(page);
  const frame = await outputFrame(page);
  const trees = frame.locator(
    '.output .jp-MlflowTrace:not(.jp-MlflowTraceList)'
  );
  await expect(trees).toHaveCount(traces.length);
  await expect(frame.locator('.output .jp-MlflowTraceList')).toHaveCount(
    lists.length
  );
  await expect(frame.locator('.jp-MlflowTraceFallback')).toHaveCount(0);
  // Each trace output shows its own (first) trace, by id, in a header.
  for (const output of traces) {
    const traceId: string = output.data[TRACE_MIME].traces[0].trace_id;
    await expect(
      trees.locator('.jp-MlflowTrace-header', { hasText: traceId }).first()
    ).toBeAttached();
  }
  await expect(trees.locator('[role=alert]')).toHaveCount(0);
  expect(await watch.foreign()).toEqual([]);
});

test('the executed TypeScript quickstart renders its span trees, in the light and the dark theme', async ({
  page
}) => {
  const watch = watchForeignRequests(page);
  const { notebooks } = state();
  const nb = readNotebook(notebooks.typescript);
  const traces = outputsOf(nb, TRACE_MIME);
  expect(traces.length).toBeGreaterThanOrEqual(4);

  await openNotebook(page, notebooks.typescript);
  await renderAllOutputs(page);
  const frame = await outputFrame(page);
  const trees = frame.locator('.output .jp-MlflowTrace');
  await expect(trees).toHaveCount(traces.length);
  await expect(frame.locator('.jp-MlflowTraceFallback')).toHaveCount(0);
  const first = trees.first();
  await scrollToOutput(page, first.locator('.jp-MlflowTrace-header'));
  await expect(first.getByRole('treeitem').first()).toBeVisible();
  await expect(first.locator('.jp-MlflowTrace-header')).toContainText(
    traces[0].data[TRACE_MIME].traces[0].trace_id
  );

  const body = frame.locator('body');
  await expect(body).toHaveClass(/(^|\s)vscode-light(\s|$)/);
  try {
    await setTheme(page, 'Default Dark Modern');
    await expect(body).toHaveClass(/(^|\s)vscode-dark(\s|$)/);
    await expect(first.getByRole('treeitem').first()).toBeVisible();
  } finally {
    await setTheme(page, 'Default Light Modern');
  }
  await expect(body).toHaveClass(/(^|\s)vscode-light(\s|$)/);
  expect(await watch.foreign()).toEqual([]);
});
