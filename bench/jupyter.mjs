/**
 * JupyterLab for the bench (run.mjs, live.mjs): `jupyter lab` from the .venv with
 * galata's bench settings (bench/jupyter_bench_config.py: no token, `window.jupyterapp`),
 * on a free port of 127.0.0.1, serving `rootDir`.
 */
import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const { JUPYTER, venvEnv } = require('../scripts/lib/paths.cjs');
const {
  freePort,
  stopProcessGroup
} = require('../scripts/lib/mlflow-server.cjs');

/**
 * Start JupyterLab on `rootDir` (its log next to it); resolves to `{url, pid, logFile}`
 * once /api/status answers. With `labextensionDir`, that labextension is served first
 * (through `JUPYTER_PATH`: the first extension of a name wins).
 */
export async function startJupyter(rootDir, { labextensionDir } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(rootDir, '..', 'jupyter.log');
  const extra = {};
  if (labextensionDir) {
    const dataDir = path.join(rootDir, '..', 'jupyter-data');
    fs.mkdirSync(path.join(dataDir, 'labextensions'), { recursive: true });
    fs.symlinkSync(
      labextensionDir,
      path.join(dataDir, 'labextensions', 'jupyterlab-mlflow-traces')
    );
    extra.JUPYTER_PATH = dataDir;
  }
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    JUPYTER,
    [
      'lab',
      `--config=${path.join(HERE, 'jupyter_bench_config.py')}`,
      `--port=${port}`,
      `--ServerApp.root_dir=${rootDir}`,
      '--no-browser'
    ],
    { env: venvEnv(extra), stdio: ['ignore', out, out], detached: true }
  );
  fs.closeSync(out);
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`jupyter lab exited; see ${logFile}`);
    }
    try {
      if ((await fetch(`${url}/api/status`)).ok) {
        return { url, pid: child.pid, logFile };
      }
    } catch {
      // not yet
    }
    await new Promise(r => setTimeout(r, 300));
  }
  stopProcessGroup(child.pid);
  throw new Error(`jupyter lab not up; see ${logFile}`);
}

/** An empty notebook on the python3 kernel, for the page to open. */
export function writeBenchNotebook(file) {
  fs.writeFileSync(
    file,
    JSON.stringify({
      cells: [],
      metadata: {
        kernelspec: {
          name: 'python3',
          display_name: 'Python 3',
          language: 'python'
        }
      },
      nbformat: 4,
      nbformat_minor: 5
    })
  );
}
