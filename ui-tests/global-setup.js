/**
 * Start one real `mlflow server` for the UI tests, on the port pinned by
 * playwright.config.js (JupyterLab, started earlier as `webServer`, already has
 * MLFLOW_TRACKING_URI pointing there), and fill it with traces written by
 * MLflow's own Python SDK (test/fixtures/write_traces.py, ~25 s with the
 * 5,000-span trace).
 *
 * Tests read (set here, inherited by the workers; also in ui-tests/.cache/ui-state.json):
 *   UI_MLFLOW_TRACKING_URI   the server's URL
 *   UI_EXPECTED_JSON         what the Python SDK says of each fixture trace
 *   UI_QUICKSTART_EXECUTED   examples/quickstart.ipynb as executed on a real
 *                            tslab kernel against that server
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  startMlflowServer,
  stopProcessGroup,
  writeSdkTraces
} = require('../scripts/lib/mlflow-server.cjs');
const { executeNotebook } = require('../scripts/lib/notebook-run.cjs');

const STATE = path.join(__dirname, '.cache', 'ui-state.json');

module.exports = async function globalSetup() {
  const started = Date.now();
  fs.mkdirSync(path.dirname(STATE), { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-traces-ui-'));
  const server = await startMlflowServer({
    dir,
    port: Number(process.env.UI_MLFLOW_PORT) || undefined
  });
  const state = {
    trackingUri: server.url,
    pid: server.pid,
    dir,
    expectedPath: path.join(dir, 'expected.json')
  };
  fs.writeFileSync(STATE, JSON.stringify(state, null, 1));
  const serverUp = Date.now();
  try {
    writeSdkTraces({
      url: server.url,
      experiment: 'fixtures',
      expectedPath: state.expectedPath
    });
  } catch (error) {
    stopProcessGroup(server.pid);
    throw error;
  }
  // The executed quickstart, as `npm run demo -- --execute` makes it.
  const quickstart = path.join(
    path.dirname(STATE),
    'quickstart.executed.ipynb'
  );
  try {
    await executeNotebook({
      input: 'quickstart.ipynb',
      output: quickstart,
      trackingUri: server.url
    });
  } catch (error) {
    stopProcessGroup(server.pid);
    throw error;
  }
  process.env.UI_QUICKSTART_EXECUTED = quickstart;
  state.quickstartPath = quickstart;
  fs.writeFileSync(STATE, JSON.stringify(state, null, 1));
  process.env.UI_MLFLOW_TRACKING_URI = server.url;
  process.env.UI_EXPECTED_JSON = state.expectedPath;
  const seconds = ms => (ms / 1000).toFixed(1);
  console.log(
    `[ui-setup] mlflow ${server.url}: server up in ${seconds(serverUp - started)} s, ` +
      `traces written in ${seconds(Date.now() - serverUp)} s`
  );
};
