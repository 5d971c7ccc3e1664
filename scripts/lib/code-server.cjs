/**
 * code-server (VS Code's web build, from npm) for the VS Code tests: install
 * it once into a cache outside the repo, install our .vsix into it, and start
 * it on a free port of 127.0.0.1 with no auth, no telemetry and no gallery.
 *
 * The install is a LOCAL `npm install code-server@VERSION` in a folder of its
 * own (`npm install -g --prefix` breaks: code-server's postinstall runs a
 * nested npm install that reifies into the prefix). Its native modules build
 * with Debian's headers (installCodeServerDebs in setup.mjs) and Node's
 * headers in /usr/include/node; @vscode/ripgrep's postinstall finds Debian's
 * /usr/bin/rg in its download cache under TMPDIR instead of downloading it.
 * A stamp, written only on success, makes the next call instant.
 */
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { freePort, stopProcessGroup } = require('./mlflow-server.cjs');

const VERSION = '4.100.3';
/** What @vscode/ripgrep 1.15.11 (code-server 4.100.3's) looks for in os.tmpdir() before downloading. */
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const RG = '/usr/bin/rg';
/** Changes when the way we install changes, so an old install is redone. */
const RECIPE = 'local-install-1';

const CACHE_ROOT = path.join(
  process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
  'jupyterlab-mlflow-traces'
);
const INSTALL_DIR = path.join(CACHE_ROOT, `code-server-${VERSION}`);
const BIN = path.join(INSTALL_DIR, 'node_modules', '.bin', 'code-server');
const STAMP = path.join(INSTALL_DIR, 'installed.stamp');

function log(message) {
  console.log(`[code-server] ${message}`);
}

function stampText() {
  return `${VERSION} node${process.versions.node.split('.')[0]} ${RECIPE}\n`;
}

/**
 * Install code-server VERSION (and the Debian packages it builds with) unless
 * the stamp says it is there. Returns the path of its `code-server` script.
 */
