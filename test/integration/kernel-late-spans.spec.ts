/**
 * Spans that end after their root, against the real tracking server: a
 * second OTLP request for a trace the server already stored is merged into
 * it, so a child the code did not await lands in the server's trace without
 * flush(), and on a real tslab kernel the trace's output is updated in place
 * to hold it. Our spans nest exactly as they ran, and an object shared by two
 * inputs is stored twice, not as "[Circular]".
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { MlflowClient } from '../../src/client';
import { GRACE_MS } from '../../src/kernel/processor';
import { buildTrace } from '../../src/trace';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');

const TRACE_MIME = 'application/vnd.mlflow.trace+json';
const url = process.env.MLFLOW_TEST_TRACKING_URI!;
const experimentId = process.env.MLFLOW_TEST_EXPERIMENT_ID!;
const client = new MlflowClient({ trackingUri: url });
const run = promisify(execFile);

const CHILD = path.join(__dirname, 'late-spans-child.cjs');

describe('late spans from a Node process, on the real server', () => {
  let result: {
    late: { traceId: string; first: string[]; final: string[] };
    nest: { traceId: string };
  };

  beforeAll(async () => {
    const { stdout } = await run(process.execPath, [CHILD, url, experimentId]);
    result = JSON.parse(stdout);
  });

  it('stores a child that ends after the grace period, without flush()', async () => {
    // The root's request went out without it; a follow-up request added it.
    expect(result.late.first).toEqual(['agent', 'answer']);
    expect(result.late.final).toEqual(['agent', 'answer', 'background']);
    const info = await client.getTraceInfo(result.late.traceId);
    expect(info.state).toBe('OK');
    // The server extends the trace to its last span's end.
    expect(parseFloat(String(info.execution_duration))).toBeGreaterThanOrEqual(
      (GRACE_MS + 1000) / 1000
    );
  });

  it('nests many quick spans exactly, so the trace has no problems', async () => {
    const { traceId } = result.nest;
    const spans = await client.getTraceSpans(traceId);
    expect(spans).toHaveLength(91);
    const built = buildTrace(await client.getTraceInfo(traceId), spans);
    expect(built.warnings).toEqual([]);
    // Exactly, not within the model's tolerance: child within parent, in ns.
    for (const node of built.nodesInOrder) {
      if (node.parent) {
        expect(node.span.startNs).toBeGreaterThanOrEqual(
          node.parent.span.startNs
        );
        expect(node.span.endNs as number).toBeLessThanOrEqual(
          node.parent.span.endNs as number
        );
      }
    }
  });
});

function codeCell(source: string) {
  return {
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source
  };
}

interface IOutput {
  output_type: string;
  text?: string | string[];
  data?: Record<string, any>;
  metadata?: Record<string, any>;
}

describe('late spans on a real tslab kernel', () => {
  let outputs: IOutput[];
  let stdout: string;

  beforeAll(async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-late-'));
    fs.mkdirSync(path.join(work, 'node_modules'));
    fs.symlinkSync(
      ROOT,
      path.join(work, 'node_modules', 'jupyterlab-mlflow-traces'),
      'dir'
    );
    const notebook = {
      cells: [
        codeCell(
          [
            'import * as mt from "jupyterlab-mlflow-traces";',
            `await mt.configure({ trackingUri: ${JSON.stringify(url)}, experimentId: ${JSON.stringify(experimentId)} });`
          ].join('\n')
        ),
        codeCell(
          [
            'const shared = { id: 7, tags: ["x"] };',
            'const agent = mt.trace(async function agent(query: unknown) {',
            '  // Not awaited: it ends after the root and its grace period.',
            `  void mt.withSpan("background", async () => { await new Promise(r => setTimeout(r, ${GRACE_MS + 600})); return "late"; });`,
            '  return mt.withSpan("answer", async () => "done");',
            '}, { spanType: "AGENT" });',
            'await agent({ a: shared, b: shared });',
            'console.log(`trace ${mt.getLastTraceId()}`);',
            '// The cell goes on: the late span ends while it still runs.',
            `await new Promise(r => setTimeout(r, ${GRACE_MS + 2500}));`
          ].join('\n')
        )
      ],
      metadata: {
        kernelspec: {
          name: 'tslab',
          display_name: 'TypeScript',
          language: 'typescript'
        }
      },
      nbformat: 4,
      nbformat_minor: 5
    };
    const input = path.join(work, 'late.ipynb');
    const saved = path.join(work, 'late.executed.ipynb');
    fs.writeFileSync(input, JSON.stringify(notebook));
    await run(
      PYTHON,
      [
        path.join(ROOT, 'test', 'fixtures', 'run_notebook.py'),
        input,
        saved,
        '--timeout',
        '120'
      ],
      { env: venvEnv({}), maxBuffer: 64 << 20 }
    );
    const cell = JSON.parse(fs.readFileSync(saved, 'utf8')).cells[1];
    outputs = cell.outputs;
    stdout = outputs
      .filter(o => o.output_type === 'stream')
      .map(o => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
      .join('');
  });

  it('updates the trace output in place to hold the late span', () => {
    const displays = outputs.filter(o => o.output_type === 'display_data');
    expect(displays).toHaveLength(1);
    const entry = displays[0].data?.[TRACE_MIME].traces[0];
    expect(entry.spans.map((s: any) => s.name).sort()).toEqual([
      'agent',
      'answer',
      'background'
    ]);
    expect(stdout).toContain(`trace ${entry.trace_id}`);
    const text = displays[0].data?.['text/plain'];
    expect(Array.isArray(text) ? text.join('') : text).toContain('3 spans');
  });

  it("stores the late span and the shared inputs, read by MLflow's Python client", async () => {
    const traceId = /trace (tr-[0-9a-f]+)/.exec(stdout)?.[1] as string;
    expect(traceId).toBeDefined();
    const { stdout: json } = await run(
      PYTHON,
      [path.join(ROOT, 'test', 'fixtures', 'read_traces.py'), traceId],
      { env: venvEnv({ MLFLOW_TRACKING_URI: url }), maxBuffer: 64 << 20 }
    );
    const [read] = JSON.parse(json);
    expect(read.state).toBe('OK');
    expect(read.spans.map((s: any) => s.name).sort()).toEqual([
      'agent',
      'answer',
      'background'
    ]);
    const root = read.spans.find((s: any) => s.parent_id === null);
    const shared = { id: 7, tags: ['x'] };
    expect(root.inputs).toEqual({ query: { a: shared, b: shared } });
  });
});
