import {
  buildTrace,
  contributorsText,
  criticalPath,
  ICriticalPath,
  ISpanDict,
  ISpanNode,
  ITrace,
  topContributors
} from '../../../src/trace';
import { makeInfo, makeSpan } from './factory';
import { seeded } from '../seeded';

/** Segments as "id start-end", ms rounded to µs (factory times round to 256 ns). */
function segments(path: ICriticalPath): string[] {
  const ms = (value: number) => Math.round(value * 1000) / 1000;
  return path.segments.map(
    s => `${s.spanId ?? '-'} ${ms(s.startMs)}-${ms(s.endMs)}`
  );
}

function shares(path: ICriticalPath): Record<string, number> {
  return Object.fromEntries(
    [...path.shareMsBySpan].map(([id, ms]) => [
      id,
      Math.round(ms * 1000) / 1000
    ])
  );
}

describe('criticalPath on hand-built shapes', () => {
  it('sequential children: each in turn, the gaps are the parent own time', () => {
    //  root [0, 100]
    //  ├─ a [10, 40]
    //  └─ b [50, 90]
    const path = criticalPath(
      buildTrace(makeInfo(), [
        makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
        makeSpan({ id: 'a', parent: 'root', startMs: 10, endMs: 40 }),
        makeSpan({ id: 'b', parent: 'root', startMs: 50, endMs: 90 })
      ])
    );
    expect(segments(path)).toEqual([
      'root 0-10',
      'a 10-40',
      'root 40-50',
      'b 50-90',
      'root 90-100'
    ]);
    expect(shares(path)).toEqual({ root: 30, a: 30, b: 40 });
    expect(path.totalMs).toBeCloseTo(100, 3);
  });

  it('parallel children: only the one that ends last', () => {
    //  root [0, 100]
    //  ├─ a [10, 60]
    //  └─ b [10, 90]
    const path = criticalPath(
      buildTrace(makeInfo(), [
        makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
        makeSpan({ id: 'a', parent: 'root', startMs: 10, endMs: 60 }),
        makeSpan({ id: 'b', parent: 'root', startMs: 10, endMs: 90 })
      ])
    );
    expect(segments(path)).toEqual(['root 0-10', 'b 10-90', 'root 90-100']);
    expect([...path.spanIds]).toEqual(['root', 'b']);
  });

  it('overlapping children: one ending after the cursor is not waited on', () => {
    //  root [0, 100]
    //  ├─ c [0, 30]
    //  ├─ a [5, 50]    ends after b starts: left off
    //  └─ b [40, 80]
    const path = criticalPath(
      buildTrace(makeInfo(), [
        makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
        makeSpan({ id: 'c', parent: 'root', startMs: 0, endMs: 30 }),
        makeSpan({ id: 'a', parent: 'root', startMs: 5, endMs: 50 }),
        makeSpan({ id: 'b', parent: 'root', startMs: 40, endMs: 80 })
      ])
    );
    expect(segments(path)).toEqual([
      'c 0-30',
      'root 30-40',
      'b 40-80',
      'root 80-100'
    ]);
    expect(path.spanIds.has('a')).toBe(false);
  });

  it('a child running past its parent counts only within the parent', () => {
    //  root [0, 100]
    //  └─ a [0, 50]
    //     └─ x [20, 80]   runs 30 ms past a
    const path = criticalPath(
      buildTrace(makeInfo(), [
        makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
        makeSpan({ id: 'a', parent: 'root', startMs: 0, endMs: 50 }),
        makeSpan({ id: 'x', parent: 'a', startMs: 20, endMs: 80 })
      ])
    );
    expect(segments(path)).toEqual(['a 0-20', 'x 20-50', 'root 50-100']);
    expect(path.windowBySpan.get('x')!.map(Math.round)).toEqual([20, 50]);
  });

  it('a child running past the root: the path ends with the root', () => {
    const trace = buildTrace(makeInfo(), [
      makeSpan({ id: 'root', startMs: 0, endMs: 50 }),
      makeSpan({ id: 'x', parent: 'root', startMs: 10, endMs: 80 })
    ]);
    const path = criticalPath(trace);
    expect(segments(path)).toEqual(['root 0-10', 'x 10-50']);
    expect(path.totalMs).toBeCloseTo(50, 3);
    expect((trace.endNs - trace.startNs) / 1e6).toBeCloseTo(80, 3);
  });

  it('clock skew: a child starting before its parent is clipped to it', () => {
    //  root [10, 100]
    //  └─ c [0, 60]   starts 10 ms before the root
    const path = criticalPath(
      buildTrace(makeInfo(), [
        makeSpan({ id: 'root', startMs: 10, endMs: 100 }),
        makeSpan({ id: 'c', parent: 'root', startMs: 0, endMs: 60 })
      ])
    );
    expect(segments(path)).toEqual(['c 10-60', 'root 60-100']);
    expect(path.startMs).toBeCloseTo(10, 3);
    expect(path.totalMs).toBeCloseTo(90, 3);
  });

  it('a child wholly before its parent is not on the path', () => {
    const path = criticalPath(
      buildTrace(makeInfo(), [
        makeSpan({ id: 'root', startMs: 50, endMs: 100 }),
        makeSpan({ id: 'early', parent: 'root', startMs: 0, endMs: 20 })
      ])
    );
    expect(segments(path)).toEqual(['root 50-100']);
  });

  it('still running spans are measured to the trace latest time', () => {
    //  root [0, …]      running
    //  ├─ a [0, 30]
    //  └─ b [40, …]     running
    //     └─ c [45, 60]
    const path = criticalPath(
      buildTrace(makeInfo({ state: 'IN_PROGRESS' }), [
        makeSpan({ id: 'root', startMs: 0, endMs: null }),
        makeSpan({ id: 'a', parent: 'root', startMs: 0, endMs: 30 }),
        makeSpan({ id: 'b', parent: 'root', startMs: 40, endMs: null }),
        makeSpan({ id: 'c', parent: 'b', startMs: 45, endMs: 60 })
      ])
    );
    expect(segments(path)).toEqual([
      'a 0-30',
      'root 30-40',
      'b 40-45',
      'c 45-60'
    ]);
  });

  it('several roots: walked over the trace extent; time between them is no span', () => {
    //  r1 [0, 30]   overlaps r3's start: left off
    //  r3 [10, 40]
    //  r2 [50, 100]
    const path = criticalPath(
      buildTrace(makeInfo(), [
        makeSpan({ id: 'r1', startMs: 0, endMs: 30 }),
        makeSpan({ id: 'r2', startMs: 50, endMs: 100 }),
        makeSpan({ id: 'r3', startMs: 10, endMs: 40 })
      ])
    );
    expect(segments(path)).toEqual([
      '- 0-10',
      'r3 10-40',
      '- 40-50',
      'r2 50-100'
    ]);
    expect(path.idleMs).toBeCloseTo(20, 3);
    expect(path.totalMs).toBeCloseTo(100, 3);
  });

  it('zero-duration spans: a zero root has an empty path; a zero child is not on it', () => {
    const zero = criticalPath(
      buildTrace(makeInfo(), [makeSpan({ id: 'root', startMs: 5, endMs: 5 })])
    );
    expect(zero.segments).toEqual([]);
    expect([...zero.spanIds]).toEqual(['root']);
    expect(zero.totalMs).toBe(0);
    const withChild = criticalPath(
      buildTrace(makeInfo(), [
        makeSpan({ id: 'root', startMs: 0, endMs: 10 }),
        makeSpan({ id: 'z', parent: 'root', startMs: 10, endMs: 10 })
      ])
    );
    expect(segments(withChild)).toEqual(['root 0-10']);
  });

  it('a trace with no spans has an empty path', () => {
    const path = criticalPath(buildTrace(makeInfo(), []));
    expect(path).toMatchObject({ segments: [], totalMs: 0, idleMs: 0 });
    expect(path.spanIds.size).toBe(0);
  });

  it('a 100,000-deep chain is walked without overflowing the stack', () => {
    const count = 100_000;
    const spans: ISpanDict[] = [];
    for (let i = 0; i < count; i++) {
      spans.push(
        makeSpan({
          id: `s${i}`,
          parent: i ? `s${i - 1}` : null,
          startMs: i / 1000,
          endMs: 1000 - i / 1000
        })
      );
    }
    const path = criticalPath(buildTrace(makeInfo(), spans));
    expect(path.spanIds.size).toBe(count);
    // Each span owns its two slivers, the deepest its middle
    expect(path.segments).toHaveLength(2 * count - 1);
  });

  it('is memoized per trace', () => {
    const trace = buildTrace(makeInfo(), [makeSpan({ id: 'root' })]);
    expect(criticalPath(trace)).toBe(criticalPath(trace));
  });
});

