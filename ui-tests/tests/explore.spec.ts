/**
 * Exploring a trace in real JupyterLab: the span tree and timeline, expand
 * and collapse, span details, search, a trace fetched by id from a real
 * MLflow server, and the light and dark themes.
 */
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { Locator } from '@playwright/test';
import {
  embeddedBundle,
  idsOnlyBundle,
  liveServer,
  recordedTrace,
  traceNotebook,
  uploadNotebook
} from '../notebooks';
import { searchInput, spanRow, spanRows, traceWidget } from '../trace-dom';

const nested = recordedTrace('nested');

/** The span ids of the rows and of the timeline bars, in DOM order. */
async function rowAndBarIds(widget: Locator) {
  const rows = await spanRows(widget).evaluateAll(els =>
    els.map(el => el.getAttribute('data-span-id'))
  );
  const bars = await widget
    .locator('.jp-MlflowTrace-bar')
    .evaluateAll(els => els.map(el => el.getAttribute('data-span-id')));
  return { rows, bars };
}

async function openTraceNotebook(
  page: IJupyterLabPageFixture,
  request: import('@playwright/test').APIRequestContext,
  nbPath: string,
  bundle: ReturnType<typeof embeddedBundle>,
  trusted: boolean
): Promise<Locator> {
  await uploadNotebook(request, nbPath, traceNotebook(bundle), { trusted });
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate(nbPath.split('/').pop()!);
  const widget = traceWidget(page, 0);
  await expect(spanRows(widget).first()).toBeVisible();
  return widget;
}

test.describe('exploring an embedded trace recorded from the real server', () => {
  test('tree, timeline, expand/collapse, details and search', async ({
    page,
    request,
    tmpPath
  }) => {
    const widget = await openTraceNotebook(
      page,
      request,
      `${tmpPath}/explore.ipynb`,
      embeddedBundle([nested]),
      false
    );
    await expect(spanRows(widget)).toHaveCount(nested.spans!.length);

    // One timeline bar per visible row, for the same spans.
    let ids = await rowAndBarIds(widget);
    expect(ids.bars).toEqual(ids.rows);

    // Collapse "plan": its three children leave both the tree and the timeline.
    const plan = spanRow(widget, /plan/);
    await expect(plan).toHaveAttribute('aria-expanded', 'true');
    await plan.locator('.jp-MlflowTrace-toggle').click();
    await expect(plan).toHaveAttribute('aria-expanded', 'false');
    await expect(spanRows(widget)).toHaveCount(nested.spans!.length - 3);
    ids = await rowAndBarIds(widget);
    expect(ids.bars).toEqual(ids.rows);
    await plan.locator('.jp-MlflowTrace-toggle').click();
    await expect(spanRows(widget)).toHaveCount(nested.spans!.length);

    // Clicking a span shows its inputs and attributes.
    await spanRow(widget, /custom_step/).click();
    await expect(spanRow(widget, /custom_step/)).toHaveAttribute(
      'aria-selected',
      'true'
    );
    const details = widget.getByLabel('Span details');
    await expect(details.getByRole('heading')).toHaveText('custom_step');
    await expect(details).toContainText('custom.number');
    await spanRow(widget, /get_weather/).click();
    await expect(details).toContainText('Lyon');
    await expect(details).toContainText('mlflow.spanType');

    // Search reveals a deep span hidden by "Collapse all".
    await widget.getByRole('button', { name: 'Collapse all' }).click();
    await expect(spanRows(widget)).toHaveCount(1);
    await searchInput(widget).fill('doc 2 about');
    await expect(widget.locator('.jp-MlflowTrace-searchCount')).toHaveText(
      '1 of 2'
    );
    const retrieve = spanRow(widget, /retrieve/);
    await expect(retrieve).toHaveClass(/jp-mod-current/);
    await expect(retrieve).toHaveAttribute('aria-level', '3');
    await expect(details.getByRole('heading')).toHaveText('retrieve');
  });

  test('keyboard: arrows move and collapse, Enter selects, notebook shortcuts stay quiet', async ({
    page,
    request,
    tmpPath
  }) => {
    const widget = await openTraceNotebook(
      page,
      request,
      `${tmpPath}/keys.ipynb`,
      embeddedBundle([nested]),
      false
    );
    const cellsBefore = await page.notebook.getCellCount();
    await widget.getByRole('tree').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    await expect(spanRow(widget, /plan/)).toHaveAttribute(
      'aria-expanded',
      'false'
    );
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(
      widget.getByLabel('Span details').getByRole('heading')
    ).toHaveText('memory_lookup');
    // "b" would insert a cell below if the notebook saw it.
    await page.keyboard.press('b');
    expect(await page.notebook.getCellCount()).toBe(cellsBefore);
  });
});

