/**
 * Stop code-server and the tracking server started by global-setup.js, and remove their data
 * (not with VSCODE_TESTS_KEEP=1: the next run reuses them).
 */
const fs = require('fs');
const path = require('path');
const { stopProcessGroup } = require('../scripts/lib/mlflow-server.cjs');

const STATE = path.join(__dirname, '.cache', 'vscode-state.json');

module.exports = async function globalTeardown() {
  if (!fs.existsSync(STATE) || process.env.VSCODE_TESTS_KEEP) {
    return;
  }
  const state = JSON.parse(fs.readFileSync(STATE, 'utf8'));
  for (const pid of state.pids || []) {
    stopProcessGroup(pid);
  }
  await new Promise(resolve => setTimeout(resolve, 1000));
  for (const pid of state.pids || []) {
    stopProcessGroup(pid, 'SIGKILL');
  }
  fs.rmSync(state.dir, { recursive: true, force: true });
  fs.rmSync(STATE, { force: true });
};
