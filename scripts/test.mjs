/**
 * `npm test`: install what is missing, run every test layer, and end with one
 * line that sums them all: `N passed, N failed, N skipped`.
 *
 * Layers run in order; a layer that crashes before reporting counts as one
 * failure, so a broken setup can never look green.
 *   --only unit,integration   run a subset (layers: unit, integration, python, ui, vscode)
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
import { setup } from './setup.mjs';

const require = createRequire(import.meta.url);
const { ROOT, venvEnv } = require('./lib/paths.cjs');

const RESULTS = path.join(ROOT, '.cache', 'results');

/** Every layer: how to run it, and where its JSON report lands. */
const LAYERS = [
  {
    name: 'unit',
    command: [
      'npx',
      'jest',
      '--config',
      'jest.config.js',
      '--json',
      '--outputFile'
    ],
    report: 'unit.json',
    read: readJestReport
  },
  {
    name: 'integration',
    command: [
      'npx',
      'jest',
      '--config',
      'jest.integration.config.js',
      '--json',
      '--outputFile'
    ],
    report: 'integration.json',
    read: readJestReport
  },
  {
    // pytest: the Python package (emitter, IPython extension) with real kernels and servers.
    name: 'python',
    command: [
      path.join('.venv', 'bin', 'python'),
      '-m',
      'pytest',
      'test/python',
      '-p',
      'no:cacheprovider',
      '-q',
      '--junitxml'
    ],
    report: 'python.xml',
    read: readJunitReport
  },
  {
    // galata + Playwright in a real JupyterLab with Debian's Chromium (ui-tests/).
    name: 'ui',
    command: [
      'npx',
      'playwright',
      'test',
      '-c',
      'ui-tests/playwright.config.js'
    ],
    report: 'ui.json',
    // The JSON reporter takes its output path from the environment, not argv.
    reportEnv: 'PLAYWRIGHT_JSON_OUTPUT_NAME',
    env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    read: readPlaywrightReport
  },
  {
    // Our .vsix in a real VS Code (code-server, installed into ~/.cache on first use)
    // driven by Playwright in Debian's Chromium (vscode-tests/).
    name: 'vscode',
    command: [
      'npx',
      'playwright',
      'test',
      '-c',
      'vscode-tests/playwright.config.js'
    ],
    report: 'vscode.json',
    reportEnv: 'PLAYWRIGHT_JSON_OUTPUT_NAME',
    env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    read: readPlaywrightReport
  }
];

function readJestReport(file) {
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const counts = {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + (report.numTodoTests || 0)
  };
  // A suite that fails to load (syntax error, failing beforeAll) has no failed test of its own.
  counts.failed += report.numRuntimeErrorTestSuites || 0;
  return counts;
}

/** Counts from pytest's JUnit XML: the totals of every <testsuite>. */
function readJunitReport(file) {
  const xml = fs.readFileSync(file, 'utf8');
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const match of xml.matchAll(/<testsuite\b([^>]*)>/g)) {
    const attribute = name =>
      Number((new RegExp(`\\b${name}="(\\d+)"`).exec(match[1]) || [])[1] || 0);
    const failed = attribute('failures') + attribute('errors');
    const skipped = attribute('skipped');
    counts.failed += failed;
    counts.skipped += skipped;
    counts.passed += attribute('tests') - failed - skipped;
  }
  return counts;
}

function readPlaywrightReport(file) {
  const { stats = {}, errors = [] } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const flaky = stats.flaky || 0;
  if (flaky) {
    console.log(`ui: ${flaky} flaky (passed on retry), counted as passed`);
  }
  return {
    passed: (stats.expected || 0) + flaky,
    // Errors outside any test (globalSetup, webServer, config) count as one failure.
    failed: stats.unexpected || 0 || (errors.length ? 1 : 0),
    skipped: stats.skipped || 0
  };
}

function runLayer(layer) {
  const reportPath = path.join(RESULTS, layer.report);
  fs.rmSync(reportPath, { force: true });
  console.log(`\n=== ${layer.name} ===`);
  const started = Date.now();
  const [command, ...args] = layer.command;
  const reportArgs = layer.reportEnv ? [] : [reportPath];
  const result = spawnSync(command, [...args, ...reportArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: venvEnv({
      CI: process.env.CI || 'true',
      ...(layer.env || {}),
      ...(layer.reportEnv ? { [layer.reportEnv]: reportPath } : {})
    })
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!fs.existsSync(reportPath)) {
    console.log(
      `${layer.name}: crashed before reporting (exit ${result.status}) after ${seconds} s`
    );
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const counts = layer.read(reportPath);
  if (result.status !== 0 && counts.failed === 0) {
    // The runner failed for a reason no test reported (e.g. globalSetup).
    counts.failed = 1;
  }
  console.log(
    `${layer.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${seconds} s`
  );
  return counts;
}

function main() {
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex > 0 ? process.argv[onlyIndex + 1].split(',') : null;
  const total = { passed: 0, failed: 0, skipped: 0 };
  try {
    setup();
  } catch (error) {
    console.error(`setup failed: ${error.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  for (const layer of LAYERS) {
    if (only && !only.includes(layer.name)) {
      continue;
    }
    const counts = runLayer(layer);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  if (total.passed === 0 && total.failed === 0) {
    console.log('no test ran');
    total.failed = 1;
  }
  console.log('');
  console.log(
    `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`
  );
  process.exit(total.failed > 0 ? 1 : 0);
}

main();