describe('topContributors', () => {
  //  agent [0, 100]
  //  ├─ retrieve [0, 61]
  //  ├─ llm [61, 76]
  //  └─ llm [76, 91]
  const trace = buildTrace(makeInfo(), [
    makeSpan({ id: 'root', name: 'agent', startMs: 0, endMs: 100 }),
    makeSpan({ id: 'r', name: 'retrieve', parent: 'root', endMs: 61 }),
    makeSpan({ id: 'l1', name: 'llm', parent: 'root', startMs: 61, endMs: 76 }),
    makeSpan({ id: 'l2', name: 'llm', parent: 'root', startMs: 76, endMs: 91 })
  ]);
  const path = criticalPath(trace);

  it('sums the spans of one name, largest first', () => {
    const top = topContributors(path, trace);
    expect(
      top.map(t => [t.name, Math.round(t.share * 100), t.spanCount])
    ).toEqual([
      ['retrieve', 61, 1],
      ['llm', 30, 2],
      ['agent', 9, 1]
    ]);
    expect(contributorsText(top)).toBe('retrieve 61%, llm 30%, agent 9%');
  });

  it('keeps the first n and leaves out names with no own time', () => {
    expect(topContributors(path, trace, 1).map(t => t.name)).toEqual([
      'retrieve'
    ]);
    const covered = buildTrace(makeInfo(), [
      makeSpan({ id: 'root', name: 'outer', startMs: 0, endMs: 10 }),
      makeSpan({ id: 'c', name: 'inner', parent: 'root', endMs: 10 })
    ]);
    const top = topContributors(criticalPath(covered), covered);
    expect(top.map(t => t.name)).toEqual(['inner']);
    expect(contributorsText([])).toBe('');
  });

  it('treats a name as text', () => {
    const hostile = buildTrace(makeInfo(), [
      makeSpan({ id: 'root', name: '<img src=x onerror=alert(1)>' })
    ]);
    expect(
      contributorsText(topContributors(criticalPath(hostile), hostile))
    ).toBe('<img src=x onerror=alert(1)> 100%');
  });
});

