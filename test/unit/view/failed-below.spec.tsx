/**
 * @jest-environment jsdom
 *
 * "Collapse all" must not hide a failure: a collapsed row whose subtree
 * holds a failed span carries a mark; expanded, only the failing row says so.
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { buildTrace, ISpanDict, ITrace } from '../../../src/trace';
import { TraceExplorer } from '../../../src/view';
import { failedBelowIds } from '../../../src/view/rows';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

const MARK = 'contains failed spans';

/**
 * root ─┬─ plan ── step ── deep (ERROR)
 *       └─ answer
 */
function deepFailure(): ITrace {
  const base = 1_700_000_000_000_000_000;
  const span = (
    id: string,
    parent: string | null,
    offsetMs: number,
    status = 'OK'
  ): ISpanDict => ({
    span_id: id,
    parent_span_id: parent,
    name: id,
    start_time_unix_nano: base + offsetMs * 1e6,
    end_time_unix_nano: base + (offsetMs + 1) * 1e6,
    status: { code: status }
  });
  return buildTrace(undefined, [
    { ...span('root', null, 0), end_time_unix_nano: base + 10e6 },
    { ...span('plan', 'root', 1), end_time_unix_nano: base + 5e6 },
    { ...span('step', 'plan', 2), end_time_unix_nano: base + 4e6 },
    span('deep', 'step', 3, 'ERROR'),
    span('answer', 'root', 6)
  ]);
}

function row(name: string): HTMLElement {
  const found = screen
    .getAllByRole('treeitem')
    .find(
      r => r.querySelector('.jp-MlflowTrace-spanName')!.textContent === name
    );
  if (!found) {
    throw new Error(`no row named ${name}`);
  }
  return found;
}

describe('failed spans under a collapsed row', () => {
  it('failedBelowIds names exactly the ancestors of a failed span', () => {
    expect([...failedBelowIds(deepFailure())].sort()).toEqual([
      'plan',
      'root',
      'step'
    ]);
  });

  it('failedBelowIds walks a 100k-deep chain without recursion', () => {
    const base = 1_700_000_000_000_000_000;
    const count = 100_000;
    const spans: ISpanDict[] = [];
    for (let i = 0; i < count; i++) {
      spans.push({
        span_id: `s${i}`,
        parent_span_id: i ? `s${i - 1}` : null,
        name: `s${i}`,
        start_time_unix_nano: base + i,
        end_time_unix_nano: base + 2 * count - i,
        status: { code: i === count - 1 ? 'ERROR' : 'OK' }
      });
    }
    const ids = failedBelowIds(buildTrace(undefined, spans));
    expect(ids.size).toBe(count - 1);
    expect(ids.has(`s${count - 1}`)).toBe(false);
  });

  it('collapse all marks the root row; expanded, only the failing row shows an error', () => {
    render(<TraceExplorer trace={deepFailure()} />);
    fireEvent.click(screen.getByText('Collapse all'));
    expect(screen.getAllByRole('treeitem')).toHaveLength(1);
    expect(row('root').querySelector(`[aria-label="${MARK}"]`)).not.toBeNull();

    fireEvent.click(screen.getByText('Expand all'));
    expect(screen.queryAllByLabelText(MARK)).toHaveLength(0);
    const withError = screen
      .getAllByRole('treeitem')
      .filter(r => r.querySelector('.jp-MlflowTrace-errorBadge'))
      .map(r => r.getAttribute('data-span-id'));
    expect(withError).toEqual(['deep']);

    // Collapsing one ancestor moves the mark to it, and only to it.
    fireEvent.click(row('plan').querySelector('.jp-MlflowTrace-toggle')!);
    const marked = screen
      .getAllByLabelText(MARK)
      .map(mark =>
        mark.closest('[role="treeitem"]')!.getAttribute('data-span-id')
      );
    expect(marked).toEqual(['plan']);
  });
});
