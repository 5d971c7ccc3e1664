/**
 * Scale: 100k-span shapes build without overflowing the stack and lose no
 * span. Their speed is measured by `npm run bench`, not here.
 */
import { buildTrace, ISpanDict } from '../../../src/trace';
import { atMs } from './factory';

const N = 100_000;

function span(
  id: number,
  parent: number | null,
  startMs: number,
  endMs: number
): ISpanDict {
  return {
    span_id: `s${id}`,
    parent_span_id: parent === null ? null : `s${parent}`,
    name: `s${id}`,
    start_time_unix_nano: atMs(startMs),
    end_time_unix_nano: atMs(endMs),
    status: { code: 'STATUS_CODE_OK' },
    attributes: { 'mlflow.spanType': '"CHAIN"' }
  };
}

describe('buildTrace at 100k spans', () => {
  it('builds a 100k-deep chain without overflowing the stack', () => {
    const spans: ISpanDict[] = [];
    // listed leaf first, so parents are resolved before they are seen
    for (let i = N - 1; i >= 0; i--) {
      spans.push(span(i, i === 0 ? null : i - 1, i * 0.001, 1000 - i * 0.001));
    }
    const trace = buildTrace(undefined, spans);
    expect(trace.warnings).toEqual([]);
    expect(trace.roots).toHaveLength(1);
    expect(trace.nodesInOrder).toHaveLength(N);
    expect(trace.nodesInOrder[N - 1].span.spanId).toBe(`s${N - 1}`);
    expect(trace.nodesInOrder[N - 1].depth).toBe(N - 1);
  });

  it('builds a 100k-wide trace with children ordered by start', () => {
    const spans: ISpanDict[] = [span(0, null, 0, 2 * N)];
    // reverse start order forces a real sort
    for (let i = 1; i < N; i++) {
      spans.push(span(i, 0, N - i, N - i + 1));
    }
    const trace = buildTrace(undefined, spans);
    expect(trace.warnings).toEqual([]);
    const children = trace.roots[0].children;
    expect(children).toHaveLength(N - 1);
    expect(children[0].span.spanId).toBe(`s${N - 1}`);
    expect(children[N - 2].span.spanId).toBe('s1');
    expect(trace.nodesInOrder).toHaveLength(N);
  });

  it('breaks a 100k-span cycle iteratively', () => {
    const spans: ISpanDict[] = [];
    for (let i = 0; i < N; i++) {
      spans.push(span(i, (i + 1) % N, i * 0.001, 1000));
    }
    const trace = buildTrace(undefined, spans);
    expect(trace.warnings.map(w => w.kind)).toEqual(['cycle']);
    expect(trace.roots.map(r => r.span.spanId)).toEqual(['s0']);
    expect(trace.nodesInOrder).toHaveLength(N);
  });
});
