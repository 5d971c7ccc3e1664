/**
 * `npm run record-fixtures`: record real tracking-server responses for the
 * unit tests. Starts a real `mlflow server`, writes traces with MLflow's own
 * Python SDK (test/fixtures/write_traces.py), and saves, byte for byte, what
 * the server answers for each trace:
 *   test/fixtures/recorded/<label>.info.json    GET /api/3.0/mlflow/traces/{id}
 *   test/fixtures/recorded/<label>.spans.json   GET /ajax-api/3.0/mlflow/get-trace-artifact
 *   test/fixtures/recorded/expected.json        what the Python SDK says of each trace
 *   test/fixtures/recorded/cost/                the same of the traces with LLM cost
 *       (test/fixtures/write_cost_traces.py), and their search page, search.json
 * `node scripts/record-fixtures.mjs cost` records the cost traces only.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createRequire } from 'module';
import { setup } from './setup.mjs';

const require = createRequire(import.meta.url);
const { execFileSync } = require('child_process');
const { PYTHON, ROOT } = require('./lib/paths.cjs');
const {
  startMlflowServer,
  stopProcessGroup,
  writeSdkTraces
} = require('./lib/mlflow-server.cjs');

const OUT = path.join(ROOT, 'test', 'fixtures', 'recorded');

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return response.text();
}

/** The cost traces, their infos and spans as the server answers, and the search page of them. */
async function recordCost(url) {
  const out = path.join(OUT, 'cost');
  const written = execFileSync(
    PYTHON,
    [path.join(ROOT, 'test', 'fixtures', 'write_cost_traces.py'), 'cost'],
    { encoding: 'utf8', env: { ...process.env, MLFLOW_TRACKING_URI: url } }
  );
  const expected = JSON.parse(written.trim().split('\n').pop());
  fs.mkdirSync(out, { recursive: true });
  for (const [label, trace] of Object.entries(expected.traces)) {
    const id = encodeURIComponent(trace.trace_id);
    const info = await fetchText(`${url}/api/3.0/mlflow/traces/${id}`);
    const spans = await fetchText(
      `${url}/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${id}`
    );
    fs.writeFileSync(path.join(out, `${label}.info.json`), info);
    fs.writeFileSync(path.join(out, `${label}.spans.json`), spans);
    console.log(`recorded cost/${label}: ${trace.trace_id}`);
  }
  const search = await fetch(`${url}/api/3.0/mlflow/traces/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      locations: [
        {
          type: 'MLFLOW_EXPERIMENT',
          mlflow_experiment: { experiment_id: expected.experiment_id }
        }
      ],
      order_by: ['timestamp_ms ASC']
    })
  });
  fs.writeFileSync(path.join(out, 'search.json'), await search.text());
  fs.writeFileSync(
    path.join(out, 'expected.json'),
    JSON.stringify(expected, null, 1) + '\n'
  );
}

async function main() {
  const costOnly = process.argv[2] === 'cost';
  if (!costOnly) {
    // The cost traces need only the .venv, not a build of the extension
    setup();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-record-'));
  const server = await startMlflowServer({ dir });
  try {
    if (costOnly) {
      await recordCost(server.url);
      return;
    }
    const expected = writeSdkTraces({
      url: server.url,
      experiment: 'fixtures',
      expectedPath: path.join(dir, 'expected.json'),
      skipBig: true
    });
    fs.mkdirSync(OUT, { recursive: true });
    for (const [label, trace] of Object.entries(expected.traces)) {
      const id = encodeURIComponent(trace.trace_id);
      const info = await fetchText(`${server.url}/api/3.0/mlflow/traces/${id}`);
      const spans = await fetchText(
        `${server.url}/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${id}`
      );
      fs.writeFileSync(path.join(OUT, `${label}.info.json`), info);
      fs.writeFileSync(path.join(OUT, `${label}.spans.json`), spans);
      console.log(
        `recorded ${label}: ${trace.trace_id} (${trace.span_count} spans)`
      );
    }
    delete expected.tracking_uri;
    fs.writeFileSync(
      path.join(OUT, 'expected.json'),
      JSON.stringify(expected, null, 1) + '\n'
    );
    await recordCost(server.url);
  } finally {
    stopProcessGroup(server.pid);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(`record-fixtures failed: ${error.message}`);
  process.exit(1);
});
