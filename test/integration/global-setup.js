/**
 * Start one real `mlflow server` for all integration tests and fill it with
 * traces written by MLflow's own Python SDK (test/fixtures/write_traces.py).
 *
 * Tests read (set here, inherited by the jest workers):
 *   MLFLOW_TEST_TRACKING_URI               the server's URL
 *   MLFLOW_TEST_FIXTURES                   JSON path: what the Python SDK says of each fixture trace
 *   MLFLOW_TEST_FIXTURES_EXPERIMENT_ID     the experiment holding the fixture traces (read only)
 *   MLFLOW_TEST_EXPERIMENT_ID              an empty experiment the tests may write to
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  startMlflowServer,
  writeSdkTraces
} = require('../../scripts/lib/mlflow-server.cjs');

module.exports = async function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-traces-it-'));
  const server = await startMlflowServer({ dir });
  globalThis.__MLFLOW_TEST_SERVER__ = { ...server, dir };

  const expectedPath = path.join(dir, 'expected.json');
  const expected = writeSdkTraces({
    url: server.url,
    experiment: 'fixtures',
    expectedPath
  });

  const response = await fetch(
    `${server.url}/api/2.0/mlflow/experiments/create`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'writable' })
    }
  );
  const { experiment_id: writableId } = await response.json();

  process.env.MLFLOW_TEST_TRACKING_URI = server.url;
  process.env.MLFLOW_TEST_FIXTURES = expectedPath;
  process.env.MLFLOW_TEST_FIXTURES_EXPERIMENT_ID = expected.experiment_id;
  process.env.MLFLOW_TEST_EXPERIMENT_ID = writableId;
};
