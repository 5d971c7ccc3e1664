/**
 * `npm run record-fixtures`: record real tracking-server responses for the
 * unit tests. Starts a real `mlflow server`, writes traces with MLflow's own
 * Python SDK (test/fixtures/write_traces.py), and saves, byte for byte, what
 * the server answers for each trace:
 *   test/fixtures/recorded/<label>.info.json    GET /api/3.0/mlflow/traces/{id}
 *   test/fixtures/recorded/<label>.spans.json   GET /ajax-api/3.0/mlflow/get-trace-artifact
 *   test/fixtures/recorded/expected.json        what the Python SDK says of each trace
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createRequire } from 'module';
import { setup } from './setup.mjs';

const require = createRequire(import.meta.url);
const { ROOT } = require('./lib/paths.cjs');
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

async function main() {
  setup();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-record-'));
  const server = await startMlflowServer({ dir });
  try {
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
  } finally {
    stopProcessGroup(server.pid);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(`record-fixtures failed: ${error.message}`);
  process.exit(1);
});
