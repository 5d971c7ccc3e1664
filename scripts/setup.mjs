/**
 * Install what the demo and the tests need, skipping every step whose inputs
 * have not changed since it last ran (stamps under .cache/stamps):
 *   1. node_modules (npm install, from package-lock.json; npm ci trips on rspack's optional bindings)
 *   2. Debian's chromium, for the UI tests and the benchmark, and Debian's postgresql,
 *      for the summary tests and the bench on PostgreSQL (apt, as root)
 *   3. .venv with pinned mlflow and jupyterlab (requirements.txt + constraints.txt)
 *   4. the TypeScript build and the prebuilt labextension, `pip install .` into .venv
 *   5. the tslab kernelspecs (tslab, jslab) in .venv, and examples/node_modules
 *      linking the package, so notebooks in examples/ can import it by name
 *
 * Uses only Node's standard library: it runs before node_modules exists.
 */
import { createHash } from 'crypto';
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const {
  ROOT,
  VENV,
  PYTHON,
  STAMPS,
  CHROMIUM,
  LABEXTENSION_SOURCES,
  venvEnv
} = require('./lib/paths.cjs');

const quiet = process.argv.includes('--quiet');

function log(message) {
  if (!quiet) {
    console.log(`[setup] ${message}`);
  }
}

function run(command, args, options = {}) {
  log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
}

/** Hash the content of files and directories (recursively), for stamps. */
function hashInputs(relativePaths) {
  const hash = createHash('sha256');
  const visit = absolute => {
    if (!fs.existsSync(absolute)) {
      hash.update(`missing:${absolute}`);
      return;
    }
    const stat = fs.statSync(absolute);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(absolute).sort()) {
        visit(path.join(absolute, name));
      }
    } else {
      hash.update(path.relative(ROOT, absolute));
      hash.update(fs.readFileSync(absolute));
    }
  };
  relativePaths.forEach(relative => visit(path.join(ROOT, relative)));
  return hash.digest('hex');
}

/** Run `step` unless the stamp named `name` already records `digest`. */
function stamped(name, digest, step) {
  const file = path.join(STAMPS, name);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === digest) {
    log(`${name}: up to date`);
    return;
  }
  step();
  fs.mkdirSync(STAMPS, { recursive: true });
  fs.writeFileSync(file, digest);
}

function installNodeModules() {
  const digest = hashInputs(['package-lock.json']);
  const present = fs.existsSync(
    path.join(ROOT, 'node_modules', '.package-lock.json')
  );
  if (!present) {
    fs.rmSync(path.join(STAMPS, 'node_modules'), { force: true });
  }
  stamped('node_modules', digest, () =>
    run('npm', ['install', '--no-audit', '--no-fund'], {
      env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' }
    })
  );
}

/** apt-get install `packages` (as root, or through sudo -n); `why` names who needs them. */
function aptInstall(packages, why) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = isRoot ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  const apt = (...args) =>
    run(aptGet[0], [...aptGet.slice(1), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    });
  try {
    apt('update', '-qq');
    apt('install', '-y', '-qq', '--no-install-recommends', ...packages);
  } catch (error) {
    throw new Error(
      `Could not install Debian's ${packages.join(', ')} (${why}): ${error.message}. ` +
        `Run as root, or install it yourself with \`apt-get install ${packages.join(' ')}\`.`
    );
  }
}

function installChromium() {
  if (fs.existsSync(CHROMIUM)) {
    log(`chromium: ${CHROMIUM}`);
    return;
  }
  aptInstall(
    ['chromium', 'fonts-dejavu-core'],
    'needed by the UI tests; or set CHROMIUM_PATH'
  );
}

/** Debian's server binaries live in /usr/lib/postgresql/N/bin (test/python/postgres.py finds them there). */
function installPostgres() {
  const root = '/usr/lib/postgresql';
  const found =
    fs.existsSync(root) &&
    fs
      .readdirSync(root)
      .some(version =>
        fs.existsSync(path.join(root, version, 'bin', 'pg_ctl'))
      );
  if (found) {
    log(`postgresql: ${root}`);
    return;
  }
  // the package's own cluster is not used: the tests start theirs in a temp dir
  aptInstall(
    ['postgresql'],
    'needed by the summary tests and the bench on PostgreSQL'
  );
}

