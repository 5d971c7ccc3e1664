/**
 * A real PostgreSQL server for the bench, started by test/python/postgres.py (the one
 * implementation: initdb, a free port of 127.0.0.1, run as the `postgres` user when root)
 * in `serve` mode: it prints the database's URI and stops the server when its standard
 * input closes.
 */
const { spawn } = require('child_process');
const path = require('path');
const readline = require('readline');
const { PYTHON, ROOT, venvEnv } = require('./paths.cjs');

const STARTER = path.join(ROOT, 'test', 'python', 'postgres.py');

/**
 * Start PostgreSQL with its data in `dir` (kept; reused when already there), or in a
 * temp dir removed at stop when `dir` is not given. Resolves to `{uri, stop}`; `stop()`
 * resolves once the server is down.
 */
function startPostgres({ dir, timeoutMs = 120000 } = {}) {
  const child = spawn(PYTHON, [STARTER, 'serve', ...(dir ? [dir] : [])], {
    env: venvEnv(),
    stdio: ['pipe', 'pipe', 'pipe']
  });
  let stderr = '';
  child.stderr.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise(resolve => child.on('exit', resolve));
  const stop = async () => {
    child.stdin.end();
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`PostgreSQL did not start in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', line => {
      clearTimeout(timer);
      try {
        resolve({ uri: JSON.parse(line).uri, stop });
      } catch {
        reject(new Error(`postgres.py said ${JSON.stringify(line)}: ${stderr}`));
      }
    });
    child.on('exit', code => {
      clearTimeout(timer);
      reject(new Error(`postgres.py exited (${code}): ${stderr}`));
    });
  });
}

module.exports = { startPostgres };
