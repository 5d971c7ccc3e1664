/**
 * Driving the VS Code workbench (code-server) from Playwright: what
 * global-setup.js started, opening a notebook of its workspace, reaching the
 * webview that holds a notebook's rendered outputs, switching the colour theme,
 * and watching that the page talks to nobody but 127.0.0.1.
 */
import fs from 'fs';
import path from 'path';
import { expect } from '@playwright/test';
import type { Frame, Page, Request } from '@playwright/test';

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
  /** The installed .vsix, or null when none was packaged. */
  vsix: string | null;
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
 * the webview; ends back at the top.
 */
export async function renderAllOutputs(page: Page): Promise<void> {
  const list = page
    .locator('.notebookOverlay .monaco-scrollable-element')
    .first();
  await list.hover();
  let last = -1;
  for (let step = 0; step < 200; step++) {
    const top = await list.evaluate(node => {
      const scroller = node.querySelector('.monaco-list-rows') as HTMLElement;
      return scroller
        ? Math.round(Number(scroller.style.top.replace('px', '')) || 0)
        : 0;
    });
    if (top === last) {
      break;
    }
    last = top;
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(150);
  }
  await page.keyboard.press('Control+Home');
}

/**
 * Switch the colour theme by rewriting the user settings.json (VS Code watches
 * it); resolves once the workbench shows the new theme.
 */
export async function setTheme(page: Page, theme: string): Promise<void> {
  const file = path.join(state().userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  settings['workbench.colorTheme'] = theme;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  const kind = /high contrast light/i.test(theme)
    ? 'hc-light'
    : /high contrast/i.test(theme)
      ? 'hc-black'
      : /dark/i.test(theme)
        ? 'vs-dark'
        : 'vs';
  await expect(page.locator('.monaco-workbench').first()).toHaveClass(
    new RegExp(`(^|\\s)${kind}(\\s|$)`),
    { timeout: 30000 }
  );
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