/** What code-server's native modules build against, and the rg its installer would download. */
const CODE_SERVER_DEBS = [
  'libkrb5-dev',
  'libx11-dev',
  'libxkbfile-dev',
  'libsecret-1-dev',
  'ripgrep'
];

/** apt-get install those of CODE_SERVER_DEBS dpkg does not know yet (the VS Code tests call this). */
export function installCodeServerDebs() {
  const missing = CODE_SERVER_DEBS.filter(name => {
    try {
      return !execFileSync('dpkg-query', ['-W', '-f=${Status}', name], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore']
      }).includes('install ok installed');
    } catch {
      return true;
    }
  });
  if (missing.length) {
    aptInstall(missing, 'needed to build code-server for the VS Code tests');
  }
}

function installVenv() {
  if (!fs.existsSync(PYTHON)) {
    fs.rmSync(path.join(STAMPS, 'venv'), { force: true });
    run('python3', ['-m', 'venv', VENV]);
  }
  const digest = hashInputs(['requirements.txt', 'constraints.txt']);
  stamped('venv', digest, () => {
    run(PYTHON, [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '-r',
      'requirements.txt',
      '-c',
      'constraints.txt'
    ]);
  });
}

/** The Python package's own modules, subpackages included (a change to _conversation/
 * once kept the old install); not the generated _version.py, labextension/ or bytecode. */
function pythonSources() {
  const folder = 'jupyterlab_mlflow_traces';
  return fs
    .readdirSync(path.join(ROOT, folder), { recursive: true })
    .filter(
      name =>
        name.endsWith('.py') &&
        name !== '_version.py' &&
        !name.startsWith(`labextension${path.sep}`)
    )
    .sort()
    .map(name => `${folder}/${name}`);
}

function buildAndInstallExtension() {
  // webpack.config.js too: it was missing, so a change to it kept the old build
  const digest = hashInputs([
    ...LABEXTENSION_SOURCES,
    'pyproject.toml',
    'jupyter-config',
    ...pythonSources()
  ]);
  const labextension = path.join(
    ROOT,
    'jupyterlab_mlflow_traces',
    'labextension',
    'package.json'
  );
  if (
    !fs.existsSync(labextension) ||
    !fs.existsSync(path.join(ROOT, 'lib', 'index.js'))
  ) {
    fs.rmSync(path.join(STAMPS, 'extension'), { force: true });
  }
  stamped('extension', digest, () => {
    const env = venvEnv();
    run('npm', ['run', 'build:prod', '--silent'], { env });
    run(
      PYTHON,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-deps',
        '--no-build-isolation',
        '--force-reinstall',
        '.'
      ],
      { env }
    );
  });
}

const TSLAB = path.join(ROOT, 'node_modules', '.bin', 'tslab');
const EXAMPLES_LINK = path.join(
  ROOT,
  'examples',
  'node_modules',
  'jupyterlab-mlflow-traces'
);

function installKernel() {
  const kernelJson = path.join(
    VENV,
    'share',
    'jupyter',
    'kernels',
    'tslab',
    'kernel.json'
  );
  if (!fs.existsSync(kernelJson)) {
    fs.rmSync(path.join(STAMPS, 'tslab-kernel'), { force: true });
  }
  const digest = hashInputs(['node_modules/tslab/package.json']) + TSLAB;
  stamped('tslab-kernel', digest, () =>
    run(TSLAB, [
      'install',
      `--python=${PYTHON}`,
      `--binary=${TSLAB}`,
      `--prefix=${VENV}`
    ])
  );
  // What `npm install` in examples/ would make ("file:.."), without the network.
  let linked = false;
  try {
    linked = fs.realpathSync(EXAMPLES_LINK) === fs.realpathSync(ROOT);
  } catch {
    linked = false;
  }
  if (!linked) {
    fs.mkdirSync(path.dirname(EXAMPLES_LINK), { recursive: true });
    fs.rmSync(EXAMPLES_LINK, { force: true, recursive: false });
    fs.symlinkSync(path.join('..', '..'), EXAMPLES_LINK, 'dir');
    log(`linked ${path.relative(ROOT, EXAMPLES_LINK)} -> ..`);
  }
}

export function setup() {
  const started = Date.now();
  installNodeModules();
  installChromium();
  installPostgres();
  installVenv();
  buildAndInstallExtension();
  installKernel();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  setup();
}
