/**
 * Traces written by MLflow's own Python SDK, read back by our client and
 * trace model from a real `mlflow server`, compared with what the Python SDK
 * says of the same traces (global-setup.js writes that to MLFLOW_TEST_FIXTURES).
 */
import fs from 'fs';
import { MlflowClient } from '../../src/client';
import { buildTrace, ITrace, summarizeTrace } from '../../src/trace';

interface IPythonSpan {
  span_id: string;
  parent_id: string | null;
  name: string;
  span_type: string;
  status: string;
}

interface IPythonTrace {
  trace_id: string;
  state: string;
  name: string;
  span_count: number;
  token_usage: {
    input_tokens: number;
    output_tokens: number;
    total_tokens: number;
  } | null;
  spans: IPythonSpan[];
}

interface IExpected {
  experiment_id: string;
  hostile_name: string;
  long_text_length: number;
  traces: Record<string, IPythonTrace>;
}

const expected: IExpected = JSON.parse(
  fs.readFileSync(process.env.MLFLOW_TEST_FIXTURES!, 'utf8')
);
const client = new MlflowClient({
  trackingUri: process.env.MLFLOW_TEST_TRACKING_URI!
});
const loaded = new Map<string, ITrace>();

async function load(label: string): Promise<ITrace> {
  if (!loaded.has(label)) {
    const raw = await client.getTrace(expected.traces[label].trace_id);
    loaded.set(label, buildTrace(raw.info, raw.spans));
  }
  return loaded.get(label)!;
}

const LABELS = ['nested', 'error', 'chat', 'unicode', 'big'];

describe.each(LABELS)('the Python SDK trace "%s"', label => {
  it('has the span count, names, parent links, types and status the Python SDK reports', async () => {
    const python = expected.traces[label];
    const trace = await load(label);
    expect(trace.spans).toHaveLength(python.span_count);
    expect(trace.warnings).toEqual([]);
    const ours = new Map(trace.spans.map(span => [span.spanId, span]));
    for (const pySpan of python.spans) {
      const span = ours.get(pySpan.span_id);
      expect(span).toBeDefined();
      expect({
        id: pySpan.span_id,
        parent: span!.parentId,
        name: span!.name,
        type: span!.spanType,
        status: span!.status
      }).toEqual({
        id: pySpan.span_id,
        parent: pySpan.parent_id,
        name: pySpan.name,
        type: pySpan.span_type,
        status: pySpan.status
      });
    }
  });

  it('summarizes to the trace id, name, state and token usage the Python SDK reports', async () => {
    const python = expected.traces[label];
    const summary = summarizeTrace(await load(label));
    expect(summary.traceId).toBe(python.trace_id);
    expect(summary.name).toBe(python.name);
    expect(summary.state).toBe(python.state);
    expect(summary.spanCount).toBe(python.span_count);
    expect(summary.errorCount).toBe(
      python.spans.filter(s => s.status === 'ERROR').length
    );
    if (python.token_usage) {
      expect(summary.tokenUsage).toEqual({
        input: python.token_usage.input_tokens,
        output: python.token_usage.output_tokens,
        total: python.token_usage.total_tokens
      });
    } else {
      expect(summary.tokenUsage).toBeNull();
    }
  });
});

describe('content of the Python SDK traces', () => {
  it('keeps unicode, hostile markup and a very long string exactly as written', async () => {
    const trace = await load('unicode');
    const root = trace.roots[0].span;
    expect(root.name).toBe('unicode_ünïcödé_🚀_עברית');
    expect((root.outputs as { text: string }).text).toHaveLength(
      expected.long_text_length
    );
    const child = trace.roots[0].children[0].span;
    expect(child.name).toBe(expected.hostile_name);
    expect(child.inputs).toEqual({
      payload: "<script>alert('x')</script>",
      rtl: '\u202eevil\u202c',
      emoji: '👩‍💻'
    });
  });

  it('finds the exception event of the span that raised', async () => {
    const trace = await load('error');
    const failing = trace.spans.find(span => span.name === 'flaky_tool')!;
    expect(failing.error).toBe(true);
    const exception = failing.events.find(event => event.isException)!;
    expect(exception.attributes['exception.type']).toBe('ValueError');
    expect(exception.attributes['exception.message']).toBe(
      'flaky_tool failed on 7'
    );
    expect(String(exception.attributes['exception.stacktrace'])).toContain(
      'Traceback'
    );
  });

  it('decodes chat inputs and outputs and per-span token usage', async () => {
    const trace = await load('chat');
    const calls = trace.spans.filter(span => span.name === 'chat_completion');
    expect(calls).toHaveLength(2);
    expect((calls[1].inputs as { messages: unknown[] }).messages).toHaveLength(
      3
    );
    expect(calls.map(span => span.tokenUsage?.total)).toEqual([12, 26]);
  });

  it('orders the 5,000-span trace depth first with children by start time', async () => {
    const trace = await load('big');
    expect(trace.nodesInOrder).toHaveLength(5000);
    expect(trace.roots).toHaveLength(1);
    const steps = trace.roots[0].children;
    expect(steps.map(node => node.span.name)).toEqual(
      Array.from({ length: 50 }, (_, i) => `step_${i}`)
    );
    for (const step of steps) {
      const starts = step.children.map(node => node.span.startNs);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
    expect(Math.max(...trace.nodesInOrder.map(node => node.depth))).toBe(2);
  });
});
