/**
 * `npm run demo`: install what is missing, start a real MLflow tracking server
 * (sqlite under .demo/) and JupyterLab with this extension, open the
 * TypeScript quickstart (examples/quickstart.ipynb) beside the Python one
 * (examples/python-quickstart.ipynb), print the URLs, and stop both on Ctrl-C.
 *
 * `npm run demo -- --execute`: instead of JupyterLab, run both quickstarts and
 * examples/queries.ipynb headlessly on their real kernels (tslab, ipykernel)
 * against that server, write .demo/<name>.executed.ipynb and .demo/<name>.html
 * for each, and exit.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
import { setup } from './setup.mjs';

const require = createRequire(import.meta.url);
const { ROOT, JUPYTER, PYTHON, venvEnv } = require('./lib/paths.cjs');
const {
  freePort,
  startMlflowServer,
  stopProcessGroup
} = require('./lib/mlflow-server.cjs');

const DEMO_DIR = path.join(ROOT, '.demo');
const NOTEBOOKS = ['quickstart', 'python-quickstart', 'queries'].map(name => ({
  source: path.join(ROOT, 'examples', `${name}.ipynb`),
  executed: path.join(DEMO_DIR, `${name}.executed.ipynb`),
  exported: path.join(DEMO_DIR, `${name}.html`)
}));

/** Runs one example on its kernel (nbclient) and exports it to HTML. */
function executeNotebook(notebook, trackingUri) {
  execFileSync(
    PYTHON,
    [
      path.join(ROOT, 'test', 'fixtures', 'run_notebook.py'),
      notebook.source,
      notebook.executed,
      '--html',
      notebook.exported
    ],
    {
      env: venvEnv({ MLFLOW_TRACKING_URI: trackingUri }),
      stdio: ['ignore', 'ignore', 'inherit']
    }
  );
}
const ANSI_COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

async function portOr(preferred) {
  const probe = await freePort();
  // Prefer the well-known port when nothing listens on it.
  try {
    await fetch(`http://127.0.0.1:${preferred}/`);
    return probe;
  } catch {
    return preferred;
  }
}

function extensionStatus() {
  // JupyterLab 4 prints the extension list on stderr.
  const result = spawnSync(JUPYTER, ['labextension', 'list'], {
    env: venvEnv({ NO_COLOR: '1' }),
    encoding: 'utf8'
  });
  const line = `${result.stdout}${result.stderr}`
    .split('\n')
    .find(l => l.includes('jupyterlab-mlflow-traces'));
  return line
    ? line.replace(ANSI_COLOURS, '').trim()
    : 'jupyterlab-mlflow-traces NOT listed';
}

const WORKSPACE_ID = 'mlflow-traces-demo';

/** A JupyterLab workspace that opens both quickstarts side by side. */
function writeDemoWorkspace(workspacesDir) {
  const notebooks = ['quickstart.ipynb', 'python-quickstart.ipynb'];
  const data = {
    'layout-restorer:data': {
      main: {
        dock: {
          type: 'split-area',
          orientation: 'horizontal',
          sizes: [0.5, 0.5],
          children: notebooks.map(name => ({
            type: 'tab-area',
            currentIndex: 0,
            widgets: [`notebook:${name}`]
          }))
        },
        current: `notebook:${notebooks[0]}`
      }
    }
  };
  for (const name of notebooks) {
    data[`notebook:${name}`] = { data: { path: name, factory: 'Notebook' } };
  }
  fs.mkdirSync(workspacesDir, { recursive: true });
  fs.writeFileSync(
    path.join(workspacesDir, `${WORKSPACE_ID}.jupyterlab-workspace`),
    JSON.stringify({ data, metadata: { id: WORKSPACE_ID } }, null, 1)
  );
}

async function startJupyterLab(trackingUri) {
  const port = await portOr(8888);
  const token = randomBytes(16).toString('hex');
  const logFile = path.join(DEMO_DIR, 'jupyterlab.log');
  const workspacesDir = path.join(DEMO_DIR, 'workspaces');
  writeDemoWorkspace(workspacesDir);
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    JUPYTER,
    [
      'lab',
      '--no-browser',
      `--port=${port}`,
      '--ip=127.0.0.1',
      `--ServerApp.root_dir=${path.join(ROOT, 'examples')}`,
      `--IdentityProvider.token=${token}`,
      `--LabApp.workspaces_dir=${workspacesDir}`,
      // Containers and CI machines often run as root, which JupyterLab refuses without this.
      ...(process.getuid?.() === 0 ? ['--allow-root'] : [])
    ],
    {
      env: venvEnv({ MLFLOW_TRACKING_URI: trackingUri }),
      stdio: ['ignore', log, log],
      detached: true
    }
  );
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}/lab?token=${token}`;
  const deadline = Date.now() + 90000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `JupyterLab exited with code ${child.exitCode}; see ${logFile}`
      );
    }
    try {
      const response = await fetch(
        `http://127.0.0.1:${port}/api/status?token=${token}`
      );
      if (response.ok) {
        return { url, pid: child.pid, logFile };
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 300));
  }
  throw new Error(`JupyterLab did not start within 90 s; see ${logFile}`);
}

async function main() {
  setup();
  fs.mkdirSync(DEMO_DIR, { recursive: true });
  const mlflowPort = await portOr(5000);
  const server = await startMlflowServer({
    dir: path.join(DEMO_DIR, 'mlflow'),
    port: mlflowPort
  });
  let lab;
  const stop = () => {
    console.log('\nStopping JupyterLab and the MLflow server…');
    if (lab) {
      stopProcessGroup(lab.pid);
    }
    stopProcessGroup(server.pid);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (process.argv.includes('--execute')) {
    try {
      for (const notebook of NOTEBOOKS) {
        executeNotebook(notebook, server.url);
      }
    } finally {
      stopProcessGroup(server.pid);
    }
    console.log(
      `MLflow tracking server: ${server.url} (stopped; data in .demo/mlflow)`
    );
    for (const notebook of NOTEBOOKS) {
      console.log(
        `Executed notebook:      ${path.relative(ROOT, notebook.executed)}`
      );
      console.log(
        `HTML export:            ${path.relative(ROOT, notebook.exported)}`
      );
    }
    return;
  }
  try {
    lab = await startJupyterLab(server.url);
  } catch (error) {
    stopProcessGroup(server.pid);
    throw error;
  }
  console.log('');
  console.log(
    `MLflow tracking server: ${server.url}   (data in .demo/mlflow, log ${server.logFile})`
  );
  console.log(`JupyterLab:             ${lab.url}   (log ${lab.logFile})`);
  console.log(
    `Both quickstarts:       ${lab.url.replace('/lab?', `/lab/workspaces/${WORKSPACE_ID}?`)}`
  );
  console.log(
    `TypeScript quickstart:  ${lab.url.replace('/lab?', '/lab/tree/quickstart.ipynb?')}`
  );
  console.log(
    `Python quickstart:      ${lab.url.replace('/lab?', '/lab/tree/python-quickstart.ipynb?')}`
  );
  console.log(`Extension:              ${extensionStatus()}`);
  console.log('\nPress Ctrl-C to stop both.');
  // Keep running until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

main().catch(error => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
