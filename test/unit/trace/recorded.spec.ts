/**
 * The trace model on responses recorded from a real `mlflow server`
 * (`npm run record-fixtures`), checked against what MLflow's Python SDK said
 * of the same traces when they were recorded (recorded/expected.json).
 */
import fs from 'fs';
import path from 'path';
import { buildTrace, summarizeTrace } from '../../../src/trace';

const RECORDED = path.resolve(__dirname, '..', '..', 'fixtures', 'recorded');
const expected = JSON.parse(
  fs.readFileSync(path.join(RECORDED, 'expected.json'), 'utf8')
);

function loadRecorded(label: string) {
  const info = JSON.parse(
    fs.readFileSync(path.join(RECORDED, `${label}.info.json`), 'utf8')
  );
  const data = JSON.parse(
    fs.readFileSync(path.join(RECORDED, `${label}.spans.json`), 'utf8')
  );
  return buildTrace(info.trace.trace_info, data.spans);
}

describe.each(Object.keys(expected.traces))('recorded trace "%s"', label => {
  const python = expected.traces[label];
  const trace = loadRecorded(label);

  it('parses every span with no warning', () => {
    expect(trace.warnings).toEqual([]);
    expect(trace.nodesInOrder).toHaveLength(python.span_count);
  });

  it('links each span to the parent the Python SDK reports', () => {
    const parents = Object.fromEntries(
      trace.spans.map(span => [span.spanId, span.parentId])
    );
    const pythonParents = Object.fromEntries(
      python.spans.map(
        (span: { span_id: string; parent_id: string | null }) => [
          span.span_id,
          span.parent_id
        ]
      )
    );
    expect(parents).toEqual(pythonParents);
  });

  it('reads each span type and status as the Python SDK does', () => {
    const ours = trace.spans
      .map(span => `${span.name}|${span.spanType}|${span.status}`)
      .sort();
    const theirs = python.spans
      .map(
        (span: { name: string; span_type: string; status: string }) =>
          `${span.name}|${span.span_type}|${span.status}`
      )
      .sort();
    expect(ours).toEqual(theirs);
  });

  it('places every child inside its parent and after it in row order', () => {
    trace.nodesInOrder.forEach((node, row) => {
      if (node.parent) {
        expect(trace.nodesInOrder.indexOf(node.parent)).toBeLessThan(row);
        expect(node.depth).toBe(node.parent.depth + 1);
        expect(node.startOffsetMs).toBeGreaterThanOrEqual(
          node.parent.startOffsetMs
        );
      }
      expect(node.selfTimeMs).toBeLessThanOrEqual(node.durationMs + 1e-9);
      expect(node.selfTimeMs).toBeGreaterThanOrEqual(0);
    });
  });

  it('summarizes to the Python SDK figures', () => {
    const summary = summarizeTrace(trace);
    expect(summary.traceId).toBe(python.trace_id);
    expect(summary.name).toBe(python.name);
    expect(summary.state).toBe(python.state);
    const usage = python.token_usage;
    expect(summary.tokenUsage).toEqual(
      usage
        ? {
            input: usage.input_tokens,
            output: usage.output_tokens,
            total: usage.total_tokens
          }
        : null
    );
    expect(summary.durationMs).toBeGreaterThan(0);
  });
});
