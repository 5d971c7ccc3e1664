import { buildTrace, ISpanNode, problemsHeadline } from '../../../src/trace';
import { makeInfo, makeSpan, outline } from './factory';

function node(nodes: Map<string, ISpanNode>, id: string): ISpanNode {
  const found = nodes.get(id);
  if (!found) {
    throw new Error(`no node ${id}`);
  }
  return found;
}

describe('buildTrace: shape', () => {
  //  root [0, 100]
  //  ├─ b [10, 20]   (listed before a, starts after it)
  //  │  └─ c [12, 15]
  //  ├─ a [5, 8]
  //  └─ t1, t2 [30, 40] (same start: input order)
  const trace = buildTrace(makeInfo(), [
    makeSpan({ id: 'b', parent: 'root', startMs: 10, endMs: 20 }),
    makeSpan({ id: 't1', parent: 'root', startMs: 30, endMs: 40 }),
    makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
    makeSpan({ id: 'c', parent: 'b', startMs: 12, endMs: 15 }),
    makeSpan({ id: 't2', parent: 'root', startMs: 30, endMs: 40 }),
    makeSpan({ id: 'a', parent: 'root', startMs: 5, endMs: 8 })
  ]);

  it('orders children by start time, ties in input order', () => {
    expect(outline(trace.nodesInOrder)).toBe('root .a .b ..c .t1 .t2');
  });

  it('links parents and roots', () => {
    expect(trace.roots.map(r => r.span.name)).toEqual(['root']);
    expect(node(trace.nodeById, 'c').parent?.span.name).toBe('b');
    expect(node(trace.nodeById, 'root').parent).toBeNull();
  });

  it('sets depth', () => {
    expect(trace.nodesInOrder.map(n => n.depth)).toEqual([0, 1, 1, 2, 1, 1]);
  });

  it('measures duration and start offset in ms', () => {
    const b = node(trace.nodeById, 'b');
    expect(b.durationMs).toBeCloseTo(10, 3);
    expect(b.startOffsetMs).toBeCloseTo(10, 3);
    expect(node(trace.nodeById, 'root').startOffsetMs).toBe(0);
  });

  it('raises no warnings on a well-formed trace', () => {
    expect(trace.warnings).toEqual([]);
  });

  it('keeps every span in input order in spans', () => {
    expect(trace.spans.map(s => s.name)).toEqual([
      'b',
      't1',
      'root',
      'c',
      't2',
      'a'
    ]);
  });
});

describe('buildTrace: self time', () => {
  it.each([
    ['no children', [], 100],
    [
      'disjoint children',
      [
        [10, 20],
        [30, 50]
      ],
      70
    ],
    [
      'overlapping children',
      [
        [10, 40],
        [30, 60]
      ],
      50
    ],
    [
      'nested-in-time children',
      [
        [10, 60],
        [20, 30]
      ],
      50
    ],
    ['child past the parent end is clipped', [[90, 150]], 90],
    ['child before the parent start is clipped', [[-20, 10]], 90],
    [
      'children covering the parent',
      [
        [0, 60],
        [50, 100]
      ],
      0
    ]
  ] as [string, number[][], number][])('%s', (_, children, selfMs) => {
    const spans = [
      makeSpan({ id: 'p', startMs: 0, endMs: 100 }),
      ...children.map(([s, e], i) =>
        makeSpan({ id: `c${i}`, parent: 'p', startMs: s, endMs: e })
      )
    ];
    const trace = buildTrace(makeInfo(), spans);
    expect(node(trace.nodeById, 'p').selfTimeMs).toBeCloseTo(selfMs, 3);
  });

  it('counts only direct children, not grandchildren', () => {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'p', startMs: 0, endMs: 100 }),
      makeSpan({ id: 'c', parent: 'p', startMs: 10, endMs: 30 }),
      makeSpan({ id: 'g', parent: 'c', startMs: 10, endMs: 30 })
    ]);
    expect(node(trace.nodeById, 'p').selfTimeMs).toBeCloseTo(80, 3);
    expect(node(trace.nodeById, 'c').selfTimeMs).toBeCloseTo(0, 3);
  });
});

describe('buildTrace: in-progress spans', () => {
  const spans = [
    makeSpan({ id: 'root', startMs: 0, endMs: null }),
    makeSpan({ id: 'done', parent: 'root', startMs: 10, endMs: 70 })
  ];

  it('measures an open span to the latest known time', () => {
    const trace = buildTrace(makeInfo({ state: 'IN_PROGRESS' }), spans);
    const root = node(trace.nodeById, 'root');
    expect(root.span.inProgress).toBe(true);
    expect(root.durationMs).toBeCloseTo(70, 3);
  });

  it.each([
    ['IN_PROGRESS', 0],
    ['OK', 1]
  ] as const)(
    'trace state %s gives %i in-progress warnings',
    (state, count) => {
      const trace = buildTrace(makeInfo({ state }), spans);
      const kinds = trace.warnings.map(w => w.kind);
      expect(kinds.filter(k => k === 'in-progress')).toHaveLength(count);
    }
  );
});

describe('buildTrace: a child outside its parent', () => {
  // Emitters that take a span's start from a millisecond wall clock and its
  // end from a monotonic one skew a child by less than 1 ms: no problem.
  function outsideIds(childStartMs: number, childEndMs: number): string[] {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'p', startMs: 10, endMs: 20 }),
      makeSpan({
        id: 'c',
        parent: 'p',
        startMs: childStartMs,
        endMs: childEndMs
      })
    ]);
    return trace.warnings
      .filter(w => w.kind === 'outside-parent')
      .map(w => w.spanId as string);
  }

  it.each([
    ['starts 0.4 ms early', 9.6, 15],
    ['ends 0.9 ms late', 12, 20.9],
    ['starts and ends 1 ms outside', 9, 21]
  ])('is not a problem when it %s', (_what, startMs, endMs) => {
    expect(outsideIds(startMs, endMs)).toEqual([]);
  });

  it.each([
    ['starts 5 ms early', 5, 15],
    ['ends 5 ms late', 12, 25],
    ['ends 1.1 ms late', 12, 21.1]
  ])('is a problem when it %s', (_what, startMs, endMs) => {
    expect(outsideIds(startMs, endMs)).toEqual(['c']);
  });
});

describe('problemsHeadline', () => {
  it.each([
    [1, "1 problem in this trace's data (every span is still shown)"],
    [5, "5 problems in this trace's data (every span is still shown)"]
  ])('says %i', (count, text) => {
    expect(problemsHeadline(count)).toBe(text);
  });
});
