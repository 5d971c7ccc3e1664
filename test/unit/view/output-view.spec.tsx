/**
 * @jest-environment jsdom
 *
 * The explorer's view is one per output: going to another trace of the same
 * output keeps the view chosen.
 */
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { TraceOutput } from '../../../src/view';
import { fakeLayout, recordedTrace } from './helpers';

beforeAll(fakeLayout);

it('keeps the chosen view when another trace of the output is shown', () => {
  const entries = ['nested', 'error'].map(label => {
    const trace = recordedTrace(label);
    return { traceId: trace.info!.trace_id, trace, loading: false };
  });
  render(<TraceOutput entries={entries} notices={[]} />);
  const views = () => screen.getByRole('tablist', { name: 'Trace view' });
  const selected = () =>
    within(views())
      .getAllByRole('tab')
      .filter(tab => tab.getAttribute('aria-selected') === 'true')
      .map(tab => tab.textContent);
  expect(selected()).toEqual(['Tree + timeline']);
  fireEvent.click(within(views()).getByRole('tab', { name: 'Flame graph' }));
  expect(selected()).toEqual(['Flame graph']);

  const traces = screen.getByRole('tablist', { name: 'Traces in this output' });
  fireEvent.click(within(traces).getAllByRole('tab')[1]);
  expect(
    within(traces).getAllByRole('tab')[1].getAttribute('aria-selected')
  ).toBe('true');
  expect(selected()).toEqual(['Flame graph']);
});
