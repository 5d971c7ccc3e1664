/**
 * Everything the VS Code specs open, started once:
 *   1. our .vsix, packaged by `npm run package:vscode` (dist/jupyterlab-mlflow-traces.vsix)
 *   2. code-server 4.100.3, installed into the cache outside the repo if missing
 *   3. a real `mlflow server`, and the TypeScript (tslab) and Python (ipykernel)
 *      quickstarts executed against it, copied into the workspace code-server opens
 *   4. the .vsix installed with --install-extension, code-server started with
 *      MLFLOW_TRACKING_URI pointing at that server
 *
 * Specs read vscode-tests/.cache/vscode-state.json (see workbench.ts `state()`).
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  startMlflowServer,
  stopProcessGroup
} = require('../scripts/lib/mlflow-server.cjs');
const { executeNotebook } = require('../scripts/lib/notebook-run.cjs');
const {
  ensureCodeServer,
  installExtension,
  startCodeServer,
  writeUserSettings
} = require('../scripts/lib/code-server.cjs');
const { ROOT } = require('../scripts/lib/paths.cjs');

const STATE = path.join(__dirname, '.cache', 'vscode-state.json');
const VSIX = path.join(ROOT, 'dist', 'jupyterlab-mlflow-traces.vsix');

const seconds = ms => (ms / 1000).toFixed(1);

/** `npm run package:vscode` (a few seconds): dist/jupyterlab-mlflow-traces.vsix from the current sources. */
function packageVsix() {
  const started = Date.now();
  try {
    execFileSync('npm', ['run', '--silent', 'package:vscode'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    });
  } catch (error) {
    throw new Error(
      `npm run package:vscode failed: ${String(error.stderr || '').slice(-2000)}${String(error.stdout || '').slice(-2000)}`
    );
  }
  if (!fs.existsSync(VSIX) || fs.statSync(VSIX).mtimeMs < started - 1000) {
    throw new Error(`npm run package:vscode did not write ${VSIX}`);
  }
  return VSIX;
}

/** With VSCODE_TESTS_KEEP=1 the last run's servers stay up (teardown skips them) and are reused. */
async function reusable() {
  if (!process.env.VSCODE_TESTS_KEEP || !fs.existsSync(STATE)) {
    return false;
  }
  const { url } = JSON.parse(fs.readFileSync(STATE, 'utf8'));
  try {
    return url ? (await fetch(`${url}/healthz`)).ok : false;
  } catch {
    return false;
  }
}

module.exports = async function globalSetup() {
  if (await reusable()) {
    console.log(
      '[vscode-setup] VSCODE_TESTS_KEEP: reusing the servers of the last run'
    );
    return;
  }
  const state = {};
  try {
    await setUp(state);
  } catch (error) {
    // Playwright runs no teardown for a setup that threw.
    for (const pid of state.pids || []) {
      stopProcessGroup(pid);
    }
    throw error;
  }
};

async function setUp(state) {
  const started = Date.now();
  fs.mkdirSync(path.dirname(STATE), { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-traces-vscode-'));
  const workspace = path.join(dir, 'workspace');
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  fs.mkdirSync(workspace, { recursive: true });
  Object.assign(state, {
    dir,
    workspace,
    userDataDir,
    extensionsDir,
    pids: []
  });
  const save = () => fs.writeFileSync(STATE, JSON.stringify(state, null, 1));
  save();

  const vsix = packageVsix();
  const packaged = Date.now();
  await ensureCodeServer();
  const installed = Date.now();

  const server = await startMlflowServer({ dir: path.join(dir, 'mlflow') });
  state.trackingUri = server.url;
  state.pids.push(server.pid);
  save();
  const serverUp = Date.now();
  // Both kernels at once: the 2 cores are mostly waiting on kernel start-up.
  const notebooks = {
    python: {
      input: 'python-quickstart.ipynb',
      name: 'python-quickstart.ipynb'
    },
    typescript: { input: 'quickstart.ipynb', name: 'quickstart.ipynb' }
  };
  await Promise.all(
    Object.values(notebooks).map(({ input, name }) =>
      executeNotebook({
        input,
        output: path.join(workspace, name),
        trackingUri: server.url,
        timeoutMs: 300 * 1000
      })
    )
  );
  state.notebooks = Object.fromEntries(
    Object.entries(notebooks).map(([key, { name }]) => [key, name])
  );
  save();
  const executed = Date.now();

  writeUserSettings(userDataDir);
  state.vsix = vsix;
  await installExtension(vsix, extensionsDir, userDataDir);
  const codeServer = await startCodeServer({
    userDataDir,
    extensionsDir,
    workspaceDir: workspace,
    env: { MLFLOW_TRACKING_URI: server.url }
  });
  state.url = codeServer.url;
  state.codeServerLog = codeServer.logFile;
  state.pids.push(codeServer.pid);
  save();
  console.log(
    `[vscode-setup] vsix packaged in ${seconds(packaged - started)} s, ` +
      `code-server ready in ${seconds(installed - packaged)} s, mlflow ${server.url} up in ` +
      `${seconds(serverUp - installed)} s, quickstarts executed in ${seconds(executed - serverUp)} s, ` +
      `code-server ${codeServer.url} up in ${seconds(Date.now() - executed)} s`
  );
}
