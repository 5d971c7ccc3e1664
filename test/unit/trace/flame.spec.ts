/**
 * The flame graph's layout (src/trace/flame.ts): hand-built shapes, then
 * its invariants over hundreds of seeded generated trees, then scale.
 */
import {
  buildTrace,
  flameBreadcrumbs,
  flameLayout,
  flameRectAt,
  flameWindow,
  IFlameLayout,
  IFlameRect,
  ISpanNode,
  ISpanDict,
  ITrace
} from '../../../src/trace';
import { makeSpan } from './factory';
import { seeded } from '../seeded';

/** A span's rectangle, times rounded to the µs (times past 2^53 ns carry rounding noise). */
function rectOf(layout: IFlameLayout, spanId: string) {
  const rect = layout.rects[layout.indexById.get(spanId)!];
  const us = (ms: number) => Math.round(ms * 1000) / 1000;
  return { x0: us(rect.x0Ms), x1: us(rect.x1Ms), row: rect.row };
}

describe('flameLayout on hand-built shapes', () => {
  it('puts sequential siblings on one row below their parent', () => {
    const layout = flameLayout(
      buildTrace(undefined, [
        makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
        makeSpan({ id: 'a', parent: 'root', startMs: 0, endMs: 40 }),
        makeSpan({ id: 'b', parent: 'root', startMs: 40, endMs: 70 }),
        makeSpan({ id: 'c', parent: 'root', startMs: 80, endMs: 100 })
      ])
    );
    expect(rectOf(layout, 'root')).toEqual({ x0: 0, x1: 100, row: 0 });
    expect(rectOf(layout, 'a')).toEqual({ x0: 0, x1: 40, row: 1 });
    expect(rectOf(layout, 'b')).toEqual({ x0: 40, x1: 70, row: 1 });
    expect(rectOf(layout, 'c')).toEqual({ x0: 80, x1: 100, row: 1 });
    expect(layout.rowCount).toBe(2);
  });

  it('stacks parallel siblings below the whole subtree of the one above, and reuses a freed lane', () => {
    const layout = flameLayout(
      buildTrace(undefined, [
        makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
        makeSpan({ id: 'a', parent: 'root', startMs: 0, endMs: 50 }),
        makeSpan({ id: 'a1', parent: 'a', startMs: 0, endMs: 20 }),
        makeSpan({ id: 'a2', parent: 'a1', startMs: 0, endMs: 10 }),
        makeSpan({ id: 'b', parent: 'root', startMs: 10, endMs: 60 }),
        makeSpan({ id: 'c', parent: 'root', startMs: 55, endMs: 90 })
      ])
    );
    // a takes rows 1-3 (a, a1, a2); b overlaps it, so its lane starts at row 4
    expect(rectOf(layout, 'a').row).toBe(1);
    expect(rectOf(layout, 'a2').row).toBe(3);
    expect(rectOf(layout, 'b').row).toBe(4);
    // c starts after a ends: a's lane is free again
    expect(rectOf(layout, 'c').row).toBe(1);
    expect(layout.rowCount).toBe(5);
  });

  it('clips a child that starts before its parent or runs past it', () => {
    const layout = flameLayout(
      buildTrace(undefined, [
        makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
        makeSpan({ id: 'p', parent: 'root', startMs: 20, endMs: 60 }),
        makeSpan({ id: 'early', parent: 'p', startMs: 10, endMs: 30 }),
        makeSpan({ id: 'late', parent: 'p', startMs: 50, endMs: 90 }),
        makeSpan({ id: 'outside', parent: 'p', startMs: 70, endMs: 80 })
      ])
    );
    expect(rectOf(layout, 'early')).toMatchObject({ x0: 20, x1: 30 });
    expect(rectOf(layout, 'late')).toMatchObject({ x0: 50, x1: 60 });
    expect(rectOf(layout, 'outside')).toMatchObject({ x0: 60, x1: 60 });
  });

  it('lays out several top-level spans from row 0, stacking those that overlap', () => {
    const layout = flameLayout(
      buildTrace(undefined, [
        makeSpan({ id: 'r1', startMs: 0, endMs: 50 }),
        makeSpan({ id: 'r2', startMs: 20, endMs: 80 }),
        makeSpan({ id: 'r3', startMs: 60, endMs: 100 })
      ])
    );
    expect(rectOf(layout, 'r1').row).toBe(0);
    expect(rectOf(layout, 'r2').row).toBe(1);
    expect(rectOf(layout, 'r3').row).toBe(0);
  });

  it('is empty for a trace without spans', () => {
    const layout = flameLayout(buildTrace(undefined, []));
    expect(layout.rects).toEqual([]);
    expect(layout.rowCount).toBe(0);
    expect(flameWindow(layout, undefined)).toMatchObject({ first: 0, end: 0 });
  });
});

