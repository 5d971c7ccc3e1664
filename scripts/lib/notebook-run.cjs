/**
 * Execute a notebook on its real kernel (test/fixtures/run_notebook.py, from
 * the project's .venv) against a tracking server, as `npm run demo --
 * --execute` does. Shared by the UI and VS Code test setups.
 */
const { execFile } = require('child_process');
const path = require('path');
const { PYTHON, ROOT, venvEnv } = require('./paths.cjs');

/**
 * Run `input` (a path, or a name under examples/) with MLFLOW_TRACKING_URI =
 * `trackingUri` and write the executed notebook to `output`. Rejects with the
 * end of the runner's stderr.
 */
function executeNotebook({ input, output, trackingUri, timeoutMs = 0, env = {} }) {
  const notebook = path.isAbsolute(input) ? input : path.join(ROOT, 'examples', input);
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      [path.join(ROOT, 'test', 'fixtures', 'run_notebook.py'), notebook, output],
      {
        env: venvEnv({ MLFLOW_TRACKING_URI: trackingUri, ...env }),
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024
      },
      (error, _stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `running ${path.relative(ROOT, notebook)} failed: ${stderr ? String(stderr).slice(-2000) : error.message}`
            )
          );
        } else {
          resolve(output);
        }
      }
    );
    child.stdin.end();
  });
}

module.exports = { executeNotebook };
