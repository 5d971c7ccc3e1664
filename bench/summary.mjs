/**
 * The bench rows "summary of 10,000 and 100,000 traces" (issue 19): a real `mlflow server`
 * on PostgreSQL, its traces written once by bench/write_summary_bench.py (MLflow's store
 * API) and kept in a PostgreSQL data dir under .cache/bench, keyed by the writer and the
 * MLflow pin, so a second run starts in seconds.
 *
 *   node bench/summary.mjs               prepare the data when missing, then measure
 *   node bench/summary.mjs --prepare     only prepare the data
 *
 * run.mjs calls `summaryResults` with the Node library it measures.
 */
import { createHash } from 'crypto';
import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const { ROOT, PYTHON, venvEnv } = require('../scripts/lib/paths.cjs');
const { startPostgres } = require('../scripts/lib/postgres.cjs');

export const SIZES = [10000, 100000];
const WRITER = path.join(HERE, 'write_summary_bench.py');

/** The cache folder of the data the writer makes: changes with the writer or MLflow. */
function dataDir() {
  const pin = fs
    .readFileSync(path.join(ROOT, 'requirements.txt'), 'utf8')
    .split('\n')
    .find(line => line.startsWith('mlflow=='));
  const key = createHash('sha256')
    .update(fs.readFileSync(WRITER))
    .update(`\n${pin}\n${SIZES.join(',')}`)
    .digest('hex')
    .slice(0, 12);
  return path.join(ROOT, '.cache', 'bench', `summary-pg-${key}`);
}

/** Run a child to its end; resolves to its stdout, rejects with its stderr's end. */
function run(command, args, { echo = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: venvEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => {
      stderr = (stderr + chunk).slice(-4000);
      if (echo) {
        process.stderr.write(chunk);
      }
    });
    child.on('exit', code =>
      code === 0
        ? resolve(stdout)
        : reject(
            new Error(`${path.basename(args[0])} exited ${code}: ${stderr}`)
          )
    );
  });
}

/**
 * The PostgreSQL data dir holding the bench's traces, written when missing (minutes for
 * 100,000), and what the writer said: `{experiments: {count: id}, range: [start, end]}`.
 */
export async function prepareSummaryData() {
  const dir = dataDir();
  const done = path.join(dir, 'written.json');
  if (fs.existsSync(done)) {
    return { dir, written: JSON.parse(fs.readFileSync(done, 'utf8')) };
  }
  // a data dir without written.json is a write that did not finish
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const started = Date.now();
  console.error(
    `[summary] writing ${SIZES.join(' and ')} traces into ${dir} (minutes)…`
  );
  const database = await startPostgres({ dir });
  let output;
  try {
    output = await run(
      PYTHON,
      [WRITER, database.uri, path.join(dir, 'artifacts'), ...SIZES.map(String)],
      { echo: true }
    );
  } finally {
    await database.stop();
  }
  const written = JSON.parse(output.trim().split('\n').pop());
  fs.writeFileSync(done, JSON.stringify(written));
  console.error(
    `[summary] written in ${((Date.now() - started) / 1000).toFixed(0)} s`
  );
  return { dir, written };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--prepare')) {
    const { dir, written } = await prepareSummaryData();
    console.log(JSON.stringify({ dir, ...written }));
  }
}