describe('flame zoom helpers', () => {
  const trace = buildTrace(undefined, [
    makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
    makeSpan({ id: 'a', parent: 'root', startMs: 10, endMs: 50 }),
    makeSpan({ id: 'a1', parent: 'a', startMs: 10, endMs: 30 }),
    makeSpan({ id: 'b', parent: 'root', startMs: 60, endMs: 90 })
  ]);
  const layout = flameLayout(trace);

  it("gives a span's window: its subtree, its time, its rows", () => {
    expect(flameWindow(layout, 'a')).toEqual({
      first: 1,
      end: 3,
      x0Ms: expect.closeTo(10, 3),
      x1Ms: expect.closeTo(50, 3),
      topRow: 1,
      rowCount: 2
    });
    expect(flameWindow(layout, 'unknown')).toMatchObject({
      first: 0,
      end: 4,
      x0Ms: 0,
      x1Ms: expect.closeTo(100, 3),
      rowCount: 3
    });
  });

  it('gives the breadcrumbs of a span, top level first', () => {
    const path = flameBreadcrumbs(trace.nodeById.get('a1')!);
    expect(path.map(node => node.span.spanId)).toEqual(['root', 'a', 'a1']);
  });

  it('finds the rectangle under a point, only within the window', () => {
    const all = flameWindow(layout, undefined);
    const at = (row: number, x: number, window = all) => {
      const index = flameRectAt(layout, window, row, x);
      return index < 0 ? null : layout.rects[index].spanId;
    };
    expect(at(0, 0)).toBe('root');
    expect(at(1, 20)).toBe('a');
    expect(at(1, 55)).toBeNull();
    expect(at(1, 60)).toBe('b');
    expect(at(2, 29.9)).toBe('a1');
    expect(at(2, 30)).toBeNull();
    expect(at(7, 10)).toBeNull();
    expect(at(1, 60, flameWindow(layout, 'a'))).toBeNull();
  });
});

/**
 * A random trace: shape (deep, wide, bushy), parallel and sequential
 * children, children outside their parent, zero-length and running spans,
 * several top-level spans and orphans.
 */
function generatedTrace(seed: number): ITrace {
  const random = seeded(seed);
  const count = 1 + Math.floor(random() * 300);
  const shape = random();
  const spans: ISpanDict[] = [];
  const times: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    let parent = -1;
    if (i > 0 && random() > 0.03) {
      parent =
        shape < 0.2
          ? i - 1
          : shape < 0.4
            ? Math.floor(random() * Math.min(i, 3))
            : Math.floor(random() * i);
    }
    const [low, high] = parent < 0 ? [0, 1000] : times[parent];
    const spread = Math.max(high - low, 1);
    let start = low + Math.floor(random() * spread);
    let length = Math.floor(random() * (high - start + 1));
    const odd = random();
    if (odd < 0.05) {
      start = low - Math.floor(random() * 20);
    } else if (odd < 0.1) {
      length += Math.floor(random() * 50);
    } else if (odd < 0.15) {
      length = 0;
    }
    times.push([start, start + length]);
    spans.push(
      makeSpan({
        id: `s${i}`,
        parent: parent < 0 ? (random() < 0.3 ? 'missing' : null) : `s${parent}`,
        startMs: start,
        endMs: random() < 0.02 ? null : start + length
      })
    );
  }
  return buildTrace(undefined, spans);
}

