/**
 * Locators for the trace renderer's DOM in a notebook. The renderer's final
 * DOM (src/lab, src/view) will have a [role=tree] of [role=treeitem] rows
 * (aria-level, aria-expanded, aria-selected), timeline bars with
 * data-span-id, a search input and a details pane; tests should go through
 * these helpers so a DOM change is fixed in one place.
 */
import type { Locator, Page } from '@playwright/test';

export const WIDGET = '.jp-MlflowTrace';

/** The output area of one cell (0-based index among all cells). */
export function cellOutputArea(page: Page, cellIndex: number): Locator {
  return page
    .locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')
    .nth(cellIndex)
    .locator('.jp-OutputArea');
}

/** The trace renderer widgets in one cell's outputs. */
export function traceWidgets(page: Page, cellIndex: number): Locator {
  return cellOutputArea(page, cellIndex).locator(WIDGET);
}

/** The first trace widget of a cell. */
export function traceWidget(page: Page, cellIndex = 0): Locator {
  return traceWidgets(page, cellIndex).first();
}

/** The span tree of a trace widget. */
export function spanTree(widget: Locator): Locator {
  return widget.getByRole('tree');
}

/** Rows of the span tree (only the rendered ones: the list is virtualized). */
export function spanRows(widget: Locator): Locator {
  return widget.getByRole('treeitem');
}

/** The row of a span, by its visible name. */
export function spanRow(widget: Locator, name: string | RegExp): Locator {
  return widget.getByRole('treeitem', { name });
}

/** The selected row(s). */
export function selectedRow(widget: Locator): Locator {
  return widget.locator('[role=treeitem][aria-selected=true]');
}

/** A timeline bar, by span id. */
export function timelineBar(widget: Locator, spanId: string): Locator {
  return widget.locator(`[data-span-id="${spanId}"]`);
}

/** The span search box. */
export function searchInput(widget: Locator): Locator {
  return widget
    .getByRole('searchbox')
    .or(widget.locator('input[type=search]'))
    .first();
}

/**
 * The trust indicator of the active notebook. It sits in the status bar (not in
 * the notebook panel), titled "Notebook trusted: N of M code cells trusted."
 * or "Notebook not trusted: N of M code cells trusted.".
 */
export function trustIndicator(page: Page, trusted: boolean): Locator {
  return page
    .locator('#jp-main-statusbar')
    .getByTitle(trusted ? /^Notebook trusted:/ : /^Notebook not trusted:/);
}
