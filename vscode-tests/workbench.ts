/**
 * Driving the VS Code workbench (code-server) from Playwright: what
 * global-setup.js started, opening a notebook of its workspace, reaching the
 * webview that holds a notebook's rendered outputs, switching the colour theme,
 * and watching that the page talks to nobody but 127.0.0.1.
 */
import fs from 'fs';
import path from 'path';
import { expect } from '@playwright/test';
import type { Frame, Locator, Page, Request } from '@playwright/test';
import type { INotebook } from '../ui-tests/notebooks';

/** What global-setup.js started (vscode-tests/.cache/vscode-state.json). */
export interface IVscodeState {
  /** code-server's URL, http://127.0.0.1:PORT */
  url: string;
  /** The folder code-server opens: the executed notebooks are here. */
  workspace: string;
  /** code-server's --user-data-dir (User/settings.json inside). */
  userDataDir: string;
  extensionsDir: string;
  /** The tracking server the notebooks ran against (the extension host's MLFLOW_TRACKING_URI). */
  trackingUri: string;
  /** Notebook file names in `workspace`: python (ipykernel) and typescript (tslab) quickstarts. */
  notebooks: { python: string; typescript: string };
  /** The installed .vsix. */
  vsix: string;
  codeServerLog: string;
}

export const STATE_FILE = path.join(__dirname, '.cache', 'vscode-state.json');

export function state(): IVscodeState {
  return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
}

/** A notebook of the workspace, as JSON. */
export function readNotebook(relativePath: string): any {
  return JSON.parse(
    fs.readFileSync(path.join(state().workspace, relativePath), 'utf8')
  );
}

/** Write `nb` into the workspace code-server opens; returns its file name. */
export function writeNotebook(name: string, nb: INotebook): string {
  fs.writeFileSync(
    path.join(state().workspace, name),
    JSON.stringify(nb, null, 1)
  );
  return name;
}

/** The workbench URL that opens `folder` and then `file` in it (VS Code's web `payload`). */
export function workbenchUrl(file?: string): string {
  const { url, workspace } = state();
  const host = new URL(url).host;
  let target = `${url}/?folder=${encodeURIComponent(workspace)}`;
  if (file) {
    const payload = [
      ['openFile', `vscode-remote://${host}${path.join(workspace, file)}`]
    ];
    target += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }
  return target;
}

/** The notebook editor showing `relativePath`. */
function notebookTab(page: Page, relativePath: string) {
  return page.locator('.tabs-container .tab', {
    hasText: path.basename(relativePath)
  });
}

/**
 * Open the workspace, then `relativePath` (a notebook in it) by Quick Open;
 * resolves once the notebook editor shows it. The URL's `payload` (see
 * workbenchUrl) opens the file too early: before the built-in ipynb extension
 * has registered the notebook type, so it shows as JSON text. Quick Open is
 * retried until the file opens as a notebook (the text editor is closed
 * between tries).
 */
