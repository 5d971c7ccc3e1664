/**
 * summarize() in a real tslab kernel (nbclient) against the real tracking
 * server: one display under the cell with the trace-summary payload, its
 * text/html and text/plain, the same payload the cell gets back, and the
 * configured experiment and last 24 hours by default.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  renderTraceSummaryHtml,
  renderTraceSummaryText
} from '../../src/bundle';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');

const SUMMARY_MIME = 'application/vnd.mlflow.trace-summary+json';
const START_MS = 1796083200000; // write_summary_traces.py's range
const END_MS = START_MS + 5 * 3_600_000 - 1;

interface IOutput {
  output_type: string;
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

describe('summarize() in a tslab kernel', () => {
  const uri = process.env.MLFLOW_TEST_TRACKING_URI as string;
  let cells: { outputs: IOutput[] }[];
  let experimentId: string;

  beforeAll(() => {
    // the kernel loads the package as built (npm test's setup builds it)
    if (
      !fs.existsSync(path.join(ROOT, 'lib', 'node', 'kernel', 'summary.js'))
    ) {
      throw new Error('lib/node has no summarize(): run `npm run build:lib`');
    }
    const written = JSON.parse(
      execFileSync(
        PYTHON,
        [
          path.join(ROOT, 'test', 'fixtures', 'write_summary_traces.py'),
          uri,
          `summary-kernel-${Date.now()}-${process.pid}`
        ],
        { encoding: 'utf8', env: venvEnv({ MLFLOW_TRACKING_URI: uri }) }
      )
        .trim()
        .split('\n')
        .pop() as string
    );
    experimentId = written.experiment_id;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summary-kernel-'));
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
          "import { configure, summarize } from 'jupyterlab-mlflow-traces';\n" +
            `await configure({ experimentId: '${experimentId}', autoDisplay: false });`
        ),
        cell(
          `const payload = await summarize({ start: ${START_MS}, end: new Date(${END_MS}), interval: '1h' });\n` +
            'console.log(JSON.stringify(payload));'
        ),
        cell(
          'const recent = await summarize({ useServer: false });\n' +
            'console.log(JSON.stringify(recent.query));'
        ),
        cell(
          `const searched = await summarize({ start: ${START_MS}, end: ${END_MS}, useServer: false, groupBy: 'tags.version' });\n` +
            'console.log(JSON.stringify(searched.segments.map(s => s.value)));'
        ),
        cell(
          "import { check } from 'jupyterlab-mlflow-traces';\n" +
            `const broken = await check({ start: ${START_MS}, end: ${END_MS}, budgets: { errorRate: 0.05, spans: [{ spanType: 'LLM', p90Ms: 1 }] } });\n` +
            'console.log(JSON.stringify(broken));'
        )
      ]
    };
    const input = path.join(dir, 'summary.ipynb');
    const output = path.join(dir, 'summary.executed.ipynb');
    fs.writeFileSync(input, JSON.stringify(notebook));
    execFileSync(
      PYTHON,
      [
        path.join(ROOT, 'test', 'fixtures', 'run_notebook.py'),
        input,
        output,
        '--timeout',
        '180'
      ],
      {
        env: venvEnv({ MLFLOW_TRACKING_URI: uri }),
        stdio: ['ignore', 'pipe', 'pipe']
      }
    );
    cells = JSON.parse(fs.readFileSync(output, 'utf8')).cells;
  });

  it('displays one output with the payload, its text/html and text/plain, and returns the payload', () => {
    const out = cells[1].outputs;
    const displays = out.filter(o => o.output_type === 'display_data');
    expect(displays).toHaveLength(1);
    const data = displays[0].data ?? {};
    expect(Object.keys(data).sort()).toEqual(
      [SUMMARY_MIME, 'text/html', 'text/plain'].sort()
    );
    const payload = data[SUMMARY_MIME];
    expect(payload.source).toBe('server');
    expect(payload.tracking_uri).toBe(uri);
    expect(payload.query).toEqual({
      experiment_ids: [experimentId],
      start_time_ms: START_MS,
      end_time_ms: END_MS,
      interval_seconds: 3600
    });
    expect(payload.buckets).toHaveLength(5);
    expect(payload.totals.traces).toBeGreaterThan(0);
    expect(text(data['text/html'])).toBe(renderTraceSummaryHtml(payload));
    expect(text(data['text/plain'])).toBe(renderTraceSummaryText(payload));
    const printed = out
      .filter(o => o.output_type === 'stream')
      .map(o => text(o.text))
      .join('');
    expect(JSON.parse(printed)).toEqual(payload);
  });

  it('defaults to the last 24 hours of the configured experiment in 1 h buckets', () => {
    const out = cells[2].outputs;
    const shown = out.find(o => o.output_type === 'display_data');
    expect(shown?.data?.[SUMMARY_MIME].source).toBe('search');
    const query = JSON.parse(
      out
        .filter(o => o.output_type === 'stream')
        .map(o => text(o.text))
        .join('')
    );
    expect(query.experiment_ids).toEqual([experimentId]);
    expect(query.interval_seconds).toBe(3600);
    expect(query.end_time_ms - query.start_time_ms).toBe(24 * 3_600_000);
    expect(Math.abs(Date.now() - query.end_time_ms)).toBeLessThan(10 * 60_000);
  });

  it('the search path shows one progress line, updated in place and cleared, then the summary with its segments', () => {
    const out = cells[3].outputs;
    const displays = out.filter(o => o.output_type === 'display_data');
    expect(displays).toHaveLength(2);
    // the progress line: one display, its updates in place, cleared when done
    expect(Object.keys(displays[0].data ?? {})).toEqual(['text/plain']);
    expect(text(displays[0].data?.['text/plain'])).toBe('');
    const payload = displays[1].data?.[SUMMARY_MIME];
    expect(payload.source).toBe('search');
    expect(payload.query.group_by).toEqual({ kind: 'tag', key: 'version' });
    const printed = JSON.parse(
      out
        .filter(o => o.output_type === 'stream')
        .map(o => text(o.text))
        .join('')
    );
    expect(printed).toEqual(payload.segments.map((s: any) => s.value));
    expect(printed.slice().sort()).toEqual(['v1', 'v2', 'v3']);
    expect(uri).toBe(payload.tracking_uri);
  });

  it('check() displays the summary with its budgets and returns the violations, setting no exit code', () => {
    const out = cells[4].outputs;
    const displays = out.filter(o => o.output_type === 'display_data');
    expect(displays).toHaveLength(1);
    const payload = displays[0].data?.[SUMMARY_MIME];
    expect(payload.query.budgets).toEqual({
      error_rate: 0.05,
      spans: [{ span_type: 'LLM', p90_ms: 1 }]
    });
    expect(payload.violations.length).toBeGreaterThan(0);
    expect(payload.violations[0]).toMatchObject({
      budget: 'error_rate',
      subject: 'traces',
      limit: 0.05
    });
    const streams = out.filter(o => o.output_type === 'stream');
    expect(streams.every(o => (o as any).name === 'stdout')).toBe(true);
    expect(JSON.parse(streams.map(o => text(o.text)).join(''))).toEqual(
      payload.violations
    );
  });
});
