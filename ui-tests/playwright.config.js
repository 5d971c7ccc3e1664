/**
 * Playwright/galata configuration for the UI tests: real JupyterLab from the
 * project's .venv, Debian's Chromium (no Playwright browser download), and a
 * real `mlflow server` filled by MLflow's Python SDK (global-setup.js).
 *
 * Run: `node scripts/test.mjs --only ui`, or directly
 *      `npx playwright test -c ui-tests/playwright.config.js`.
 *
 * Environment (all optional):
 *   CHROMIUM_PATH                browser binary (default /usr/bin/chromium)
 *   UI_JUPYTER_PORT              JupyterLab port (default 8888 if free, else a free port)
 *   UI_MLFLOW_PORT               tracking-server port (default: a free port)
 *   JUPYTERLAB_GALATA_ROOT_DIR   JupyterLab's root dir (default ui-tests/.cache/lab-root)
 *   UI_SERVER_LOG=1              show JupyterLab's log
 *   PLAYWRIGHT_JSON_OUTPUT_NAME  where the JSON report goes (default ui-tests/.cache/results.json)
 *
 * Order matters: Playwright starts `webServer` BEFORE `globalSetup` (runner
 * tasks: plugins, then global setups). JupyterLab must still know the tracking
 * URI, so the ports are chosen here, once, in the runner process, and pinned in
 * process.env: the workers (which load this file again) inherit them, and
 * global-setup.js starts mlflow on the pinned port.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const {
  ROOT,
  JUPYTER,
  CHROMIUM,
  CHROMIUM_ARGS,
  venvEnv
} = require('../scripts/lib/paths.cjs');

const CACHE = path.join(__dirname, '.cache');

/** A port that is free now: `preferred` if it is, else one the OS picks. Synchronous. */
function pickPort(preferred) {
  const script = `
    const net = require('net');
    const tryListen = port => new Promise(resolve => {
      const s = net.createServer();
      s.once('error', () => resolve(null));
      s.listen(port, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
    (async () => {
      let port = ${Number(preferred) || 0} ? await tryListen(${Number(preferred) || 0}) : null;
      if (!port) port = await tryListen(0);
      process.stdout.write(String(port));
    })();`;
  return execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8'
  }).trim();
}

if (!process.env.UI_JUPYTER_PORT) {
  process.env.UI_JUPYTER_PORT = pickPort(8888);
}
if (!process.env.UI_MLFLOW_PORT) {
  process.env.UI_MLFLOW_PORT = pickPort(0);
}
if (!process.env.JUPYTERLAB_GALATA_ROOT_DIR) {
  // Known, so a test can reach files on disk; galata's tmpPath cleans each test's files.
  process.env.JUPYTERLAB_GALATA_ROOT_DIR = path.join(CACHE, 'lab-root');
}
fs.mkdirSync(process.env.JUPYTERLAB_GALATA_ROOT_DIR, { recursive: true });
process.env.UI_MLFLOW_TRACKING_URI = `http://127.0.0.1:${process.env.UI_MLFLOW_PORT}`;

const BASE_URL = `http://127.0.0.1:${process.env.UI_JUPYTER_PORT}`;
const CONFIG_PY = path.join(__dirname, 'jupyter_server_test_config.py');

module.exports = {
  ...baseConfig,
  testDir: path.join(__dirname, 'tests'),
  outputDir: path.join(CACHE, 'test-results'),
  globalSetup: require.resolve('./global-setup.js'),
  globalTeardown: require.resolve('./global-teardown.js'),
  workers: 1, // a 2-core machine runs JupyterLab, mlflow and Chromium already
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
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
    ...baseConfig.use,
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    video: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || CHROMIUM,
      // No LCD text: screenshots do not depend on subpixel antialiasing
      args: [...CHROMIUM_ARGS, '--disable-lcd-text']
    }
  },
  webServer: {
    command: `"${JUPYTER}" lab --config "${CONFIG_PY}"`,
    cwd: ROOT,
    url: `${BASE_URL}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: process.env.UI_SERVER_LOG ? 'pipe' : 'ignore',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5000 },
    env: venvEnv({
      UI_JUPYTER_PORT: process.env.UI_JUPYTER_PORT,
      JUPYTERLAB_GALATA_ROOT_DIR: process.env.JUPYTERLAB_GALATA_ROOT_DIR,
      MLFLOW_TRACKING_URI: process.env.UI_MLFLOW_TRACKING_URI
    })
  }
};
