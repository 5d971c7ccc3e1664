import { buildTrace, ITrace, TraceWarningKind } from '../../../src/trace';
import { makeInfo, makeSpan, outline } from './factory';

/** Every parsed span appears in nodesInOrder exactly once, linked consistently. */
function expectEverySpanOnce(trace: ITrace, inputCount: number) {
  expect(trace.spans).toHaveLength(inputCount);
  expect(trace.nodesInOrder).toHaveLength(inputCount);
  const seen = new Set(trace.nodesInOrder.map(n => n.span));
  expect(seen.size).toBe(inputCount);
  for (const span of trace.spans) {
    expect(seen.has(span)).toBe(true);
  }
  expect(new Set(trace.spans.map(s => s.spanId)).size).toBe(inputCount);
  for (const n of trace.nodesInOrder) {
    expect(n.depth).toBe(n.parent === null ? 0 : n.parent.depth + 1);
  }
}

function kinds(trace: ITrace): TraceWarningKind[] {
  return trace.warnings.map(w => w.kind);
}

describe('buildTrace: hostile shapes', () => {
  it('attaches an orphan under the single root', () => {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
      makeSpan({ id: 'lost', parent: 'gone', startMs: 10, endMs: 20 })
    ]);
    expectEverySpanOnce(trace, 2);
    expect(outline(trace.nodesInOrder)).toBe('root .lost');
    expect(trace.warnings).toEqual([
      expect.objectContaining({ kind: 'orphan', spanId: 'lost' })
    ]);
  });

  it('attaches orphans under the earliest of several roots', () => {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'late', startMs: 50, endMs: 100 }),
      makeSpan({ id: 'early', startMs: 0, endMs: 100 }),
      makeSpan({ id: 'lost', parent: 'gone', startMs: 10, endMs: 20 })
    ]);
    expectEverySpanOnce(trace, 3);
    expect(outline(trace.nodesInOrder)).toBe('early .lost late');
  });

  it('keeps orphans as top-level spans when there is no root', () => {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'x', parent: 'gone', startMs: 5 }),
      makeSpan({ id: 'y', parent: 'gone2', startMs: 1 }),
      makeSpan({ id: 'z', parent: 'x', startMs: 6, endMs: 8 })
    ]);
    expectEverySpanOnce(trace, 3);
    expect(outline(trace.nodesInOrder)).toBe('y x .z');
    expect(kinds(trace)).toEqual(['orphan', 'orphan']);
  });

  it('keeps both spans of a duplicated id, renaming the second', () => {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
      makeSpan({
        id: 'a',
        name: 'first',
        parent: 'root',
        startMs: 1,
        endMs: 2
      }),
      makeSpan({
        id: 'a',
        name: 'second',
        parent: 'root',
        startMs: 3,
        endMs: 4
      }),
      makeSpan({ id: 'a', name: 'third', parent: 'root', startMs: 5, endMs: 6 })
    ]);
    expectEverySpanOnce(trace, 4);
    expect(trace.spans.map(s => s.spanId)).toEqual(['root', 'a', 'a#2', 'a#3']);
    expect(kinds(trace)).toEqual(['duplicate-id', 'duplicate-id']);
    expect(trace.nodeById.get('a#2')?.span.name).toBe('second');
  });

  it('does not collide a renamed id with an existing one', () => {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'a' }),
      makeSpan({ id: 'a#2' }),
      makeSpan({ id: 'a' })
    ]);
    expectEverySpanOnce(trace, 3);
    expect(trace.spans.map(s => s.spanId)).toEqual(['a', 'a#2', 'a#3']);
  });

  it.each([
    ['self-parent', [['a', 'a']]],
    [
      'two-span cycle',
      [
        ['a', 'b'],
        ['b', 'a']
      ]
    ],
    [
      'three-span cycle with a tail',
      [
        ['a', 'c'],
        ['b', 'a'],
        ['c', 'b'],
        ['tail', 'b']
      ]
    ]
  ] as [string, string[][]][])('breaks a %s', (_, links) => {
    const spans = links.map(([id, parent], i) =>
      makeSpan({ id, parent, startMs: i, endMs: 50 })
    );
    const trace = buildTrace(makeInfo(), spans);
    expectEverySpanOnce(trace, links.length);
    expect(kinds(trace).filter(k => k === 'cycle')).toHaveLength(1);
    // the earliest member becomes the root
    expect(trace.roots.map(r => r.span.spanId)).toEqual(['a']);
  });

  it('keeps a broken cycle beside a real root', () => {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
      makeSpan({ id: 'a', parent: 'b', startMs: 1 }),
      makeSpan({ id: 'b', parent: 'a', startMs: 2 })
    ]);
    expectEverySpanOnce(trace, 3);
    expect(outline(trace.nodesInOrder)).toBe('root a .b');
    expect(kinds(trace)).toEqual(['cycle']);
  });

  it('warns about, and keeps, a child outside its parent', () => {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'p', startMs: 10, endMs: 20 }),
      makeSpan({ id: 'early', parent: 'p', startMs: 5, endMs: 15 }),
      makeSpan({ id: 'late', parent: 'p', startMs: 15, endMs: 30 }),
      makeSpan({ id: 'inside', parent: 'p', startMs: 10, endMs: 20 })
    ]);
    expectEverySpanOnce(trace, 4);
    expect(
      trace.warnings.filter(w => w.kind === 'outside-parent').map(w => w.spanId)
    ).toEqual(['early', 'late']);
  });

  it('keeps raw values of non-JSON attributes', () => {
    const raw = makeSpan({ id: 'a' });
    raw.attributes = { 'mlflow.spanInputs': '{not json', n: 3 };
    const trace = buildTrace(makeInfo(), [raw]);
    expect(trace.spans[0].inputs).toBe('{not json');
    expect(trace.spans[0].attributes.n).toBe(3);
  });

  it('places a span with no times at the trace start', () => {
    const trace = buildTrace(makeInfo({ state: 'IN_PROGRESS' }), [
      makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
      { span_id: 'x', parent_span_id: 'root', name: 'x' }
    ]);
    expectEverySpanOnce(trace, 2);
    const x = trace.nodeById.get('x');
    expect(x?.startOffsetMs).toBe(0);
    expect(x?.durationMs).toBeCloseTo(100, 3);
    expect(kinds(trace)).toEqual(['bad-time']);
  });

  it('gives spans without ids distinct synthetic ids', () => {
    const trace = buildTrace(makeInfo(), [
      { name: 'one', start_time_unix_nano: 1, end_time_unix_nano: 2 },
      { name: 'two', start_time_unix_nano: 1, end_time_unix_nano: 2 }
    ]);
    expectEverySpanOnce(trace, 2);
    expect(trace.spans.map(s => s.spanId)).toEqual(['missing-0', 'missing-1']);
    expect(kinds(trace)).toEqual(['missing-id', 'missing-id']);
  });

  it('skips non-object entries with a warning and keeps the rest', () => {
    const trace = buildTrace(makeInfo(), [
      null,
      makeSpan({ id: 'root' }),
      'junk'
    ]);
    expectEverySpanOnce(trace, 1);
    expect(kinds(trace)).toEqual(['not-a-span', 'not-a-span']);
  });

  it('builds an empty trace from an empty list, silently', () => {
    const trace = buildTrace(makeInfo(), []);
    expectEverySpanOnce(trace, 0);
    expect(trace.roots).toEqual([]);
    expect(trace.warnings).toEqual([]);
  });

  it.each([undefined, null, {}, 'spans', 42])(
    'warns when spans are %j',
    raw => {
      const trace = buildTrace(undefined, raw);
      expectEverySpanOnce(trace, 0);
      expect(kinds(trace)).toEqual(['not-an-array']);
    }
  );

  it('survives a mix of every hostile shape at once', () => {
    const trace = buildTrace(undefined, [
      makeSpan({ id: 'root', startMs: 0, endMs: 10 }),
      makeSpan({ id: 'root', startMs: 1, endMs: 2 }),
      makeSpan({ id: 'a', parent: 'b', startMs: 2 }),
      makeSpan({ id: 'b', parent: 'a', startMs: 3, endMs: 40 }),
      makeSpan({ id: 'o', parent: 'nowhere', startMs: 4, endMs: null }),
      makeSpan({ id: 's', parent: 's', startMs: 5, endMs: 50 }),
      { name: 'no id' },
      7
    ]);
    expectEverySpanOnce(trace, 7);
    expect(new Set(kinds(trace))).toEqual(
      new Set([
        'duplicate-id',
        'cycle',
        'orphan',
        'in-progress',
        'missing-id',
        'bad-time',
        'not-a-span',
        'outside-parent'
      ])
    );
  });
});
