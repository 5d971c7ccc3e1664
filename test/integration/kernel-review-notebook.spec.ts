/**
 * examples/review.ipynb on a real tslab kernel (nbclient) against the real
 * tracking server: every label its cells write with the helper lands on the
 * server, read back with MLflow's Python SDK (value, source, span id,
 * rationale, the override's history, the delete, the tags); the trace list
 * and the labelled trace are in the notebook, and the labelled trace's
 * fallbacks show its assessments for a reader without a server.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');

const LIST_MIME = 'application/vnd.mlflow.trace-list+json';
const TRACE_MIME = 'application/vnd.mlflow.trace+json';
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

interface IOutput {
  output_type: string;
  text?: string | string[];
  data?: Record<string, any>;
}
interface ICell {
  source: string;
  outputs?: IOutput[];
}
interface IRead {
  trace_id: string;
  tags: Record<string, string>;
  spans: Record<string, string>;
  assessments: {
    assessment_id: string;
    name: string;
    kind: string;
    value: unknown;
    valid: boolean | null;
    overrides: string | null;
    span_id: string | null;
    rationale: string | null;
    source_type: string;
    source_id: string;
  }[];
}

const text = (value: unknown) =>
  Array.isArray(value) ? value.join('') : (value as string);

function displays(cell: ICell): IOutput[] {
  return (cell.outputs ?? []).filter(o => o.output_type === 'display_data');
}

/** The helper's reviewer, as src/kernel names it: the JupyterHub user, else the OS user. */
const REVIEWER = process.env.JUPYTERHUB_USER || os.userInfo().username;

describe('examples/review.ipynb on a real tslab kernel', () => {
  const uri = process.env.MLFLOW_TEST_TRACKING_URI as string;
  const experiment = `review-notebook-${Date.now()}`;
  let cells: ICell[];
  let read: IRead[];

  const cell = (line: string): ICell => {
    const found = cells.filter(c => c.source.includes(line));
    expect(found).toHaveLength(1);
    return found[0];
  };

  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'lib', 'node', 'index.js'))) {
      throw new Error('lib/node is missing: run `npm run build:lib`');
    }
    const link = path.join(ROOT, 'examples', 'node_modules');
    if (!fs.existsSync(path.join(link, 'jupyterlab-mlflow-traces'))) {
      fs.mkdirSync(link, { recursive: true });
      fs.symlinkSync(
        path.join('..', '..'),
        path.join(link, 'jupyterlab-mlflow-traces'),
        'dir'
      );
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-nb-'));
    const output = path.join(dir, 'review.executed.ipynb');
    const env = venvEnv({
      MLFLOW_TRACKING_URI: uri,
      MLFLOW_EXPERIMENT_NAME: experiment
    });
    execFileSync(
      PYTHON,
      [
        path.join(FIXTURES, 'run_notebook.py'),
        path.join(ROOT, 'examples', 'review.ipynb'),
        output,
        '--timeout',
        '180'
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    cells = JSON.parse(fs.readFileSync(output, 'utf8'))
      .cells.filter((c: any) => c.cell_type === 'code')
      .map((c: any) => ({ ...c, source: text(c.source) }));
    const listed = displays(cell("trace.name = 'answer'"))[0].data?.[LIST_MIME];
    const ids = listed.traces.map((t: any) => t.trace_id as string);
    read = JSON.parse(
      execFileSync(
        PYTHON,
        [path.join(FIXTURES, 'read_assessments.py'), ...ids],
        {
          env,
          encoding: 'utf8'
        }
      )
    );
  });

  it('runs every cell without an error', () => {
    const failed = cells.filter(c =>
      (c.outputs ?? []).some(o => o.output_type === 'error')
    );
    expect(failed.map(c => c.source)).toEqual([]);
    expect(read).toHaveLength(5);
  });

  it("lands every label on the server, as MLflow's SDK reads it", () => {
    const [first, second, ...rest] = read;
    const named = (entry: IRead, name: string) =>
      entry.assessments.filter(a => a.name === name);
    const [thumbs] = named(first, 'thumbs_up');
    expect(thumbs).toMatchObject({
      kind: 'Feedback',
      value: true,
      valid: true,
      span_id: null,
      source_type: 'HUMAN',
      source_id: REVIEWER,
      rationale: 'Answers from the retrieved passage, word for word.'
    });
    expect(named(first, 'thumbs_up')).toHaveLength(1);
    const [expected] = named(first, 'expected_facts');
    expect(expected).toMatchObject({
      kind: 'Expectation',
      value: { facts: ['inputs', 'outputs', 'timing'] },
      source_type: 'HUMAN',
      source_id: REVIEWER
    });
    // The judge's score on the retriever's span, superseded by the reviewer's override
    const relevance = named(first, 'relevance');
    const judged = relevance.find(a => a.source_type === 'LLM_JUDGE')!;
    const override = relevance.find(a => a.source_type === 'HUMAN')!;
    expect(relevance).toHaveLength(2);
    expect(judged).toMatchObject({
      value: 0.4,
      valid: false,
      source_id: 'local-judge',
      span_id: first.spans.retrieve
    });
    expect(override).toMatchObject({
      value: 1,
      valid: true,
      source_id: REVIEWER,
      overrides: judged.assessment_id,
      span_id: first.spans.retrieve,
      rationale: 'One passage is all the question needs.'
    });
    // The mistake is deleted: only the second thumbs remains
    expect(named(second, 'thumbs_up').map(a => [a.value, a.valid])).toEqual([
      [true, true]
    ]);
    // (the helper's traces also carry OpenTelemetry's service.name as a tag)
    expect(first.tags.review).toBe('done');
    expect(second.tags.review).toBe('done');
    expect(Object.keys(second.tags)).not.toContain('dataset');
    expect(rest.map(entry => entry.assessments)).toEqual([[], [], []]);
  });

  it('shows the list, the labelled trace and the reviewed traces', () => {
    const reviewed = displays(cell("tags.review = 'done'"))[0].data?.[
      LIST_MIME
    ];
    expect(reviewed.traces.map((t: any) => t.trace_id)).toEqual([
      read[0].trace_id,
      read[1].trace_id
    ]);
    // Its static table names each row's labels, the superseded judge's not
    const table = text(
      displays(cell("tags.review = 'done'"))[0].data?.['text/html']
    );
    expect(table).toContain('<td>thumbs_up: true, expected_facts: ');
    expect(table).toContain(', relevance: 1</td>');
    expect(table).not.toContain('relevance: 0.4');
    const [shown] = displays(cell('await show(first);'));
    const data = shown.data ?? {};
    const [entry] = data[TRACE_MIME].traces;
    expect(entry.trace_id).toBe(read[0].trace_id);
    expect(
      entry.info.assessments.map((a: any) => a.assessment_name).sort()
    ).toEqual(['expected_facts', 'relevance', 'relevance', 'thumbs_up']);
    // What a reader without the renderer (or a server) sees
    const html = text(data['text/html']);
    expect(html).toContain('3 assessments · 1 superseded assessment not shown');
    expect(html).toContain(`by HUMAN ${REVIEWER}`);
    expect(html).toContain(
      'On span <span class="jp-MlflowTraceFallback-type">RETRIEVER</span>'
    );
    expect(text(data['text/plain'])).toMatch(/, 3 assessments$/);
  });
});
