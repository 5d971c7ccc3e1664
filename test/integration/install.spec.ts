/**
 * The Python package installed by `pip install .` (scripts/setup.mjs) makes
 * JupyterLab list the prebuilt extension as enabled and OK.
 */
import { execFileSync } from 'child_process';
import path from 'path';

const JUPYTER = path.resolve(__dirname, '..', '..', '.venv', 'bin', 'jupyter');

describe('the installed labextension', () => {
  it('is listed by `jupyter labextension list` as enabled and OK', () => {
    // JupyterLab 4 prints the list on stderr.
    const all = execFileSync(
      'sh',
      ['-c', `"${JUPYTER}" labextension list 2>&1`],
      {
        encoding: 'utf8'
      }
    );
    const line = all
      .split('\n')
      // eslint-disable-next-line no-control-regex -- strips the ANSI colours of the listing
      .map(l => l.replace(/\u001b\[[0-9;]*m/g, ''))
      .find(l => l.includes('jupyterlab-mlflow-traces'));
    expect(line).toBeDefined();
    expect(line).toMatch(
      /jupyterlab-mlflow-traces v\d+\.\d+\.\d+ enabled\s+OK \(python, jupyterlab_mlflow_traces\)/
    );
  });
});
