/**
 * The explorer's views in real JupyterLab: switching between the tree and
 * the flame graph keeps the selection and the query; clicking in the flame
 * graph selects and zooms, the breadcrumbs zoom out; hover tells the span's
 * figures; the canvas follows a theme switch.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { APIRequestContext, Locator } from '@playwright/test';
import path from 'path';
import {
  buildTrace,
  flameLayout,
  flameWindow,
  IFlameLayout,
  IFlameRange,
  panFlameRange,
  zoomFlameRange
} from '../../src/trace';
import { detailsPane, openTrace, openView } from '../explorer';
import { recordedTrace } from '../notebooks';
import { searchInput, spanRow } from '../trace-dom';

const nested = recordedTrace('nested');
// The README's screenshot of the flame graph: written with UPDATE_DOCS_SHOTS=1.
const DOCS = path.resolve(__dirname, '..', '..', 'docs');
const SHOTS = process.env.UPDATE_DOCS_SHOTS === '1';
/** The layout the flame graph draws, computed here to know where to click. */
const layout = flameLayout(buildTrace(nested.info as never, nested.spans));
const ROW_PX = 18;

/** The canvas of the flame graph. */
function flameCanvas(widget: Locator): Locator {
  return widget.getByRole('img', { name: /^Flame graph of/ });
}

/** The nested trace opened in the flame graph, its canvas visible. */
async function openFlame(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  nbPath: string
): Promise<{ widget: Locator; canvas: Locator }> {
  const widget = await openView(page, request, nbPath, nested, 'Flame graph');
  const canvas = flameCanvas(widget);
  await expect(canvas).toBeVisible();
  return { widget, canvas };
}

function flameList(widget: Locator): Locator {
  return widget.getByRole('list', { name: 'Spans in the flame graph' });
}

function listedNames(widget: Locator): Promise<string[]> {
  return flameList(widget)
    .getByRole('button')
    .evaluateAll(buttons =>
      buttons.map(button => button.textContent!.split(',')[0])
    );
}

/** The index of the rectangle of the span named `name`. */
function rectNamed(name: string): number {
  const index = layout.rects.findIndex(rect => rect.node.span.name === name);
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
}

/** Where, on the canvas, the middle of rectangle `index` is drawn when zoomed to `zoomName`. */
async function pointOf(
  canvas: Locator,
  index: number,
  zoomName?: string,
  flame: IFlameLayout = layout
) {
  const box = (await canvas.boundingBox())!;
  const zoom = zoomName
    ? flameWindow(flame, flame.rects[rectNamed(zoomName)].spanId)
    : flameWindow(flame, undefined);
  const rect = flame.rects[index];
  const middleMs = (rect.x0Ms + rect.x1Ms) / 2;
  const widthPx =
    ((rect.x1Ms - rect.x0Ms) / (zoom.x1Ms - zoom.x0Ms)) * box.width;
  expect(widthPx).toBeGreaterThan(4);
  return {
    x: ((middleMs - zoom.x0Ms) / (zoom.x1Ms - zoom.x0Ms)) * box.width,
    y: (rect.row - zoom.topRow) * ROW_PX + ROW_PX / 2
  };
}

/** Of the children of `name`, the widest one. */
function widestChild(name: string): number {
  const parent = layout.rects[rectNamed(name)].node;
  const widths = parent.children.map(child => {
    const rect = layout.rects[layout.indexById.get(child.span.spanId)!];
    return rect.x1Ms - rect.x0Ms;
  });
  const child = parent.children[widths.indexOf(Math.max(...widths))];
  return layout.indexById.get(child.span.spanId)!;
}

