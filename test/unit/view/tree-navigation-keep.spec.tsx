/**
 * @jest-environment jsdom
 *
 * useTreeNavigation with a row filter (the critical path only, a minimum log
 * level): the cursor and the arrow keys walk only the rows shown.
 */
import React from 'react';
import { act, renderHook } from '@testing-library/react';
import { buildTrace, ISpanNode } from '../../../src/trace';
import { useTreeNavigation } from '../../../src/view/useTreeNavigation';
import { makeInfo, makeSpan } from '../trace/factory';

const trace = buildTrace(makeInfo(), [
  makeSpan({ id: 'root', startMs: 0, endMs: 40 }),
  makeSpan({ id: 'a', parent: 'root', startMs: 1, endMs: 10 }),
  makeSpan({ id: 'hidden', parent: 'root', startMs: 11, endMs: 20 }),
  makeSpan({ id: 'b', parent: 'root', startMs: 21, endMs: 30 })
]);

const keep = (node: ISpanNode) => node.span.spanId !== 'hidden';

function press(key: string): React.KeyboardEvent {
  return {
    key,
    preventDefault: () => undefined,
    stopPropagation: () => undefined
  } as unknown as React.KeyboardEvent;
}

const ids = (rows: ISpanNode[]) => rows.map(node => node.span.spanId);

describe('useTreeNavigation with keep', () => {
  it('shows only the kept rows, and without keep all of them', () => {
    const all = renderHook(() => useTreeNavigation(trace));
    expect(ids(all.result.current.rows)).toEqual(['root', 'a', 'hidden', 'b']);
    const kept = renderHook(() => useTreeNavigation(trace, keep));
    expect(ids(kept.result.current.rows)).toEqual(['root', 'a', 'b']);
  });

  it('ArrowDown steps over a hidden row', () => {
    const { result } = renderHook(() => useTreeNavigation(trace, keep));
    act(() => result.current.onKeyDown(press('ArrowDown')));
    act(() => result.current.onKeyDown(press('ArrowDown')));
    const { rows, activeIndex } = result.current;
    expect(rows[activeIndex].span.spanId).toBe('b');
    act(() => result.current.onKeyDown(press('End')));
    expect(result.current.activeIndex).toBe(2);
  });

  it('a new filter re-filters the rows and keeps the cursor on its span', () => {
    const { result, rerender } = renderHook(
      ({ filter }) => useTreeNavigation(trace, filter),
      { initialProps: { filter: undefined as typeof keep | undefined } }
    );
    act(() => result.current.reveal('b'));
    expect(result.current.rows[result.current.activeIndex].span.spanId).toBe(
      'b'
    );
    rerender({ filter: keep });
    expect(ids(result.current.rows)).toEqual(['root', 'a', 'b']);
    expect(result.current.rows[result.current.activeIndex].span.spanId).toBe(
      'b'
    );
  });
});