describe('flameLayout invariants over generated trees', () => {
  const SEEDS = Array.from({ length: 400 }, (_, i) => i + 1);

  /** Every broken invariant of `layout`, as text naming the spans. */
  function problems(trace: ITrace, layout: IFlameLayout): string[] {
    const found: string[] = [];
    const ids = layout.rects.map(rect => rect.spanId).join(' ');
    if (ids !== trace.nodesInOrder.map(node => node.span.spanId).join(' ')) {
      found.push('the rectangles are not the spans in pre-order');
    }
    if (new Set(layout.rects.map(r => r.spanId)).size !== trace.spans.length) {
      found.push('not one rectangle per span');
    }
    layout.rects.forEach((rect, i) => {
      const { node } = rect;
      const at = `span ${rect.spanId}`;
      if (!(rect.x0Ms <= rect.x1Ms)) {
        found.push(`${at} ends before it starts`);
      }
      if (!(rect.row >= 0 && rect.row < layout.rowCount)) {
        found.push(`${at} is on row ${rect.row} of ${layout.rowCount}`);
      }
      if (layout.subtreeSize[i] !== 1 + descendants(rect.node)) {
        found.push(`${at}: its subtree size is wrong`);
      }
      if (node.parent === null) {
        if (rect.x0Ms < 0 || rect.x1Ms > layout.totalMs) {
          found.push(`${at} lies outside the trace`);
        }
        return;
      }
      const parent =
        layout.rects[layout.indexById.get(node.parent.span.spanId)!];
      if (
        rect.x0Ms < parent.x0Ms ||
        rect.x1Ms > parent.x1Ms ||
        rect.row <= parent.row
      ) {
        found.push(`${at} is not nested in ${parent.spanId}`);
      }
      const start = node.startOffsetMs;
      const end = start + node.durationMs;
      if (
        !node.span.inProgress &&
        start >= parent.x0Ms &&
        end <= parent.x1Ms &&
        (rect.x0Ms !== start || Math.abs(rect.x1Ms - end) > 1e-6)
      ) {
        found.push(`${at} lies within its parent but lost its own times`);
      }
      if (
        node.span.inProgress &&
        start <= parent.x1Ms &&
        rect.x1Ms !== parent.x1Ms
      ) {
        found.push(`${at} runs but stops before its parent's end`);
      }
    });
    // By start, each rectangle of a row begins where the previous one ended or later
    const rows = new Map<number, IFlameRect[]>();
    for (const rect of layout.rects) {
      rows.set(rect.row, [...(rows.get(rect.row) ?? []), rect]);
    }
    for (const [row, list] of rows) {
      list.sort((a, b) => a.x0Ms - b.x0Ms || a.x1Ms - b.x1Ms);
      for (let i = 1; i < list.length; i++) {
        if (list[i].x0Ms < list[i - 1].x1Ms) {
          found.push(
            `row ${row}: ${list[i - 1].spanId} overlaps ${list[i].spanId}`
          );
        }
      }
    }
    const indexed = layout.byRow.flatMap(row => Array.from(row));
    if (
      indexed.sort((a, b) => a - b).join() !==
      layout.rects.map((_, i) => i).join()
    ) {
      found.push('the row index does not hold every rectangle once');
    }
    return found;
  }

  function descendants(node: ISpanNode): number {
    let count = 0;
    const stack = [...node.children];
    while (stack.length) {
      count++;
      stack.push(...stack.pop()!.children);
    }
    return count;
  }

  it('holds for 400 seeds: one rectangle per span, nested, no overlaps', () => {
    let spans = 0;
    for (const seed of SEEDS) {
      const trace = generatedTrace(seed);
      spans += trace.spans.length;
      expect({ seed, problems: problems(trace, flameLayout(trace)) }).toEqual({
        seed,
        problems: []
      });
    }
    // The generator is not degenerate
    expect(spans).toBeGreaterThan(SEEDS.length * 100);
  });

  it('finds the breakage of a broken layout (the check can fail)', () => {
    const trace = generatedTrace(7);
    const layout = flameLayout(trace);
    const child = layout.rects.find(rect => rect.node.parent !== null)!;
    child.row = 0;
    expect(problems(trace, layout).join('\n')).toContain(
      `span ${child.spanId} is not nested`
    );
  });

  it('finds every rectangle wider than zero at its own middle', () => {
    for (const seed of SEEDS.slice(0, 50)) {
      const layout = flameLayout(generatedTrace(seed));
      const all = flameWindow(layout, undefined);
      layout.rects.forEach((rect, i) => {
        if (rect.x1Ms > rect.x0Ms) {
          const middle = (rect.x0Ms + rect.x1Ms) / 2;
          expect({
            seed,
            i,
            found: flameRectAt(layout, all, rect.row, middle)
          }).toEqual({ seed, i, found: i });
        }
      });
    }
  });
});

describe('flameLayout at scale', () => {
  function fanOut(count: number, parallel: boolean): ITrace {
    const spans: ISpanDict[] = [
      makeSpan({ id: 'root', startMs: 0, endMs: count })
    ];
    for (let i = 1; i < count; i++) {
      spans.push(
        makeSpan({
          id: `s${i}`,
          parent: 'root',
          startMs: parallel ? i * 1e-3 : i,
          endMs: parallel ? count : i + 1
        })
      );
    }
    return buildTrace(undefined, spans);
  }

  it('stacks 100k parallel children in lanes, near-linearly', () => {
    const trace = fanOut(100_000, true);
    const started = performance.now();
    const layout = flameLayout(trace);
    const elapsedMs = performance.now() - started;
    expect(layout.rowCount).toBe(100_000);
    expect(elapsedMs).toBeLessThan(3000);
  });

  it('puts 100k sequential children on one row', () => {
    const layout = flameLayout(fanOut(100_000, false));
    expect(layout.rowCount).toBe(2);
  });

  it('lays out a 100k-deep chain without overflowing the stack', () => {
    const spans: ISpanDict[] = [];
    for (let i = 0; i < 100_000; i++) {
      spans.push(
        makeSpan({
          id: `s${i}`,
          parent: i ? `s${i - 1}` : null,
          startMs: i * 1e-3,
          endMs: 200 - i * 1e-3
        })
      );
    }
    const layout = flameLayout(buildTrace(undefined, spans));
    expect(layout.rowCount).toBe(100_000);
    expect(layout.rects[99_999].row).toBe(99_999);
  });
});
