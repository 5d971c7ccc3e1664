import fc from 'fast-check';
import {
  buildTrace,
  compareTraces,
  ITrace,
  summarizeTrace
} from '../../../src/trace';
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

describe('compareTraces keeps every span', () => {
  /** Rows holding each node, by side; every count must be exactly 1. */
  function rowsPerNode(left: ITrace, right: ITrace) {
    const rows = compareTraces(left, right).rows;
    const count = (side: 'left' | 'right', trace: ITrace) =>
      trace.nodesInOrder.map(
        node => rows.filter(row => row[side] === node).length
      );
    return { left: count('left', left), right: count('right', right), rows };
  }

  it('keeps a second `llm` and a span literally named `llm#2` apart', () => {
    const spans = (p: string) => [
      makeSpan({ id: `${p}root`, name: 'agent', startMs: 0, endMs: 100 }),
      makeSpan({ id: `${p}1`, parent: `${p}root`, name: 'llm', startMs: 1 }),
      makeSpan({ id: `${p}2`, parent: `${p}root`, name: 'llm', startMs: 2 }),
      makeSpan({ id: `${p}3`, parent: `${p}root`, name: 'llm#2', startMs: 3 })
    ];
    const left = buildTrace(undefined, spans('l'));
    const right = buildTrace(undefined, spans('r'));
    const { left: l, right: r, rows } = rowsPerNode(left, right);
    expect(l).toEqual([1, 1, 1, 1]);
    expect(r).toEqual([1, 1, 1, 1]);
    expect(
      rows.map(row => [row.left?.span.spanId, row.right?.span.spanId])
    ).toEqual([
      ['lroot', 'rroot'],
      ['l1', 'r1'],
      ['l2', 'r2'],
      ['l3', 'r3']
    ]);
    expect(new Set(rows.map(row => row.key)).size).toBe(rows.length);
  });

  it('keeps a span named `a/b` apart from a span `b` under a span `a`', () => {
    const left = buildTrace(undefined, [
      makeSpan({ id: 'root', name: 'agent', startMs: 0, endMs: 100 }),
      makeSpan({ id: 'ab', parent: 'root', name: 'a/b', startMs: 1 }),
      makeSpan({ id: 'a', parent: 'root', name: 'a', startMs: 2 }),
      makeSpan({ id: 'b', parent: 'a', name: 'b', startMs: 3 })
    ]);
    const right = buildTrace(undefined, [
      makeSpan({ id: 'root', name: 'agent', startMs: 0, endMs: 100 }),
      makeSpan({ id: 'a', parent: 'root', name: 'a', startMs: 2 }),
      makeSpan({ id: 'b', parent: 'a', name: 'b', startMs: 3 })
    ]);
    const { left: l, right: r, rows } = rowsPerNode(left, right);
    expect(l).toEqual([1, 1, 1, 1]);
    expect(r).toEqual([1, 1, 1]);
    const slashRow = rows.find(row => row.left?.span.spanId === 'ab')!;
    expect(slashRow.right).toBeUndefined();
    const bRow = rows.find(row => row.left?.span.spanId === 'b')!;
    expect(bRow.right?.span.spanId).toBe('b');
  });

  it('has every span of both traces exactly once, for any names and shapes', () => {
    const names = fc.constantFrom(
      'llm',
      'llm#2',
      'llm#1',
      '#2',
      'a/b',
      'a',
      'b',
      '/',
      '',
      '%2F',
      'a%2Fb',
      '\\'
    );
    // Each span's parent is an earlier span (or none): any forest.
    const forest = fc.array(fc.record({ name: names, parent: fc.nat() }), {
      minLength: 1,
      maxLength: 25
    });
    const build = (prefix: string, shape: { name: string; parent: number }[]) =>
      buildTrace(
        undefined,
        shape.map((item, i) =>
          makeSpan({
            id: `${prefix}${i}`,
            name: item.name,
            parent:
              i === 0 || item.parent % (i + 1) === i
                ? null
                : `${prefix}${item.parent % i}`,
            startMs: i,
            endMs: 100
          })
        )
      );
    fc.assert(
      fc.property(forest, forest, (a, b) => {
        const left = build('l', a);
        const right = build('r', b);
        const { left: l, right: r, rows } = rowsPerNode(left, right);
        expect(l.every(n => n === 1)).toBe(true);
        expect(r.every(n => n === 1)).toBe(true);
        expect(l.length).toBe(a.length);
        expect(r.length).toBe(b.length);
        expect(new Set(rows.map(row => row.key)).size).toBe(rows.length);
      }),
      { numRuns: 300 }
    );
  });
});

describe('compareTraces totals', () => {
  it('total duration delta is the difference of the headers\u2019 durations', () => {
    // A child that ends after its root (an un-awaited step): the header shows the root's extent.
    const late = buildTrace(undefined, [
      makeSpan({ id: 'root', name: 'agent', startMs: 0, endMs: 100 }),
      makeSpan({ id: 'c', parent: 'root', name: 'bg', startMs: 50, endMs: 400 })
    ]);
    const plain = buildTrace(undefined, [
      makeSpan({ id: 'root', name: 'agent', startMs: 0, endMs: 150 })
    ]);
    const delta = compareTraces(late, plain).totalDurationDeltaMs;
    expect(delta).toBeCloseTo(
      summarizeTrace(plain).durationMs! - summarizeTrace(late).durationMs!
    );
  });
});
