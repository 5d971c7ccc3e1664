/**
 * Rebuilding a live trace from a newer snapshot: span objects of unchanged
 * span dicts are reused, changed ones are parsed again, and the rebuilt
 * trace equals a fresh build whatever the input.
 */
import { buildTrace } from '../../../src/trace';
import { jsonEqual, rebuildTrace } from '../../../src/trace/reuse';
import { agentSpans, liveInfo, spanDict } from '../view/live-fixtures';

// New objects each time, as each update_display_data is parsed anew.
const dicts = (specs: Parameters<typeof spanDict>[0][]) =>
  JSON.parse(JSON.stringify(specs.map(spanDict)));

const PLAN = 'a000000000000002';
const RETRIEVE = 'a000000000000003';

describe('rebuildTrace', () => {
  it('reuses the spans whose dicts did not change, and only those', () => {
    const first = rebuildTrace(
      liveInfo() as never,
      dicts(agentSpans()),
      undefined
    );
    const later = rebuildTrace(
      liveInfo() as never,
      dicts(agentSpans([], 2500)),
      first.cache
    );
    const span = (t: typeof first, id: string) =>
      t.trace.nodeById.get(id)!.span;
    expect(span(later, PLAN)).toBe(span(first, PLAN));
    expect(span(later, RETRIEVE)).not.toBe(span(first, RETRIEVE));
    expect(span(later, RETRIEVE).outputs).toEqual(['doc 1']);
    // The nodes are new: parents and figures belong to the new tree.
    expect(later.trace.nodeById.get(PLAN)).not.toBe(
      first.trace.nodeById.get(PLAN)
    );
  });

  it('still reuses when a snapshot leaves out its oldest ended spans', () => {
    const specs = agentSpans([], 2500);
    const first = rebuildTrace(undefined, dicts(specs), undefined);
    // plan (ended first) left out, as a bounded snapshot does; a new span last.
    const later = rebuildTrace(
      undefined,
      dicts([
        specs[0],
        specs[2],
        {
          id: 'a000000000000004',
          parent: specs[0].id,
          name: 'generate',
          fromMs: 2600,
          toMs: null
        }
      ]),
      first.cache
    );
    const span = (t: typeof first, id: string) =>
      t.trace.nodeById.get(id)!.span;
    expect(span(later, RETRIEVE)).toBe(span(first, RETRIEVE));
    expect(span(later, RETRIEVE).index).toBe(1);
    expect(later.trace.nodeById.has(PLAN)).toBe(false);
  });

  it('builds what a fresh build builds, moved and repeated spans included', () => {
    const first = rebuildTrace(undefined, dicts(agentSpans()), undefined);
    const moved = dicts(agentSpans()).reverse();
    // A repeated id: renamed by the build, so nothing is kept for the next one.
    moved.push(JSON.parse(JSON.stringify(moved[0])));
    const rebuilt = rebuildTrace(undefined, moved, first.cache);
    const fresh = buildTrace(undefined, JSON.parse(JSON.stringify(moved)));
    const shape = (t: typeof fresh) =>
      t.nodesInOrder.map(n => [
        n.span.spanId,
        n.span.index,
        n.depth,
        n.durationMs
      ]);
    expect(shape(rebuilt.trace)).toEqual(shape(fresh));
    expect(rebuilt.trace.warnings).toEqual(fresh.warnings);
    expect(rebuilt.cache.parsed).toEqual([]);
  });

  it('parses a span with a warning again, repeating its warning', () => {
    const noStart = { ...spanDict(agentSpans()[0]), start_time_unix_nano: 'x' };
    const info = liveInfo() as never;
    const first = rebuildTrace(info, [noStart], undefined);
    const again = rebuildTrace(info, [{ ...noStart }], first.cache);
    expect(again.trace.warnings.map(w => w.kind)).toEqual(['bad-time']);
    expect(again.trace.spans[0]).not.toBe(first.trace.spans[0]);
  });
});

describe('jsonEqual', () => {
  it('compares JSON values by content', () => {
    expect(jsonEqual({ a: [1, 'x', null] }, { a: [1, 'x', null] })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(
      false
    );
    expect(jsonEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(jsonEqual('x'.repeat(1 << 20), 'x'.repeat(1 << 20))).toBe(true);
  });

  it('takes values nested too deep as different, without overflowing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
    }
    expect(jsonEqual(deep, JSON.parse(JSON.stringify([[1]])))).toBe(false);
    expect(jsonEqual(deep, deep)).toBe(true);
  });
});
