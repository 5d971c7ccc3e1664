/**
 * Labels from a real tslab kernel's cells (nbclient, the built helper in
 * lib/node): feedback and a tag written from a cell, read back through
 * MLflow's Python SDK with the notebook's JupyterHub user as the source,
 * and a value of the wrong kind failing the cell with nothing written.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');

const trackingUri = process.env.MLFLOW_TEST_TRACKING_URI as string;

interface IOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
}

const text = (value: unknown) =>
  Array.isArray(value) ? value.join('') : String(value ?? '');

// `{ traceId: traceId }`, not `{ traceId }`: tslab does not resolve a
// shorthand property to an earlier cell's const (ReferenceError).
const CELLS = [
  `import { configure, withSpan, flush, getLastTraceId, logFeedback, setTraceTag } from "jupyterlab-mlflow-traces";
await configure({ experimentName: process.env.MLFLOW_EXPERIMENT_NAME, autoDisplay: false });`,
  `await withSpan("answer", { inputs: { question: "What is a span?" } }, async () => "One step.");
const traceId = getLastTraceId()!;
await flush();`,
  `const thumbs = await logFeedback(traceId, { name: "thumbs_up", value: true, rationale: "right" });
await setTraceTag(traceId, "review", "done");
console.log(JSON.stringify({ traceId: traceId, id: thumbs.assessment_id, source: thumbs.source }));`,
  `await logFeedback(traceId, { name: "thumbs_up", value: "yes" });`,
  `console.log("still running");`
];

function notebook(): unknown {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: 'tslab',
        display_name: 'TypeScript',
        language: 'typescript'
      }
    },
    cells: CELLS.map((source, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source
    }))
  };
}

function python(script: string, args: string[], env = {}): string {
  return execFileSync(
    PYTHON,
    [path.join(ROOT, 'test', 'fixtures', script), ...args],
    {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      env: venvEnv({ MLFLOW_TRACKING_URI: trackingUri, ...env }),
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
}

describe('labels from a real tslab kernel', () => {
  let cells: { outputs: IOutput[] }[];

  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'lib', 'node', 'index.js'))) {
      throw new Error('lib/node is missing: run `npm run build:lib`');
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assessment-nb-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(
      ROOT,
      path.join(dir, 'node_modules', 'jupyterlab-mlflow-traces'),
      'dir'
    );
    const input = path.join(dir, 'labels.ipynb');
    const output = path.join(dir, 'labels.executed.ipynb');
    fs.writeFileSync(input, JSON.stringify(notebook()));
    python(
      'run_notebook.py',
      [input, output, '--timeout', '120', '--allow-errors'],
      {
        JUPYTERHUB_USER: 'nb-reviewer',
        MLFLOW_EXPERIMENT_NAME: `assessment-notebook-${Date.now()}`
      }
    );
    cells = JSON.parse(fs.readFileSync(output, 'utf8')).cells;
  });

  /** A cell's stream `name` (tslab writes a failed cell's error to stderr). */
  const stream = (i: number, name: 'stdout' | 'stderr') =>
    cells[i].outputs
      .filter(o => o.output_type === 'stream' && o.name === name)
      .map(o => text(o.text))
      .join('');
  const stdout = (i: number) => stream(i, 'stdout');

  it('writes feedback and a tag, read back by the Python SDK as the hub user', () => {
    for (const i of [0, 1, 2]) {
      expect(stream(i, 'stderr')).toBe('');
    }
    const written = JSON.parse(stdout(2).trim());
    expect(written.source).toEqual({
      source_type: 'HUMAN',
      source_id: 'nb-reviewer'
    });
    const read = JSON.parse(
      python('assessments_sdk.py', ['trace', written.traceId])
    );
    expect(read.tags.review).toBe('done');
    expect(read.assessments).toHaveLength(1);
    expect(read.assessments[0]).toMatchObject({
      id: written.id,
      name: 'thumbs_up',
      kind: 'feedback',
      value_json: 'true',
      value_type: 'bool',
      rationale: 'right',
      source_type: 'HUMAN',
      source_id: 'nb-reviewer',
      valid: true
    });
  });

  it('fails the cell of a wrong value kind with a clear error, and the kernel goes on', () => {
    const message = stream(3, 'stderr').split('\n')[0];
    expect(message).toMatch(/^TypeError: logFeedback on trace tr-/);
    expect(message).toContain('"thumbs_up"');
    expect(message).toContain('boolean');
    expect(message).toContain('string');
    expect(stdout(4)).toContain('still running');
  });
});