test.describe('span details at any width', () => {
  test('attribute keys and values stay readable beside a long key', async ({
    page,
    request,
    tmpPath
  }) => {
    // "plan" is a CHAIN span; give it a key longer than the details pane.
    const trace = structuredClone(nested);
    const plan = trace.spans!.find(span => span.name === 'plan') as {
      attributes: Record<string, string>;
    };
    plan.attributes = {
      ...plan.attributes,
      'custom.instrumentation.library.attribute.with.a.rather.long.name':
        JSON.stringify('a value')
    };
    const widget = await openTraceNotebook(
      page,
      request,
      `${tmpPath}/narrow.ipynb`,
      embeddedBundle([trace]),
      false
    );
    await spanRow(widget, /plan/).click();
    const details = widget.getByLabel('Span details');
    const key = details.locator('dt', { hasText: /^mlflow\.spanType$/ });
    const value = key.locator('xpath=following-sibling::dd[1]');
    await expect(value).toHaveText('CHAIN');
    // One character and one line of the code font the values use.
    const font = await details.evaluate(el => {
      const probe = document.createElement('div');
      probe.className = 'jp-MlflowTrace-json';
      probe.style.width = 'max-content';
      probe.textContent = '0'.repeat(20);
      el.appendChild(probe);
      const box = probe.getBoundingClientRect();
      probe.remove();
      return { charPx: box.width / 20, linePx: box.height };
    });
    // Narrow (details under the tree), split (details beside it), wide.
    for (const widthPx of [380, 560, 760, 1000]) {
      await widget.evaluate((el, px) => {
        (el as HTMLElement).style.width = `${px}px`;
      }, widthPx);
      const valueBox = (await value.boundingBox())!;
      const keyBox = (await key.boundingBox())!;
      const paneBox = (await details.boundingBox())!;
      const context = `output ${widthPx}px, details ${paneBox.width}px`;
      expect(valueBox.width, context).toBeGreaterThanOrEqual(12 * font.charPx);
      // "CHAIN" on one line, not a letter per line.
      expect(valueBox.height, context).toBeLessThan(1.5 * font.linePx);
      expect(keyBox.width, context).toBeGreaterThanOrEqual(8 * font.charPx);
      expect(valueBox.x + valueBox.width, context).toBeLessThanOrEqual(
        paneBox.x + paneBox.width
      );
    }
  });
});

test.describe('a trace given only by id', () => {
  const { url, expected } = liveServer();
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-mlflow-traces:plugin': { trackingUri: url }
    }
  });

  test('is fetched from the tracking server set in the settings', async ({
    page,
    request,
    tmpPath
  }) => {
    const python = expected.traces.nested;
    const fetches: string[] = [];
    page.on('request', r => {
      if (r.url().startsWith(url)) {
        fetches.push(r.url());
      }
    });
    const widget = await openTraceNotebook(
      page,
      request,
      `${tmpPath}/by-id.ipynb`,
      idsOnlyBundle([python.trace_id]),
      false
    );
    await expect(spanRows(widget)).toHaveCount(python.span_count);
    await expect(widget.locator('.jp-MlflowTrace-header')).toContainText(
      python.trace_id
    );
    expect(fetches.some(u => u.includes('get-trace-artifact'))).toBe(true);
    await expect(
      widget.getByRole('button', { name: 'Refresh from server' })
    ).toBeVisible();
  });
});

test.describe('themes', () => {
  test('light and dark snapshots, following the theme switch live', async ({
    page,
    request,
    tmpPath
  }) => {
    const widget = await openTraceNotebook(
      page,
      request,
      `${tmpPath}/theme.ipynb`,
      embeddedBundle([recordedTrace('error')]),
      false
    );
    await spanRow(widget, /flaky_tool/).click();
    const background = () =>
      widget.evaluate(el => getComputedStyle(el).backgroundColor);
    const light = await background();
    expect(await widget.screenshot()).toMatchSnapshot('trace-light.png', {
      maxDiffPixelRatio: 0.02
    });
    await page.theme.setDarkTheme();
    await expect.poll(background).not.toBe(light);
    expect(await widget.screenshot()).toMatchSnapshot('trace-dark.png', {
      maxDiffPixelRatio: 0.02
    });
  });
});
