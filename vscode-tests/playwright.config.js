/**
 * Playwright configuration for the VS Code tests: our .vsix in a real VS Code
 * (code-server 4.100.3 from npm, cached outside the repo), Debian's Chromium
 * (no Playwright browser download), a real `mlflow server`, and notebooks
 * executed on real kernels against it (global-setup.js).
 *
 * Run: `node scripts/test.mjs --only vscode`, or directly
 *      `npx playwright test -c vscode-tests/playwright.config.js`.
 *
 * Environment (all optional):
 *   CHROMIUM_PATH                browser binary (default /usr/bin/chromium)
 *   PLAYWRIGHT_JSON_OUTPUT_NAME  where the JSON report goes (default vscode-tests/.cache/results.json)
 */
const path = require('path');
const { CHROMIUM, CHROMIUM_ARGS } = require('../scripts/lib/paths.cjs');

const CACHE = path.join(__dirname, '.cache');

module.exports = {
  testDir: path.join(__dirname, 'tests'),
  outputDir: path.join(CACHE, 'test-results'),
  globalSetup: require.resolve('./global-setup.js'),
  globalTeardown: require.resolve('./global-teardown.js'),
  workers: 1, // a 2-core machine runs code-server, mlflow and Chromium already
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 120 * 1000,
  expect: { timeout: 30 * 1000 },
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ||
          path.join(CACHE, 'results.json')
      }
    ]
  ],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 1000 },
    trace: 'retain-on-failure',
    video: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || CHROMIUM,
      args: [...CHROMIUM_ARGS, '--disable-lcd-text']
    }
  }
};
