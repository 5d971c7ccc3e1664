/**
 * show({ sessionId }) in a real tslab kernel (nbclient) against the real
 * tracking server: one display under the cell, the session's trace-list
 * payload with its turns in request-time order (written out of order by
 * MLflow's Python SDK, test/fixtures/write_session_traces.py), its text/html
 * and text/plain fallbacks; and a bad session id fails the cell with a
 * message naming what is wrong.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderTraceListHtml, renderTraceListText } from '../../src/bundle';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');

const LIST_MIME = 'application/vnd.mlflow.trace-list+json';

interface IOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, any>;
}

const text = (value: unknown) =>
  Array.isArray(value) ? value.join('') : (value as string);

const cell = (source: string) => ({
  cell_type: 'code',
  metadata: {},
  execution_count: null,
  outputs: [],
  source
});

describe('show({ sessionId }) in a tslab kernel', () => {
  const uri = process.env.MLFLOW_TEST_TRACKING_URI as string;
  let cells: { outputs: IOutput[] }[];
  let written: { experiment_id: string; sessions: Record<string, string[]> };

  beforeAll(() => {
    // the kernel loads the package as built (npm test's setup builds it)
    if (
      !fs.existsSync(
        path.join(ROOT, 'lib', 'node', 'kernel', 'sessionsearch.js')
      )
    ) {
      throw new Error(
        'lib/node has no searchSession(): run `npm run build:lib`'
      );
    }
    written = JSON.parse(
      execFileSync(
        PYTHON,
        [
          path.join(ROOT, 'test', 'fixtures', 'write_session_traces.py'),
          uri,
          `session-kernel-${Date.now()}-${process.pid}`
        ],
        { encoding: 'utf8', env: venvEnv({ MLFLOW_TRACKING_URI: uri }) }
      )
        .trim()
        .split('\n')
        .pop() as string
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-kernel-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(
      ROOT,
      path.join(dir, 'node_modules', 'jupyterlab-mlflow-traces'),
      'dir'
    );
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript' } },
      cells: [
        cell(
          "import { configure, show } from 'jupyterlab-mlflow-traces';\n" +
            `await configure({ experimentId: '${written.experiment_id}', autoDisplay: false });`
        ),
        cell("await show({ sessionId: 'sess-alpha' });"),
        cell(`await show({ sessionId: \`it's "both"\` });`)
      ]
    };
    const input = path.join(dir, 'session.ipynb');
    const output = path.join(dir, 'session.executed.ipynb');
    fs.writeFileSync(input, JSON.stringify(notebook));
    execFileSync(
      PYTHON,
      [
        path.join(ROOT, 'test', 'fixtures', 'run_notebook.py'),
        input,
        output,
        '--timeout',
        '180',
        '--allow-errors'
      ],
      {
        env: venvEnv({ MLFLOW_TRACKING_URI: uri }),
        stdio: ['ignore', 'pipe', 'pipe']
      }
    );
    cells = JSON.parse(fs.readFileSync(output, 'utf8')).cells;
  });

  it('displays the session once, its turns in request-time order, with both fallbacks', () => {
    const displays = cells[1].outputs.filter(
      o => o.output_type === 'display_data'
    );
    expect(displays).toHaveLength(1);
    const data = displays[0].data ?? {};
    const payload = data[LIST_MIME];
    expect(payload.query).toMatchObject({
      session_id: 'sess-alpha',
      experiment_ids: [written.experiment_id],
      order_by: ['timestamp_ms ASC']
    });
    expect(payload.traces.map((t: { trace_id: string }) => t.trace_id)).toEqual(
      written.sessions['sess-alpha']
    );
    expect(text(data['text/html'])).toBe(renderTraceListHtml(payload));
    expect(text(data['text/plain'])).toBe(renderTraceListText(payload));
    expect(text(data['text/plain']).split('\n')[0]).toBe(
      `MLflow session "sess-alpha": 4 turns; experiments ${written.experiment_id}`
    );
  });

  it('fails the cell for a session id the filter cannot hold, naming why', () => {
    // tslab reports a failed cell on stderr: "<name>: <message>\n    at …"
    const stderr = cells[2].outputs
      .filter(o => o.output_type === 'stream' && o.name === 'stderr')
      .map(o => text(o.text))
      .join('');
    expect(stderr).toMatch(
      /^TypeError: the session id "it's \\"both\\"" holds both ' and ", which MLflow's search filter cannot quote$/m
    );
    expect(
      cells[2].outputs.filter(o => o.output_type === 'display_data')
    ).toHaveLength(0);
  });
});
