/**
 * Start and stop a real `mlflow server` from the project's .venv: sqlite
 * backend and artifacts in a directory of the caller's, on a free port of
 * 127.0.0.1. Used by the integration tests, the demo and the fixture recorder.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { MLFLOW, venvEnv } = require('./paths.cjs');

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
 */
async function startMlflowServer({ dir, port, extraArgs = [], timeoutMs = 90000, env = {} }) {
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
      `sqlite:///${path.join(dir, 'mlflow.db')}`,
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

/** Stop a process started with `detached: true` and everything it spawned. */
function stopProcessGroup(pid, signal = 'SIGTERM') {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

module.exports = { freePort, startMlflowServer, stopProcessGroup };
