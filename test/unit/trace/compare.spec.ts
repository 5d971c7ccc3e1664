import { buildTrace, compareTraces } from '../../../src/trace';
import { makeSpan } from './factory';

const usage = (total: number) => ({
  'mlflow.chat.tokenUsage': {
    input_tokens: total - 1,
    output_tokens: 1,
    total_tokens: total
  }
});

/*
 * before:  agent ─┬─ retrieve          after:  agent ─┬─ retrieve
 *                 ├─ llm (10 tokens)                 ├─ rerank        (new)
 *                 └─ llm (20 tokens)                 ├─ llm (12 tokens)
 *                                                    └─ llm (20 tokens, ERROR)
 *                 + cache (gone)
 */
const before = buildTrace(undefined, [
  makeSpan({ id: 'a', name: 'agent', startMs: 0, endMs: 100 }),
  makeSpan({ id: 'r', parent: 'a', name: 'retrieve', startMs: 1, endMs: 11 }),
  makeSpan({
    id: 'l1',
    parent: 'a',
    name: 'llm',
    startMs: 20,
    endMs: 40,
    attributes: usage(10)
  }),
  makeSpan({
    id: 'l2',
    parent: 'a',
    name: 'llm',
    startMs: 50,
    endMs: 90,
    attributes: usage(20)
  }),
  makeSpan({ id: 'c', parent: 'a', name: 'cache', startMs: 91, endMs: 92 })
]);
const after = buildTrace(undefined, [
  makeSpan({ id: 'A', name: 'agent', startMs: 0, endMs: 150 }),
  makeSpan({ id: 'R', parent: 'A', name: 'retrieve', startMs: 1, endMs: 21 }),
  makeSpan({ id: 'K', parent: 'A', name: 'rerank', startMs: 22, endMs: 30 }),
  makeSpan({
    id: 'L1',
    parent: 'A',
    name: 'llm',
    startMs: 31,
    endMs: 60,
    attributes: usage(12)
  }),
  makeSpan({
    id: 'L2',
    parent: 'A',
    name: 'llm',
    startMs: 61,
    endMs: 149,
    attributes: usage(20),
    status: 'ERROR'
  })
]);

describe('compareTraces', () => {
  const comparison = compareTraces(before, after);
  const byKey = new Map(comparison.rows.map(row => [row.key, row]));

  it('aligns spans by name path and occurrence', () => {
    expect(comparison.rows.map(row => row.key)).toEqual([
      '',
      '/retrieve',
      '/rerank',
      '/llm',
      '/llm#2',
      '/cache'
    ]);
    expect(byKey.get('/llm#2')!.left!.span.spanId).toBe('l2');
    expect(byKey.get('/llm#2')!.right!.span.spanId).toBe('L2');
  });

  it('marks spans present in one trace only', () => {
    expect(byKey.get('/rerank')!.left).toBeUndefined();
    expect(byKey.get('/cache')!.right).toBeUndefined();
    expect([comparison.onlyLeft, comparison.onlyRight]).toEqual([1, 1]);
  });

  it('computes duration, token and status deltas per pair and in total', () => {
    expect(byKey.get('/retrieve')!.durationDeltaMs).toBeCloseTo(10);
    expect(byKey.get('/llm')!.tokenDelta).toBe(2);
    expect(byKey.get('/llm#2')!.statusChanged).toBe(true);
    expect(byKey.get('/llm')!.statusChanged).toBe(false);
    expect(byKey.get('/rerank')!.durationDeltaMs).toBeNull();
    expect(comparison.totalDurationDeltaMs).toBeCloseTo(50);
    expect(comparison.totalTokenDelta).toBe(2);
  });

  it('aligns roots whatever their names', () => {
    const renamed = buildTrace(undefined, [
      makeSpan({ id: 'x', name: 'agent_v2', startMs: 0, endMs: 10 })
    ]);
    const rows = compareTraces(before, renamed).rows;
    expect(rows[0].left!.span.name).toBe('agent');
    expect(rows[0].right!.span.name).toBe('agent_v2');
  });

  it('compares a trace with itself as all aligned and unchanged', () => {
    const self = compareTraces(before, before);
    expect(
      self.rows.every(row => row.left && row.right && row.durationDeltaMs === 0)
    ).toBe(true);
    expect(self.totalTokenDelta).toBe(0);
  });
});
