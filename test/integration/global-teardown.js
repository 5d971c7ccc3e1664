/** Stop the server started by global-setup.js and remove its data. */
const fs = require('fs');
const { stopProcessGroup } = require('../../scripts/lib/mlflow-server.cjs');

module.exports = async function globalTeardown() {
  const server = globalThis.__MLFLOW_TEST_SERVER__;
  if (!server) {
    return;
  }
  stopProcessGroup(server.pid);
  await new Promise(resolve => setTimeout(resolve, 500));
  stopProcessGroup(server.pid, 'SIGKILL');
  fs.rmSync(server.dir, { recursive: true, force: true });
};