/**
 * A random tree: nested children, sequential and parallel siblings, and now
 * and then clock skew, a child running past its parent, a zero-length span,
 * a running span, a second root.
 */
function randomTrace(seed: number): ITrace {
  const rng = seeded(seed);
  const count = 1 + Math.floor(rng() * 60);
  const spans: ISpanDict[] = [];
  const times: [number, number][] = [];
  const running = rng() < 0.2;
  for (let i = 0; i < count; i++) {
    const root = i === 0 || rng() < 0.03;
    const parent = root ? -1 : Math.floor(rng() * i);
    const [low, high] = root ? [rng() * 50, 200 + rng() * 800] : times[parent];
    const roll = rng();
    let startMs = low + rng() * (high - low);
    let endMs = startMs + rng() * (high - startMs);
    if (roll < 0.05) {
      startMs = low - rng() * 20; // clock skew
    } else if (roll < 0.1) {
      endMs = high + rng() * 50; // past the parent
    } else if (roll < 0.15) {
      endMs = startMs; // zero length
    }
    times.push([startMs, endMs]);
    spans.push(
      makeSpan({
        id: `s${i}`,
        parent: root ? null : `s${parent}`,
        startMs: Math.round(startMs * 1000) / 1000,
        endMs: running && rng() < 0.2 ? null : Math.round(endMs * 1000) / 1000
      })
    );
  }
  return buildTrace(makeInfo(running ? { state: 'IN_PROGRESS' } : {}), spans);
}

/**
 * The definition, written plainly (recursive, a sort per span) for small
 * trees: the segments criticalPath must give.
 */
function referenceSegments(trace: ITrace): string[] {
  const out: string[] = [];
  const endOf = (n: ISpanNode) => n.startOffsetMs + n.durationMs;
  const walk = (
    id: string | null,
    children: ISpanNode[],
    low: number,
    high: number
  ) => {
    const clipped = children
      .map((child, index) => ({
        child,
        index,
        from: Math.max(child.startOffsetMs, low),
        to: Math.min(endOf(child), high)
      }))
      .filter(c => c.to > c.from)
      .sort((a, b) => b.to - a.to || a.index - b.index);
    let cursor = high;
    for (const c of clipped) {
      if (c.to > cursor) {
        continue;
      }
      if (cursor > c.to) {
        out.push(`${id ?? '-'} ${c.to}-${cursor}`);
      }
      walk(c.child.span.spanId, c.child.children, c.from, c.to);
      cursor = c.from;
    }
    if (cursor > low) {
      out.push(`${id ?? '-'} ${low}-${cursor}`);
    }
  };
  const roots = trace.roots;
  if (roots.length === 0) {
    return out;
  }
  const low = Math.min(...roots.map(r => r.startOffsetMs));
  const high = Math.max(...roots.map(endOf));
  if (roots.length === 1) {
    walk(roots[0].span.spanId, roots[0].children, low, high);
  } else {
    walk(null, roots, low, high);
  }
  return out.reverse();
}

