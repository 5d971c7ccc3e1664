/**
 * @jest-environment jsdom
 *
 * The comparison stays bounded: its aligned rows are virtualized, and the
 * diff of a pair's inputs and outputs has a size cap that it states.
 */
import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { buildTrace, ITrace } from '../../../src/trace';
import { CompareView } from '../../../src/view';
import { fakeLayout, wideTrace } from './helpers';

beforeAll(fakeLayout);

/** A one-span trace whose input is `text`. */
function traceWithInput(text: string): ITrace {
  const base = 1_700_000_000_000_000_000;
  return buildTrace(undefined, [
    {
      span_id: 'root',
      parent_span_id: null,
      name: 'root',
      start_time_unix_nano: base,
      end_time_unix_nano: base + 1e6,
      attributes: { 'mlflow.spanInputs': JSON.stringify(text) }
    }
  ]);
}

/** About `chars` characters of numbered lines; `edit` changes every 20,000th. */
function bigText(chars: number, edit: boolean): string {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const line =
      edit && i % 20_000 === 0
        ? `line ${i} was edited on the right`
        : `line ${i} of a large prompt, unchanged`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

describe('CompareView at scale', () => {
  it('mounts a bounded number of rows for two 100k-span traces', () => {
    const count = 100_000;
    render(<CompareView left={wideTrace(count)} right={wideTrace(count)} />);
    const table = screen.getByRole('table', { name: 'Aligned spans' });
    expect(table.getAttribute('aria-rowcount')).toBe(String(count + 1));
    const rows = within(table).getAllByRole('row').slice(1);
    // 400 px of 24 px rows plus the overscan; never the whole trace.
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0].textContent).toContain('root');
    rows.slice(1).forEach((row, index) => {
      expect(row.textContent).toContain(`span ${index + 1}`);
    });
  });

  it('compares 10 MB inputs fast and says they are not diffed in full', () => {
    const size = 10_000_000;
    const left = traceWithInput(bigText(size, false));
    const right = traceWithInput(bigText(size, true));
    const started = performance.now();
    render(<CompareView left={left} right={right} />);
    const elapsedMs = performance.now() - started;
    const diff = screen.getByLabelText('Span diff');
    const leftChars = (left.roots[0].span.inputs as string).length;
    expect(diff.textContent).toContain(
      `too large to diff in full (A ${leftChars.toLocaleString('en-US')} chars`
    );
    // A bounded prefix is diffed and shown, not 10 MB of text.
    expect(diff.textContent!.length).toBeLessThan(200_000);
    expect(diff.querySelector('.jp-mod-removed')!.textContent).toContain(
      'line 0 of a large prompt'
    );
    expect(diff.querySelector('.jp-mod-added')!.textContent).toContain(
      'line 0 was edited on the right'
    );
    expect(elapsedMs).toBeLessThan(3000);
  });
});
