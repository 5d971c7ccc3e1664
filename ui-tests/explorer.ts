/**
 * Driving the trace explorer of one output: open a notebook showing a trace,
 * switch views, read the details pane. Shared by the explorer's specs.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { APIRequestContext, Locator } from '@playwright/test';
import { buildTrace, ITrace } from '../src/trace';
import {
  embeddedBundle,
  IBundleTrace,
  traceNotebook,
  uploadNotebook
} from './notebooks';
import { spanRows, traceWidget } from './trace-dom';

/** Upload a notebook embedding `trace` (untrusted), open it, wait for its rows. */
export async function openTrace(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  nbPath: string,
  trace: IBundleTrace
): Promise<Locator> {
  await uploadNotebook(
    request,
    nbPath,
    traceNotebook(embeddedBundle([trace])),
    { trusted: false }
  );
  await page.notebook.openByPath(nbPath);
  await page.notebook.activate(nbPath.split('/').pop()!);
  const widget = traceWidget(page, 0);
  await expect(spanRows(widget).first()).toBeVisible();
  return widget;
}

/** Switch the explorer to the view whose tab is `name`. */
export async function showView(widget: Locator, name: string): Promise<void> {
  const tab = widget.getByRole('tab', { name });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** `trace` opened as by openTrace, then shown in the view whose tab is `name`. */
export async function openView(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  nbPath: string,
  trace: IBundleTrace,
  name: string
): Promise<Locator> {
  const widget = await openTrace(page, request, nbPath, trace);
  await showView(widget, name);
  return widget;
}

/** The trace model of a bundle trace, as the renderer builds it. */
export function traceModel(trace: IBundleTrace): ITrace {
  return buildTrace(trace.info as never, trace.spans as never);
}

/** The details pane of the selected span. */
export function detailsPane(widget: Locator): Locator {
  return widget.getByLabel('Span details');
}
