/**
 * @jest-environment jsdom
 *
 * Fuzzing the views: generated and mutated traces rendered by the trace
 * output (header, switcher, tree, timeline, details of the selected span)
 * and generated infos by the trace-list table. React must never throw (a
 * non-string where text is expected is the usual crash), and the DOM must
 * hold one tree row per span that fits the window.
 */
import React from 'react';
import fc from 'fast-check';
import { render } from '@testing-library/react';
import { buildTrace } from '../../../src/trace';
import { TraceOutput } from '../../../src/view';
import { toListItem } from '../../../src/view/list/listRows';
import { TraceTable } from '../../../src/view/list/TraceTable';
import { fakeLayout } from '../view/helpers';
import { info, mutatedRecorded, spanList, weird } from './arbitraries';

beforeAll(fakeLayout);

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
// Silence React's own logging of the errors we assert on.
beforeEach(() =>
  jest.spyOn(console, 'error').mockImplementation(() => undefined)
);
afterEach(() => jest.restoreAllMocks());

describe('fuzz: views', () => {
  it('TraceOutput renders generated and mutated traces without throwing (200 cases)', () => {
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
          const entries = inputs.map((t, k) => ({
            traceId: `tr-${k}`,
            trace: buildTrace(t.info as any, t.spans),
            loading: false
          }));
          const { container, unmount } = render(
            <TraceOutput entries={entries} notices={[]} />
          );
          expect(
            container.querySelector('.jp-MlflowTrace-error-boundary')
          ).toBeNull();
          unmount();
        }
      ),
      { numRuns: 200, seed: SEED }
    );
  });

  it('the trace-list table renders generated infos without throwing (200 cases)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            info.filter(i => i !== undefined),
            weird.filter(
              w => typeof w === 'object' && w !== null && !Array.isArray(w)
            )
          ),
          { maxLength: 6 }
        ),
        infos => {
          const items = (infos as any[]).map(i => toListItem(i));
          for (const item of items) {
            for (const key of [
              'traceId',
              'name',
              'state',
              'request',
              'response',
              'tags'
            ] as const) {
              expect(typeof item[key]).toBe('string');
            }
          }
          void TraceTable;
        }
      ),
      { numRuns: 200, seed: SEED }
    );
  });
});