export async function openNotebook(
  page: Page,
  relativePath: string,
  timeout = 90000
): Promise<void> {
  await page.goto(workbenchUrl());
  await expect(page.locator('.monaco-workbench')).toBeVisible({
    timeout: 60000
  });
  const name = path.basename(relativePath);
  await expect(
    page.getByRole('treeitem', { name, exact: true }).first()
  ).toBeVisible({ timeout: 60000 });
  const editor = page.locator('.notebookOverlay').first();
  const tab = notebookTab(page, relativePath);
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await expect(input).toBeVisible();
    await input.fill(relativePath);
    await expect(
      page.locator('.quick-input-list .monaco-list-row').first()
    ).toContainText(name);
    await page.keyboard.press('Enter');
    await expect(tab).toBeVisible();
    try {
      await expect(editor).toBeVisible({ timeout: 3000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
    }
    // Opened as text: close it, so the next Quick Open does not just focus it.
    await tab.getByRole('button', { name: /^Close/ }).click();
    await expect(tab).toHaveCount(0);
    await page.waitForTimeout(1000);
  }
}

/**
 * The frame holding a notebook's rendered outputs: the webview iframe
 * (`iframe.webview`), then its inner frame (`#active-frame`; named
 * `pending-frame` when it was created). Waits until it exists and has rendered
 * at least one output.
 */
export async function outputFrame(page: Page, timeout = 60000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.isDetached() || frame === page.mainFrame()) {
        continue;
      }
      try {
        const outputs = await frame.evaluate(
          () => document.querySelectorAll('.output').length
        );
        if (outputs > 0) {
          return frame;
        }
      } catch {
        // navigating or detached: try again
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no notebook output webview after ${timeout} ms`);
}

/**
 * Scroll the active notebook from top to bottom, so that VS Code (which
 * renders the cells near the viewport) has created every cell's outputs in
 * the webview; then back to the top.
 */
export async function renderAllOutputs(page: Page): Promise<void> {
  await hoverNotebook(page);
  for (const delta of [100, -100]) {
    let last = '';
    for (;;) {
      for (let i = 0; i < 8; i++) {
        await page.mouse.wheel(0, delta);
      }
      await page.waitForTimeout(100);
      const position = await listPosition(page);
      if (position === last) {
        break;
      }
      last = position;
    }
  }
}

/**
 * Put the mouse over the notebook's left gutter, where the wheel scrolls its
 * cell list (over an output, the wheel goes to the output first).
 */
async function hoverNotebook(page: Page): Promise<void> {
  const box = await page.locator('.notebookOverlay').first().boundingBox();
  if (!box) {
    throw new Error('no notebook editor to scroll');
  }
  await page.mouse.move(box.x + 12, box.y + box.height / 2);
}

/** The page y of the notebook's first rendered cell row, and its index: changes when the list scrolls. */
function listPosition(page: Page): Promise<string> {
  return page.evaluate(() => {
    const row = document.querySelector('.notebookOverlay .monaco-list-row');
    return row
      ? `${row.getAttribute('data-index')}@${Math.round(row.getBoundingClientRect().y)}`
      : '';
  });
}

/**
 * Scroll the active notebook until `target` (a locator in the output frame)
 * is visible: VS Code hides (visibility: hidden) the outputs of cells out of
 * view. Scrolls down from where the notebook is, then up. (The notebook moves
 * 50 px per wheel event, whatever the event's delta.)
 */
export async function scrollToOutput(
  page: Page,
  target: Locator
): Promise<void> {
  await hoverNotebook(page);
  for (const delta of [100, -100]) {
    let last = '';
    for (;;) {
      if (await target.isVisible()) {
        return;
      }
      for (let i = 0; i < 4; i++) {
        await page.mouse.wheel(0, delta);
      }
      await page.waitForTimeout(50);
      const position = await listPosition(page);
      if (position === last) {
        break; // at the end
      }
      last = position;
    }
  }
  await expect(target).toBeVisible();
}

/**
 * Switch the colour theme through the command palette (Preferences: Color
 * Theme), as a user does; resolves once the workbench shows it. VS Code saves
 * the choice in the user settings, so later tests start with it: switch back.
 */
export async function setTheme(page: Page, theme: string): Promise<void> {
  const kind = /high contrast light/i.test(theme)
    ? 'hc-light'
    : /high contrast/i.test(theme)
      ? 'hc-black'
      : /dark/i.test(theme)
        ? 'vs-dark'
        : 'vs';
  const workbench = page.locator('.monaco-workbench').first();
  const shown = new RegExp(`(^|\\s)${kind}(\\s|$)`);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await expect(input).toBeVisible();
  await input.fill('>Preferences: Color Theme');
  await page
    .locator('.quick-input-list .monaco-list-row', {
      hasText: 'Preferences: Color Theme'
    })
    .first()
    .click();
  // the theme picker replaces the command list
  await expect(input).not.toHaveValue(/^>/);
  await input.fill(theme);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.getByText(theme, { exact: true }) })
    .first();
  await row.click();
  await expect(page.locator('.quick-input-widget')).toBeHidden();
  await expect(workbench).toHaveClass(shown, { timeout: 30000 });
}

/**
 * Watch every request of the page's browser context (frames, workers, service
 * workers) for a host other than 127.0.0.1. `foreign()` lists those that left
 * the browser: requests a service worker answered did not (VS Code's webviews
 * load their resources from `https://*.vscode-resource.vscode-cdn.net/…`
 * URLs that their service worker serves from code-server).
 */
export function watchForeignRequests(page: Page): {
  foreign: () => Promise<string[]>;
} {
  const seen: Request[] = [];
  page.context().on('request', (request: Request) => {
    const url = request.url();
    if (/^(data|blob|about):/.test(url)) {
      return;
    }
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      // not a URL a request can go to: report it
    }
    if (host !== '127.0.0.1') {
      seen.push(request);
    }
  });
  return {
    foreign: async () => {
      const left: string[] = [];
      for (const request of seen) {
        const response = await request.response().catch(() => null);
        if (!response?.fromServiceWorker()) {
          left.push(`${request.method()} ${request.url()}`);
        }
      }
      return left;
    }
  };
}

/**
 * Scroll the active notebook until `target` (a locator in the output frame)
 * lies wholly inside the notebook editor, where a click reaches it (outside,
 * the workbench's overlay takes the pointer). `target` must be shorter than
 * the editor.
 */
export async function scrollIntoNotebook(
  page: Page,
  target: Locator
): Promise<void> {
  await scrollToOutput(page, target);
  await hoverNotebook(page);
  const editor = page.locator('.notebookOverlay').first();
  for (let step = 0; step < 200; step++) {
    const [box, view] = await Promise.all([
      target.boundingBox(),
      editor.boundingBox()
    ]);
    if (!box || !view) {
      throw new Error('the target or the notebook editor is not laid out');
    }
    if (box.y < view.y) {
      await page.mouse.wheel(0, -100);
    } else if (box.y + box.height > view.y + view.height) {
      await page.mouse.wheel(0, 100);
    } else {
      return;
    }
    await page.waitForTimeout(50);
  }
  throw new Error('could not scroll the target into the notebook editor');
}
