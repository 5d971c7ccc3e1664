/** Stop the tracking server started by global-setup.js and remove its data. */
const fs = require('fs');
const path = require('path');
const { stopProcessGroup } = require('../scripts/lib/mlflow-server.cjs');

const STATE = path.join(__dirname, '.cache', 'ui-state.json');

module.exports = async function globalTeardown() {
  if (!fs.existsSync(STATE)) {
    return;
  }
  const state = JSON.parse(fs.readFileSync(STATE, 'utf8'));
  stopProcessGroup(state.pid);
  await new Promise(resolve => setTimeout(resolve, 500));
  stopProcessGroup(state.pid, 'SIGKILL');
  fs.rmSync(state.dir, { recursive: true, force: true });
  fs.rmSync(STATE, { force: true });
};