describe('criticalPath over generated trees', () => {
  const SEEDS = Array.from({ length: 500 }, (_, i) => i + 1);

  it.each(SEEDS)('tree %i: a chain from the root covering its time', seed => {
    const trace = randomTrace(seed);
    const path = criticalPath(trace);
    const context = `seed ${seed}`;
    const rootStart = Math.min(...trace.roots.map(r => r.startOffsetMs));
    const rootEnd = Math.max(
      ...trace.roots.map(r => r.startOffsetMs + r.durationMs)
    );
    expect([context, path.startMs, path.endMs]).toEqual([
      context,
      rootStart,
      rootEnd
    ]);

    // The definition, written plainly, gives the same segments
    expect([
      context,
      path.segments.map(g => `${g.spanId ?? '-'} ${g.startMs}-${g.endMs}`)
    ]).toEqual([context, referenceSegments(trace)]);

    // The segments cover [startMs, endMs] exactly, in time order
    let cursorMs = path.startMs;
    for (const segment of path.segments) {
      expect([context, segment.startMs]).toEqual([context, cursorMs]);
      expect(segment.endMs).toBeGreaterThan(segment.startMs);
      cursorMs = segment.endMs;
    }
    expect([context, cursorMs]).toEqual([context, path.endMs]);

    // Shares (and time on no span) sum to the total
    let sumMs = path.idleMs;
    path.shareMsBySpan.forEach(ms => (sumMs += ms));
    expect(sumMs).toBeCloseTo(path.totalMs, 6);
    if (trace.roots.length === 1) {
      expect(path.idleMs).toBe(0);
    }

    // A chain: every path span's parent is on the path, or it is a root;
    // its window lies in its parent's, and its segments in its window
    for (const spanId of path.spanIds) {
      const node = trace.nodeById.get(spanId)!;
      const [low, high] = path.windowBySpan.get(spanId)!;
      if (node.parent) {
        const parentId = node.parent.span.spanId;
        expect([context, spanId, path.spanIds.has(parentId)]).toEqual([
          context,
          spanId,
          true
        ]);
        const [parentLow, parentHigh] = path.windowBySpan.get(parentId)!;
        expect(low).toBeGreaterThanOrEqual(parentLow);
        expect(high).toBeLessThanOrEqual(parentHigh);
      }
    }
    for (const segment of path.segments) {
      if (segment.spanId === null) {
        expect(trace.roots.length).toBeGreaterThan(1);
        continue;
      }
      const [low, high] = path.windowBySpan.get(segment.spanId)!;
      expect(segment.startMs).toBeGreaterThanOrEqual(low);
      expect(segment.endMs).toBeLessThanOrEqual(high);
    }

    // The child of a path span that ends last within it is on the path
    for (const spanId of path.spanIds) {
      const [low, high] = path.windowBySpan.get(spanId)!;
      let lastEndMs = -Infinity;
      const last: string[] = [];
      for (const child of trace.nodeById.get(spanId)!.children) {
        const from = Math.max(child.startOffsetMs, low);
        const to = Math.min(child.startOffsetMs + child.durationMs, high);
        if (to <= from || to < lastEndMs) {
          continue;
        }
        if (to > lastEndMs) {
          last.length = 0;
          lastEndMs = to;
        }
        last.push(child.span.spanId);
      }
      if (last.length) {
        expect([
          context,
          spanId,
          last.some(id => path.spanIds.has(id))
        ]).toEqual([context, spanId, true]);
      }
    }
  });
});

describe('criticalPath on wide fan-outs', () => {
  /** One root over `count` children: overlapping, sequential, or both. */
  function fanOut(seed: number, count: number): ITrace {
    const rng = seeded(seed);
    const spans: ISpanDict[] = [makeSpan({ id: 'root', endMs: 1000 })];
    for (let i = 0; i < count; i++) {
      const sequential = seed % 3 === 0;
      const startMs = sequential ? (i * 1000) / count : rng() * 1000;
      const endMs = sequential
        ? startMs + (rng() * 1000) / count
        : startMs + rng() * (1000 - startMs) * (seed % 3 === 1 ? 1 : 0.1);
      spans.push(
        makeSpan({
          id: `c${i}`,
          parent: 'root',
          startMs: Math.round(startMs * 1000) / 1000,
          endMs: Math.round(endMs * 1000) / 1000
        })
      );
    }
    return buildTrace(makeInfo(), spans);
  }

  it.each(Array.from({ length: 30 }, (_, i) => i + 1))(
    'fan-out %i: as the definition says',
    seed => {
      const trace = fanOut(seed, 50 + seed * 20);
      const path = criticalPath(trace);
      expect(
        path.segments.map(g => `${g.spanId ?? '-'} ${g.startMs}-${g.endMs}`)
      ).toEqual(referenceSegments(trace));
    }
  );
});
