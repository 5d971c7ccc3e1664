/**
 * @jest-environment jsdom
 *
 * A trace polled while it runs grows between renders: the timeline window
 * follows its full extent until the user zooms.
 */
import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { buildTrace, ISpanDict, ITrace } from '../../../src/trace';
import { TraceExplorer } from '../../../src/view';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

const BASE_NS = 1_700_000_000_000_000_000;
const MS = 1e6;

/** A running trace: an open root and finished children `[name, fromMs, toMs]`. */
function runningTrace(children: [string, number, number][]): ITrace {
  const spans: ISpanDict[] = [
    {
      span_id: 'root',
      parent_span_id: null,
      name: 'agent',
      start_time_unix_nano: BASE_NS,
      end_time_unix_nano: null
    } as unknown as ISpanDict,
    ...children.map(([name, fromMs, toMs]) => ({
      span_id: name,
      parent_span_id: 'root',
      name,
      start_time_unix_nano: BASE_NS + fromMs * MS,
      end_time_unix_nano: BASE_NS + toMs * MS
    }))
  ];
  const info = { trace_id: 'tr-running', state: 'IN_PROGRESS' } as never;
  return buildTrace(info, spans);
}

const first = runningTrace([['plan', 0, 5]]);
const grown = runningTrace([
  ['plan', 0, 5],
  ['act', 12, 20]
]);

/** The bar of the span named `name`, or null when it is off the window. */
function bar(name: string): HTMLElement | null {
  const row = screen
    .getAllByRole('treeitem')
    .find(
      r => r.querySelector('.jp-MlflowTrace-spanName')!.textContent === name
    )!;
  return row.querySelector<HTMLElement>('.jp-MlflowTrace-bar');
}

function pct(value: string): number {
  return Number(value.replace('%', ''));
}

function zoomInAtStart(): void {
  const axis = document.querySelector('svg.jp-MlflowTrace-axis')!;
  const wheel = new WheelEvent('wheel', { deltaY: -Math.log(2) / 0.002 });
  Object.defineProperty(wheel, 'offsetX', { value: 0 });
  act(() => {
    axis.dispatchEvent(wheel);
  });
}

describe('The timeline of a trace that grows while polled', () => {
  it('follows the full extent when the user has not zoomed', () => {
    const { rerender } = render(<TraceExplorer trace={first} />);
    expect(pct(bar('plan')!.style.width)).toBeCloseTo(100);
    rerender(<TraceExplorer trace={grown} />);
    const actBar = bar('act');
    expect(actBar).not.toBeNull();
    expect(pct(actBar!.style.left)).toBeCloseTo(60);
    expect(pct(actBar!.style.width)).toBeCloseTo(40);
    expect(pct(bar('plan')!.style.width)).toBeCloseTo(25);
  });

  it('keeps the window the user zoomed to, and follows again after Reset zoom', () => {
    const { rerender } = render(<TraceExplorer trace={first} />);
    zoomInAtStart();
    // [0, 2.5] ms: plan (0-5 ms) fills the timeline.
    expect(pct(bar('plan')!.style.left)).toBeCloseTo(0);
    expect(pct(bar('plan')!.style.width)).toBeCloseTo(100);
    rerender(<TraceExplorer trace={grown} />);
    expect(pct(bar('plan')!.style.width)).toBeCloseTo(100);
    expect(bar('act')).toBeNull();
    fireEvent.click(screen.getByText('Reset zoom'));
    expect(pct(bar('act')!.style.left)).toBeCloseTo(60);
  });
});