async function ensureCodeServer() {
  if (
    fs.existsSync(BIN) &&
    fs.existsSync(STAMP) &&
    fs.readFileSync(STAMP, 'utf8') === stampText()
  ) {
    return BIN;
  }
  const started = Date.now();
  const { installCodeServerDebs } = await import('../setup.mjs');
  installCodeServerDebs();
  if (!fs.existsSync(RG)) {
    throw new Error(`${RG} is missing: Debian's ripgrep stands in for the one code-server would download`);
  }
  fs.rmSync(STAMP, { force: true });
  fs.mkdirSync(INSTALL_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(INSTALL_DIR, 'package.json'),
    JSON.stringify({ private: true, description: 'code-server for the VS Code tests' }) + '\n'
  );
  // @vscode/ripgrep's postinstall takes a cached asset from os.tmpdir() if it finds one.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-install-'));
  const cache = path.join(tmp, RIPGREP_CACHE);
  fs.mkdirSync(cache);
  execFileSync('tar', ['czf', path.join(cache, RIPGREP_ASSET), '-C', path.dirname(RG), path.basename(RG)]);
  const logFile = path.join(INSTALL_DIR, 'install.log');
  log(`installing code-server ${VERSION} into ${INSTALL_DIR} (log: ${logFile}); takes minutes the first time`);
  const out = fs.openSync(logFile, 'w');
  try {
    execFileSync(
      'nice',
      [
        '-n',
        '10',
        'npm',
        'install',
        '--no-audit',
        '--no-fund',
        '--foreground-scripts',
        `code-server@${VERSION}`
      ],
      {
        cwd: INSTALL_DIR,
        stdio: ['ignore', out, out],
        env: {
          ...process.env,
          TMPDIR: tmp,
          npm_config_unsafe_perm: 'true', // its postinstall refuses root otherwise
          npm_config_nodedir: '/usr', // node-gyp takes Node's headers from /usr/include/node
          npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
          npm_config_update_notifier: 'false'
        }
      }
    );
  } catch (error) {
    throw new Error(
      `npm install code-server@${VERSION} failed (${error.message}); end of ${logFile}:\n` +
        fs.readFileSync(logFile, 'utf8').slice(-3000)
    );
  } finally {
    fs.closeSync(out);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const versionConfig = path.join(os.tmpdir(), `code-server-version-${process.pid}.yaml`);
  let version;
  try {
    version = execFileSync(BIN, ['--version', '--config', versionConfig], { encoding: 'utf8' });
  } finally {
    fs.rmSync(versionConfig, { force: true });
  }
  if (!version.split('\n').some(line => line.startsWith(`${VERSION} `))) {
    throw new Error(`code-server --version says ${JSON.stringify(version)}, not ${VERSION}`);
  }
  fs.writeFileSync(STAMP, stampText());
  log(`code-server ${VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return BIN;
}

/** A config file of our own, so code-server never writes ~/.config/code-server. */
function configFile(dir) {
  const file = path.join(dir, 'code-server-config.yaml');
  fs.writeFileSync(file, 'auth: none\ncert: false\n');
  return file;
}

/**
 * User settings for a quiet, reproducible workbench: no telemetry, no update
 * or extension checks, no welcome page, a light theme. `extra` adds to them.
 */
function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  const settings = {
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.colorTheme': 'Default Light Modern',
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'remote.autoForwardPorts': false,
    // .ipynb opens in the notebook editor even before the built-in ipynb extension has registered
    'workbench.editorAssociations': { '*.ipynb': 'jupyter-notebook' },
    ...extra
  };
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return path.join(dir, 'settings.json');
}

/**
 * The environment every code-server process gets: no extension gallery, and
 * its own data dir (heartbeat, logs) under `userDataDir` instead of ~/.local/share.
 */
function codeServerEnv(userDataDir, env = {}) {
  return {
    ...process.env,
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    XDG_DATA_HOME: path.join(userDataDir, 'xdg-data'),
    ...env
  };
}

/** Where a code-server keeps its config, settings and extensions, and no telemetry: every run's. */
function profileArgs(userDataDir, extensionsDir) {
  return [
    '--config',
    configFile(userDataDir),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry'
  ];
}

/** `code-server --install-extension vsix --force` into `extensionsDir`. */
async function installExtension(vsixPath, extensionsDir, userDataDir) {
  const bin = await ensureCodeServer();
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(userDataDir, { recursive: true });
  try {
    return execFileSync(
      bin,
      [
        ...profileArgs(userDataDir, extensionsDir),
        '--install-extension',
        vsixPath,
        '--force'
      ],
      { env: codeServerEnv(userDataDir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
    );
  } catch (error) {
    throw new Error(
      `code-server --install-extension ${vsixPath} failed: ${error.stderr || ''}${error.stdout || ''}`
    );
  }
}

async function waitForHealth(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `code-server exited with code ${child.exitCode}; see ${logFile}:\n` +
          fs.readFileSync(logFile, 'utf8').slice(-2000)
      );
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`code-server at ${url} not healthy after ${timeoutMs} ms; see ${logFile}`);
}

/**
 * Start code-server on a free port of 127.0.0.1, serving `workspaceDir`; `env`
 * reaches the extension host (MLFLOW_TRACKING_URI …). Resolves once /healthz
 * answers, with its URL and `stop()`.
 */
async function startCodeServer({ userDataDir, extensionsDir, workspaceDir, env = {}, timeoutMs = 60000 }) {
  const bin = await ensureCodeServer();
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  if (!fs.existsSync(path.join(userDataDir, 'User', 'settings.json'))) {
    writeUserSettings(userDataDir);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(userDataDir, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    bin,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      ...profileArgs(userDataDir, extensionsDir),
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      workspaceDir
    ],
    {
      cwd: workspaceDir,
      env: codeServerEnv(userDataDir, env),
      stdio: ['ignore', log, log],
      detached: true
    }
  );
  fs.closeSync(log);
  const stop = async () => {
    stopProcessGroup(child.pid);
    const deadline = Date.now() + 5000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    stopProcessGroup(child.pid, 'SIGKILL');
  };
  try {
    await waitForHealth(url, child, logFile, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, pid: child.pid, logFile, stop };
}

module.exports = {
  CODE_SERVER_VERSION: VERSION,
  CODE_SERVER_DIR: INSTALL_DIR,
  ensureCodeServer,
  installExtension,
  startCodeServer,
  writeUserSettings
};
