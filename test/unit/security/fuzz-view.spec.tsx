/**
 * @jest-environment jsdom
 *
 * Fuzzing the views: generated and mutated traces rendered by the trace
 * output (header, switcher, tree, timeline, details of the selected span)
 * and generated infos by the trace-list table. React must never throw or
 * warn, the DOM must stay inert, and it must hold one row per span (tree) or
 * per trace (table) for as many as the virtualized window holds, in order.
 */
import React from 'react';
import fc from 'fast-check';
import { render } from '@testing-library/react';
import { buildTrace } from '../../../src/trace';
import { TraceOutput } from '../../../src/view';
import { sortItems, toListItem } from '../../../src/view/list/listRows';
import { TraceTable } from '../../../src/view/list/TraceTable';
import { fakeLayout } from '../view/helpers';
import { info, mutatedRecorded, spanList, weird } from './arbitraries';
import { inertProblems } from './inert';

beforeAll(fakeLayout);

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
/** The scroller height fakeLayout gives every element. */
const VIEWPORT_PX = 400;

let consoleError: jest.SpyInstance;
// Any React warning (duplicate keys, bad props, a caught throw) fails the case.
beforeEach(() => {
  consoleError = jest.spyOn(console, 'error');
});
afterEach(() => jest.restoreAllMocks());

/** Rows a virtualizer may draw beyond a screenful (its overscan), at most. */
const MAX_OVERSCAN_ROWS = 10;

/**
 * The rows drawn are the window's: every row when they fit on a screen,
 * else a screenful plus at most the overscan, never the whole list.
 */
function expectWindow(rows: Element[], total: number, context: string): void {
  if (rows.length === 0 || total === 0) {
    expect({ context, rows: rows.length }).toEqual({ context, rows: total });
    return;
  }
  const rowPx = parseFloat((rows[0] as HTMLElement).style.height);
  const screenful = Math.ceil(VIEWPORT_PX / rowPx);
  const drawn = rows.length;
  expect({ context, drawn, fits: drawn >= Math.min(total, screenful) }).toEqual(
    { context, drawn, fits: true }
  );
  expect({
    context,
    drawn,
    bounded: drawn <= Math.min(total, screenful + MAX_OVERSCAN_ROWS)
  }).toEqual({ context, drawn, bounded: true });
}

describe('fuzz: views', () => {
  it('TraceOutput renders generated and mutated traces inertly, one tree row per span in the window (200 cases)', () => {
    const traceInput = fc.oneof(
      fc
        .tuple(info, spanList)
        .map(([i, spans]) => ({ info: i, spans: spans as unknown })),
      mutatedRecorded,
      fc.tuple(info, weird).map(([i, spans]) => ({ info: i, spans }))
    );
    fc.assert(
      fc.property(
        fc.array(traceInput, { minLength: 1, maxLength: 3 }),
        inputs => {
          consoleError.mockClear();
          const entries = inputs.map((t, k) => ({
            traceId: `tr-${k}`,
            trace: buildTrace(t.info as any, t.spans),
            loading: false
          }));
          const { container, unmount } = render(
            <TraceOutput entries={entries} notices={[]} />
          );
          expect(inertProblems(container, ['details', 'input'])).toEqual([]);
          // The first trace is shown, fully expanded: rows are its pre-order nodes.
          const nodes = entries[0].trace.nodesInOrder;
          const rows = Array.from(
            container.querySelectorAll('[role="treeitem"]')
          );
          expectWindow(rows, nodes.length, 'tree rows');
          expect(rows.map(row => row.getAttribute('data-span-id'))).toEqual(
            nodes.slice(0, rows.length).map(node => node.span.spanId)
          );
          expect(consoleError).not.toHaveBeenCalled();
          unmount();
        }
      ),
      { numRuns: 200, seed: SEED }
    );
  });

  it('the trace-list table renders generated infos inertly, one row per trace in the window (200 cases)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            info.filter(i => i !== undefined),
            weird.filter(
              w => typeof w === 'object' && w !== null && !Array.isArray(w)
            )
          ),
          { maxLength: 40, size: 'max' }
        ),
        infos => {
          consoleError.mockClear();
          const items = (infos as any[]).map(i => toListItem(i));
          const { container, unmount } = render(
            <TraceTable
              items={items}
              loadingMore={false}
              openedId={undefined}
              onOpen={() => undefined}
              onCompare={() => undefined}
            />
          );
          expect(inertProblems(container, ['input'])).toEqual([]);
          const rows = Array.from(
            container.querySelectorAll('[role="row"][aria-rowindex]')
          );
          expectWindow(rows, items.length, 'table rows');
          // The table opens sorted by request time, newest first.
          const shown = sortItems(items, {
            column: 'requestTimeMs',
            descending: true
          });
          rows.forEach((row, index) => {
            const cell = (column: string) =>
              row.querySelector(`.jp-MlflowTraceList-col-${column}`)!
                .textContent;
            expect({
              row: row.getAttribute('aria-rowindex'),
              traceId: cell('traceId'),
              name: cell('name'),
              state: cell('state')
            }).toEqual({
              row: String(index + 2),
              traceId: shown[index].traceId,
              name: shown[index].name,
              state: shown[index].state
            });
          });
          expect(consoleError).not.toHaveBeenCalled();
          unmount();
        }
      ),
      { numRuns: 200, seed: SEED }
    );
  });
});
