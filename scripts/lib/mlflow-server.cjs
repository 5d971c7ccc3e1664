/**
 * Start and stop a real `mlflow server` from the project's .venv: sqlite
 * backend and artifacts in a directory of the caller's, on a free port of
 * 127.0.0.1, and fill it with traces from MLflow's Python SDK. Used by the
 * integration and UI tests, the demo, the bench and the fixture recorder.
 */
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { MLFLOW, PYTHON, ROOT, venvEnv } = require('./paths.cjs');

/** Ask the OS for a port nobody is listening on. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `mlflow server exited with code ${child.exitCode}; see ${logFile}:\n` +
          fs.readFileSync(logFile, 'utf8').slice(-2000)
      );
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`mlflow server at ${url} not healthy after ${timeoutMs} ms; see ${logFile}`);
}

/**
 * Start a server whose data lives under `dir`. Resolves once /health answers.
 * `extraArgs` are passed to `mlflow server` (e.g. `--app-name basic-auth`).
 * `backendStoreUri` puts the traces in another database (PostgreSQL, see
 * postgres.cjs) instead of sqlite under `dir`.
 */
async function startMlflowServer({
  dir,
  port,
  extraArgs = [],
  timeoutMs = 90000,
  env = {},
  backendStoreUri
}) {
  fs.mkdirSync(dir, { recursive: true });
  const chosenPort = port || (await freePort());
  const url = `http://127.0.0.1:${chosenPort}`;
  const logFile = path.join(dir, 'server.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    MLFLOW,
    [
      'server',
      '--backend-store-uri',
      backendStoreUri || `sqlite:///${path.join(dir, 'mlflow.db')}`,
      '--default-artifact-root',
      path.join(dir, 'artifacts'),
      '--host',
      '127.0.0.1',
      '--port',
      String(chosenPort),
      '--workers',
      '1',
      ...extraArgs
    ],
    { env: venvEnv(env), stdio: ['ignore', log, log], detached: true }
  );
  fs.closeSync(log);
  try {
    await waitForHealth(url, child, logFile, timeoutMs);
  } catch (error) {
    stopProcessGroup(child.pid);
    throw error;
  }
  return { url, port: chosenPort, pid: child.pid, logFile, child };
}

/**
 * Start a server with MLflow's basic-auth app: `username` / `password` is its
 * admin, everyone else may read. Its auth database lives under `dir` too.
 */
async function startBasicAuthMlflowServer({ dir, username, password, extraArgs = [], ...rest }) {
  fs.mkdirSync(dir, { recursive: true });
  const ini = path.join(dir, 'basic_auth.ini');
  fs.writeFileSync(
    ini,
    [
      '[mlflow]',
      'default_permission = READ',
      `database_uri = sqlite:///${path.join(dir, 'basic_auth.db')}`,
      `admin_username = ${username}`,
      `admin_password = ${password}`,
      'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
      ''
    ].join('\n')
  );
  return startMlflowServer({
    dir,
    ...rest,
    extraArgs: ['--app-name', 'basic-auth', ...extraArgs],
    env: {
      ...rest.env,
      MLFLOW_AUTH_CONFIG_PATH: ini,
      MLFLOW_FLASK_SERVER_SECRET_KEY: `test-${Date.now()}`
    }
  });
}

/**
 * Write the reference traces with MLflow's own Python SDK
 * (test/fixtures/write_traces.py) into the server at `url`, experiment
 * `experiment`; returns what the script says it wrote. `skipBig` leaves out
 * the 5,000-span trace; `env` adds to the SDK's environment (credentials).
 * A failure throws with the end of the script's stderr.
 */
function writeSdkTraces({ url, experiment, expectedPath, skipBig = false, env = {} }) {
  const args = [path.join(ROOT, 'test', 'fixtures', 'write_traces.py'), url, experiment, expectedPath];
  try {
    execFileSync(PYTHON, skipBig ? [...args, '--skip-big'] : args, {
      env: venvEnv({ MLFLOW_TRACKING_URI: url, ...env }),
      stdio: ['ignore', 'ignore', 'pipe']
    });
  } catch (error) {
    const stderr = error.stderr ? error.stderr.toString().slice(-2000) : String(error);
    throw new Error(`write_traces.py failed: ${stderr}`);
  }
  return JSON.parse(fs.readFileSync(expectedPath, 'utf8'));
}

/** Stop a process started with `detached: true` and everything it spawned. */
function stopProcessGroup(pid, signal = 'SIGTERM') {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

module.exports = {
  freePort,
  startBasicAuthMlflowServer,
  startMlflowServer,
  stopProcessGroup,
  writeSdkTraces
};