test.describe('the view switch and the flame graph', () => {
  test('switching views keeps the selection and the query', async ({
    page,
    request,
    tmpPath
  }) => {
    const widget = await openTrace(
      page,
      request,
      `${tmpPath}/views.ipynb`,
      nested
    );
    await searchInput(widget).fill('doc 2 about');
    const count = widget.locator('.jp-MlflowTrace-searchCount');
    await expect(count).toHaveText('1 of 2');
    const details = detailsPane(widget);
    await expect(details.getByRole('heading')).toHaveText('retrieve');

    const flameTab = widget.getByRole('tab', { name: 'Flame graph' });
    await flameTab.click();
    await expect(flameTab).toHaveAttribute('aria-selected', 'true');
    await expect(widget.getByRole('tree')).toHaveCount(0);
    await expect(flameCanvas(widget)).toBeVisible();
    await expect(searchInput(widget)).toHaveValue('doc 2 about');
    await expect(count).toHaveText('1 of 2');
    await expect(details.getByRole('heading')).toHaveText('retrieve');
    await expect(
      flameList(widget).getByRole('button', { name: /^retrieve,/ })
    ).toHaveAttribute('aria-pressed', 'true');
    await expect(
      flameList(widget).getByRole('button', {
        name: /^retrieve,.*search match/
      })
    ).toHaveCount(1);

    // Next match in the flame graph, then back to the tree: both kept
    await widget.getByRole('button', { name: 'Next match' }).click();
    await expect(count).toHaveText('2 of 2');
    const selectedName = await details.getByRole('heading').textContent();
    expect(selectedName).not.toBe('retrieve');
    // By keyboard: the tabs take the arrow keys
    await flameTab.press('ArrowLeft');
    const treeTab = widget.getByRole('tab', { name: 'Tree + timeline' });
    await expect(treeTab).toHaveAttribute('aria-selected', 'true');
    await expect(treeTab).toBeFocused();
    await expect(searchInput(widget)).toHaveValue('doc 2 about');
    await expect(count).toHaveText('2 of 2');
    await expect(spanRow(widget, selectedName!)).toHaveAttribute(
      'aria-selected',
      'true'
    );
  });

  test('clicking in the flame graph selects and zooms; the breadcrumbs zoom out', async ({
    page,
    request,
    tmpPath
  }) => {
    const { widget, canvas } = await openFlame(
      page,
      request,
      `${tmpPath}/zoom.ipynb`
    );
    await expect
      .poll(() => listedNames(widget))
      .toHaveLength(nested.spans!.length);

    // Hover tells the span's figures
    const plan = rectNamed('plan');
    await canvas.hover({ position: await pointOf(canvas, plan) });
    const tooltip = widget.getByRole('tooltip');
    await expect(tooltip).toContainText('plan');
    await expect(tooltip).toContainText('self');

    await canvas.click({ position: await pointOf(canvas, plan) });
    const details = detailsPane(widget);
    await expect(details.getByRole('heading')).toHaveText('plan');
    const crumbs = widget.getByRole('navigation', { name: 'Flame graph zoom' });
    await expect(crumbs.getByRole('button')).toHaveText([
      'All spans',
      'rag_agent',
      'plan'
    ]);
    await expect(
      crumbs.getByRole('button', { name: 'plan', exact: true })
    ).toHaveAttribute('aria-current', 'location');
    await expect
      .poll(() => listedNames(widget))
      .toEqual(['plan', 'embed', 'retrieve', 'rerank']);

    // One level deeper, where the zoom drew it
    const child = widestChild('plan');
    const childName = layout.rects[child].node.span.name;
    await canvas.click({ position: await pointOf(canvas, child, 'plan') });
    await expect(details.getByRole('heading')).toHaveText(childName);
    await expect(crumbs.getByRole('button')).toHaveText([
      'All spans',
      'rag_agent',
      'plan',
      childName
    ]);

    // Out again, one crumb at a time
    await crumbs.getByRole('button', { name: 'plan', exact: true }).click();
    await expect.poll(() => listedNames(widget)).toHaveLength(4);
    await crumbs
      .getByRole('button', { name: 'All spans', exact: true })
      .click();
    await expect(crumbs.getByRole('button')).toHaveText(['All spans']);
    await expect
      .poll(() => listedNames(widget))
      .toHaveLength(nested.spans!.length);
    // The selection stays where the click put it, in the tree too
    await widget.getByRole('tab', { name: 'Tree + timeline' }).click();
    await expect(spanRow(widget, childName)).toHaveAttribute(
      'aria-selected',
      'true'
    );
  });

  test('Ctrl + wheel zooms the time axis around the pointer and a drag pans it, selecting nothing', async ({
    page,
    request,
    tmpPath
  }) => {
    const { widget, canvas } = await openFlame(
      page,
      request,
      `${tmpPath}/wheel.ipynb`
    );
    const details = detailsPane(widget);
    const selected = await details.getByRole('heading').textContent();
    const allSpans = widget
      .getByRole('navigation', { name: 'Flame graph zoom' })
      .getByRole('button', { name: 'All spans' });
    await expect(allSpans).toHaveAttribute('aria-current', 'location');
    const box = (await canvas.boundingBox())!;
    const whole = flameWindow(layout, undefined);
    /** The spans a range of the whole graph draws at least half a pixel wide, in tree order. */
    const drawnIn = (range: IFlameRange) =>
      layout.rects
        .filter(rect => {
          const shownMs =
            Math.min(rect.x1Ms, range.x1Ms) - Math.max(rect.x0Ms, range.x0Ms);
          return (shownMs / (range.x1Ms - range.x0Ms)) * box.width >= 0.5;
        })
        .map(rect => rect.node.span.name);

    // Up by 500 px at a quarter across: the range shrinks to e^-1 around that point
    await page.mouse.move(box.x + box.width / 4, box.y + ROW_PX / 2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -500);
    await page.keyboard.up('Control');
    const anchorMs = whole.x0Ms + (whole.x1Ms - whole.x0Ms) / 4;
    const zoomed = zoomFlameRange(whole, whole, Math.exp(-1), anchorMs);
    await expect(allSpans).not.toHaveAttribute('aria-current', 'location');
    await expect.poll(() => listedNames(widget)).toEqual(drawnIn(zoomed));
    expect(drawnIn(zoomed).length).toBeLessThan(layout.rects.length);

    // Dragged 150 px to the left: later times come into view; nothing is selected
    await page.mouse.move(box.x + box.width / 2, box.y + ROW_PX / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 150, box.y + ROW_PX / 2, {
      steps: 5
    });
    await page.mouse.up();
    const msPerPx = (zoomed.x1Ms - zoomed.x0Ms) / box.width;
    const panned = panFlameRange(whole, zoomed, 150 * msPerPx);
    await expect.poll(() => listedNames(widget)).toEqual(drawnIn(panned));
    await expect(details.getByRole('heading')).toHaveText(selected!);

    // 0 on the focused canvas shows the whole graph again
    await canvas.focus();
    await page.keyboard.press('0');
    await expect(allSpans).toHaveAttribute('aria-current', 'location');
    await expect
      .poll(() => listedNames(widget))
      .toHaveLength(nested.spans!.length);
  });

  test('the canvas follows a theme switch', async ({
    page,
    request,
    tmpPath
  }) => {
    const { canvas } = await openFlame(page, request, `${tmpPath}/theme.ipynb`);
    const pixels = () =>
      canvas.evaluate(el => (el as HTMLCanvasElement).toDataURL());
    const blank = await canvas.evaluate(el => {
      const empty = document.createElement('canvas');
      empty.width = (el as HTMLCanvasElement).width;
      empty.height = (el as HTMLCanvasElement).height;
      return empty.toDataURL();
    });
    // Drawn (on the next animation frame), then read
    await expect.poll(pixels).not.toBe(blank);
    const light = await pixels();
    await page.theme.setDarkTheme();
    await expect.poll(pixels).not.toBe(light);
  });

  test('docs: the flame graph of a recorded trace, zoomed, hovered', async ({
    page,
    request,
    tmpPath
  }) => {
    test.skip(
      !SHOTS,
      'writes docs/flame-graph.png: run with UPDATE_DOCS_SHOTS=1'
    );
    await page.setViewportSize({ width: 1280, height: 800 });
    const { widget, canvas } = await openFlame(
      page,
      request,
      `${tmpPath}/shot.ipynb`
    );
    await canvas.click({ position: await pointOf(canvas, rectNamed('plan')) });
    await canvas.hover({
      position: await pointOf(canvas, widestChild('plan'), 'plan')
    });
    await expect(widget.getByRole('tooltip')).toBeVisible();
    await widget.screenshot({ path: path.join(DOCS, 'flame-graph.png') });
  });
});
