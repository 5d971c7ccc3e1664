/**
 * Opens a notebook in a running JupyterLab with Debian's Chromium
 * (playwright-core) and waits for the trace renderer's span tree.
 *
 * Usage: node trace_tree_in_browser.cjs URL [TIMEOUT_MS]
 *   URL  the notebook's page, token included (…/lab/tree/NAME.ipynb?token=…)
 * Prints one JSON line: { rows: [text of each rendered treeitem], pageErrors: [...] }.
 * Exits 1 when no trace tree with rows appears within the timeout.
 */
const { chromium } = require('playwright-core');
const { CHROMIUM, CHROMIUM_ARGS } = require('../../scripts/lib/paths.cjs');

/** The renderer's widget, its tree and rows (as ui-tests/trace-dom.ts names them). */
const ROWS = '.jp-MlflowTrace [role=tree] [role=treeitem]';

async function main() {
  const [url, timeoutArg] = process.argv.slice(2);
  const timeoutMs = Number(timeoutArg || 90000);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS
  });
  const pageErrors = [];
  let rows = [];
  let failure = null;
  try {
    const page = await browser.newPage();
    page.on('pageerror', error => pageErrors.push(String(error)));
    await page.goto(url, { timeout: timeoutMs });
    try {
      await page.locator(ROWS).first().waitFor({ timeout: timeoutMs });
      rows = await page.locator(ROWS).allTextContents();
    } catch (error) {
      failure = error;
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ rows, pageErrors }) + '\n');
  if (failure) {
    process.stderr.write(`no trace tree: ${failure.message}\n`);
    process.exit(1);
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
