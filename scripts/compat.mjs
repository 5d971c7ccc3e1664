/**
 * `npm run compat`: the IPython extension's tests against other MLflow
 * versions: the oldest 3.x the README claims and the newest one served.
 *
 * Each version gets its own venv under .cache/compat/ (made once: mlflow at
 * that version, ipykernel, nbclient, pytest) and runs test/python's
 * IPython-extension tests with this checkout's package on PYTHONPATH.
 * Prints one line per version and exits non-zero when any failed.
 *   --versions 3.0.0,3.18.0   choose the versions
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const { ROOT } = require('./lib/paths.cjs');

/** The oldest MLflow the README claims, and the newest checked. */
export const COMPAT_VERSIONS = ['3.5.1', '3.17.2'];

/**
 * Dependencies held back for an older MLflow, as its users had them: pip
 * would otherwise pair it with releases made after it (MLflow 3.5 cannot
 * import SQLAlchemy 2.1).
 */
const ERA_CONSTRAINTS = { '3.5.1': ['SQLAlchemy<2.1'] };

const TESTS = [
  'test/python/test_ipython_display.py',
  'test/python/test_ipython_quickstart.py'
];
const TOOLS = ['ipykernel', 'nbclient', 'nbconvert', 'nbformat', 'pytest'];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    ...options
  });
  return result.status;
}

function venvFor(version) {
  const dir = path.join(ROOT, '.cache', 'compat', `mlflow-${version}`);
  const python = path.join(dir, 'bin', 'python');
  const stamp = path.join(dir, '.installed');
  if (!fs.existsSync(stamp)) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (run('python3', ['-m', 'venv', dir]) !== 0) {
      throw new Error(`could not make a venv for mlflow ${version}`);
    }
    const pip = [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `mlflow[auth]==${version}`,
      ...(ERA_CONSTRAINTS[version] || []),
      ...TOOLS
    ];
    if (run(python, pip) !== 0) {
      throw new Error(`pip could not install mlflow ${version}`);
    }
    // The kernel nbclient starts must be this venv's own Python.
    run(python, ['-m', 'ipykernel', 'install', '--sys-prefix']);
    fs.writeFileSync(stamp, version);
  }
  return { dir, python };
}

function main() {
  const index = process.argv.indexOf('--versions');
  const versions =
    index > 0 ? process.argv[index + 1].split(',') : COMPAT_VERSIONS;
  const results = [];
  for (const version of versions) {
    console.log(`\n=== mlflow ${version} ===`);
    let status;
    try {
      const { dir, python } = venvFor(version);
      status = run(
        python,
        ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...TESTS],
        {
          env: {
            ...process.env,
            PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH}`,
            VIRTUAL_ENV: dir,
            PYTHONPATH: ROOT,
            JUPYTER_PATH: path.join(dir, 'share', 'jupyter')
          }
        }
      );
    } catch (error) {
      console.log(error.message);
      status = -1;
    }
    results.push({ version, ok: status === 0 });
  }
  console.log('');
  for (const { version, ok } of results) {
    console.log(`mlflow ${version}: ${ok ? 'passed' : 'FAILED'}`);
  }
  process.exit(results.every(r => r.ok) ? 0 : 1);
}

main();
