/** Where the project keeps what it installs: one place, so every script agrees. */
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const VENV = path.join(ROOT, '.venv');
const VENV_BIN = path.join(VENV, 'bin');

module.exports = {
  ROOT,
  VENV,
  VENV_BIN,
  PYTHON: path.join(VENV_BIN, 'python'),
  MLFLOW: path.join(VENV_BIN, 'mlflow'),
  JUPYTER: path.join(VENV_BIN, 'jupyter'),
  STAMPS: path.join(ROOT, '.cache', 'stamps'),
  /** What the labextension is built from: the bench's build copies these, setup rebuilds when one changes. */
  LABEXTENSION_SOURCES: [
    'src',
    'style',
    'schema',
    'package.json',
    'tsconfig.json',
    'tsconfig.kernel.json',
    'webpack.config.js',
    'install.json'
  ],
  CHROMIUM: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  /** Flags for Debian's Chromium run headless as root, quiet on the network. */
  CHROMIUM_ARGS: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run'
  ],
  /** An environment whose PATH finds the .venv's python, jupyter and jlpm first. */
  venvEnv(extra = {}) {
    return {
      ...process.env,
      PATH: `${VENV_BIN}${path.delimiter}${process.env.PATH}`,
      VIRTUAL_ENV: VENV,
      ...extra
    };
  }
};
