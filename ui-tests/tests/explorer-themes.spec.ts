/**
 * The explorer's flame graph, agent graph and conversation in JupyterLab's
 * light and dark themes (switched live with `apputils:change-theme`), as
 * snapshots: test/fixtures/recorded nested for the flame graph, the agent
 * loop of test/fixtures/write_agent_loop.py for the other two. With
 * UPDATE_DOCS_SHOTS=1, the README's screenshots of the agent graph and the
 * conversation are written to docs/ instead.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { APIRequestContext, Locator } from '@playwright/test';
import path from 'path';
import { ITrace } from '../../src/trace';
import { openView, traceModel } from '../explorer';
import { recordedTrace, sdkTrace } from '../notebooks';

const nested = recordedTrace('nested');
const agentLoop = sdkTrace('agent-loop.trace.json');
const DOCS = path.resolve(__dirname, '..', '..', 'docs');
const SHOTS = process.env.UPDATE_DOCS_SHOTS === '1';
/** Antialiasing differs a little between runs; a changed view differs far more. */
const SNAPSHOT = { maxDiffPixelRatio: 0.02 };

/** The widget's background: it changes once the theme's variables apply. */
function background(widget: Locator): Promise<string> {
  return widget.evaluate(el => getComputedStyle(el).backgroundColor);
}

/** The names of the loop's agent and of the tool it calls. */
function loopTool(trace: ITrace): { agent: string; tool: string } {
  const agent = trace.roots[0];
  const tool = agent.children.find(child => child.span.spanType === 'TOOL')!;
  return { agent: agent.span.name, tool: tool.span.name };
}

/** The agent graph of the loop, its node of `tool` clicked open. */
async function openToolNode(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  nbPath: string,
  tool: string
): Promise<Locator> {
  const widget = await openView(
    page,
    request,
    nbPath,
    agentLoop,
    'Agent graph'
  );
  await widget
    .getByRole('button', { name: new RegExp(`^TOOL ${tool}: `) })
    .click();
  return widget;
}

/**
 * The view `name` of `trace` in the light theme, then in the dark, each
 * matched against its snapshot `<shot>-light.png` / `<shot>-dark.png`.
 */
async function lightAndDark(
  page: IJupyterLabPageFixture,
  widget: Locator,
  shot: string,
  ready: () => Promise<void>
): Promise<void> {
  await ready();
  // Nothing hovered
  await page.mouse.move(0, 0);
  const light = await background(widget);
  await expect(widget).toHaveScreenshot(`${shot}-light.png`, SNAPSHOT);
  await page.theme.setDarkTheme();
  await expect.poll(() => background(widget)).not.toBe(light);
  await ready();
  await expect(widget).toHaveScreenshot(`${shot}-dark.png`, SNAPSHOT);
}

test.describe('light and dark snapshots of the views', () => {
  test.skip(SHOTS, 'UPDATE_DOCS_SHOTS=1 writes the README screenshots only');
  // Wide enough for the view and the span details side by side
  test.beforeEach(({ page }) =>
    page.setViewportSize({ width: 1600, height: 1000 })
  );

  test('the flame graph', async ({ page, request, tmpPath }) => {
    const widget = await openView(
      page,
      request,
      `${tmpPath}/flame.ipynb`,
      nested,
      'Flame graph'
    );
    const canvas = widget.getByRole('img', { name: /^Flame graph of/ });
    const list = widget.getByRole('list', { name: 'Spans in the flame graph' });
    await lightAndDark(page, widget, 'flame-graph', async () => {
      await expect(canvas).toBeVisible();
      await expect(list.getByRole('button')).toHaveCount(nested.spans!.length);
    });
  });

  test('the agent graph, its tool node open', async ({
    page,
    request,
    tmpPath
  }) => {
    const { tool } = loopTool(traceModel(agentLoop));
    const widget = await openToolNode(
      page,
      request,
      `${tmpPath}/graph.ipynb`,
      tool
    );
    const list = widget.getByRole('region', { name: `Spans of ${tool}` });
    await lightAndDark(page, widget, 'agent-graph', async () => {
      await expect(list.getByRole('button').first()).toHaveAttribute(
        'aria-current',
        'true'
      );
    });
  });

  test('the conversation', async ({ page, request, tmpPath }) => {
    const widget = await openView(
      page,
      request,
      `${tmpPath}/conversation.ipynb`,
      agentLoop,
      'Conversation'
    );
    const first = widget.locator('[role=listitem][aria-posinset="1"]');
    await lightAndDark(page, widget, 'conversation', async () => {
      await expect(first).toBeVisible();
    });
  });
});

test.describe('docs: the README screenshots', () => {
  test.skip(!SHOTS, 'writes docs/*.png: run with UPDATE_DOCS_SHOTS=1');

  test('the agent graph of a tool loop, its tool node open', async ({
    page,
    request,
    tmpPath
  }) => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    const { agent, tool } = loopTool(traceModel(agentLoop));
    const widget = await openToolNode(
      page,
      request,
      `${tmpPath}/graph-shot.ipynb`,
      tool
    );
    await expect(
      widget.getByRole('img', { name: `${agent} calls ${tool}: ` })
    ).toBeVisible();
    await page.mouse.move(0, 0);
    await widget.screenshot({ path: path.join(DOCS, 'agent-graph.png') });
  });

  test('the conversation of a tool loop, its first model call open', async ({
    page,
    request,
    tmpPath
  }) => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    const widget = await openView(
      page,
      request,
      `${tmpPath}/conversation-shot.ipynb`,
      agentLoop,
      'Conversation'
    );
    // The first model call sits at the top: opening it scrolls nothing away
    const firstModel = widget.locator('.jp-MlflowTrace-step-message').first();
    await firstModel.getByRole('button', { name: /^Open span / }).click();
    await expect(firstModel).toHaveAttribute('aria-current', 'true');
    await page.mouse.move(0, 0);
    await widget.screenshot({ path: path.join(DOCS, 'conversation.png') });
  });
});
