/**
 * @jest-environment jsdom
 */
import React from 'react';
import { render } from '@testing-library/react';
import { buildTrace, ISpanDict, problemsHeadline } from '../../../src/trace';
import { TraceExplorer } from '../../../src/view';
import { WarningList } from '../../../src/view/WarningList';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

function shown(container: HTMLElement): { headline: string; items: string[] } {
  const details = container.querySelector('details.jp-mod-warning')!;
  return {
    headline: details.querySelector('summary')!.textContent!,
    items: Array.from(details.querySelectorAll('li')).map(li => li.textContent!)
  };
}

describe('WarningList', () => {
  it('shows nothing without warnings', () => {
    const { container } = render(<WarningList warnings={[]} headline="x" />);
    expect(container.innerHTML).toBe('');
  });

  it('lists the first 50 and says how many more there are', () => {
    const warnings = Array.from({ length: 60 }, (_, i) => `problem ${i}`);
    const { container } = render(
      <WarningList warnings={warnings} headline="60 problems" />
    );
    const { headline, items } = shown(container);
    expect(headline).toBe('60 problems');
    expect(items).toHaveLength(51);
    expect(items[49]).toBe('problem 49');
    expect(items[50]).toBe('… and 10 more');
  });

  it("is how the explorer shows a trace's own warnings", () => {
    const base = 1_700_000_000_000_000_000;
    const spans: ISpanDict[] = [
      {
        span_id: 'root',
        parent_span_id: null,
        name: 'root',
        start_time_unix_nano: base,
        end_time_unix_nano: base + 1e6
      },
      {
        span_id: 'orphan',
        parent_span_id: 'missing',
        name: 'orphan',
        start_time_unix_nano: base,
        end_time_unix_nano: base + 1e6
      }
    ];
    const trace = buildTrace(undefined, spans);
    expect(trace.warnings.length).toBeGreaterThan(0);
    const { container } = render(<TraceExplorer trace={trace} />);
    const { headline, items } = shown(container);
    expect(headline).toBe(problemsHeadline(trace.warnings.length));
    expect(items).toEqual(trace.warnings.map(warning => warning.message));
  });
});
