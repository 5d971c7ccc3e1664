/**
 * @jest-environment jsdom
 */
import React from 'react';
import fs from 'fs';
import path from 'path';
import { fireEvent, render, screen, within } from '@testing-library/react';
import {
  CompareView,
  filterItems,
  sortItems,
  toListItem,
  TraceOutput
} from '../../../src/view';
import { TraceTable } from '../../../src/view/list/TraceTable';
import { ITraceInfoV3 } from '../../../src/trace';
import { fakeLayout, recordedTrace } from './helpers';

beforeAll(fakeLayout);

const RECORDED = path.resolve(__dirname, '..', '..', 'fixtures', 'recorded');
const infos: ITraceInfoV3[] = ['nested', 'error', 'chat', 'unicode'].map(
  label =>
    JSON.parse(
      fs.readFileSync(path.join(RECORDED, `${label}.info.json`), 'utf8')
    ).trace.trace_info
);
const items = infos.map(toListItem);

function shownNames(): string[] {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(
      row => row.querySelector('.jp-MlflowTraceList-col-name')!.textContent!
    );
}

describe('trace list rows', () => {
  it('reads name, state, duration and tokens from the recorded trace infos', () => {
    const nested = items[0];
    expect(nested.name).toBe('rag_agent');
    expect(nested.state).toBe('OK');
    expect(nested.totalTokens).toBe(59);
    expect(nested.durationMs).toBeGreaterThan(0);
    expect(items[1].state).toBe('ERROR');
  });

  it('sorts by duration both ways and filters by text and errors', () => {
    const ascending = sortItems(items, {
      column: 'durationMs',
      descending: false
    }).map(i => i.durationMs!);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    const descending = sortItems(items, {
      column: 'durationMs',
      descending: true
    }).map(i => i.durationMs!);
    expect(descending).toEqual([...ascending].reverse());
    expect(filterItems(items, '', true).map(i => i.name)).toEqual([
      'failing_chain'
    ]);
    expect(filterItems(items, 'weather', false).map(i => i.name)).toEqual([
      'rag_agent'
    ]);
  });
});

describe('TraceTable', () => {
  const renderTable = (onOpen = jest.fn(), onCompare = jest.fn()) =>
    render(
      <TraceTable
        items={items}
        loadingMore={false}
        openedId={undefined}
        onOpen={onOpen}
        onCompare={onCompare}
      />
    );

  it('sorts by a column when its header is clicked, and reports aria-sort', () => {
    renderTable();
    fireEvent.click(screen.getByRole('button', { name: /^Name/ }));
    expect(shownNames()).toEqual([
      'chat_turns',
      'failing_chain',
      'rag_agent',
      'unicode_ünïcödé_🚀_עברית'
    ]);
    expect(
      screen
        .getByRole('columnheader', { name: /^Name/ })
        .getAttribute('aria-sort')
    ).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: /^Name/ }));
    expect(shownNames()[0]).toBe('unicode_ünïcödé_🚀_עברית');
  });

  it('filters, shows errors only, opens a row and compares two picked rows', () => {
    const onOpen = jest.fn();
    const onCompare = jest.fn();
    renderTable(onOpen, onCompare);
    fireEvent.change(screen.getByLabelText('Filter traces'), {
      target: { value: 'chat' }
    });
    expect(shownNames()).toEqual(['chat_turns']);
    fireEvent.change(screen.getByLabelText('Filter traces'), {
      target: { value: '' }
    });
    fireEvent.click(screen.getByLabelText('Errors only'));
    expect(shownNames()).toEqual(['failing_chain']);
    fireEvent.click(screen.getByLabelText('Errors only'));
    fireEvent.click(screen.getAllByRole('row')[1]);
    expect(onOpen).toHaveBeenCalledTimes(1);
    const compare = screen.getByRole('button', { name: /Compare/ });
    expect((compare as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(
      screen.getByLabelText(`Pick ${infos[0].trace_id} to compare`)
    );
    fireEvent.click(
      screen.getByLabelText(`Pick ${infos[2].trace_id} to compare`)
    );
    fireEvent.click(compare);
    expect(onCompare).toHaveBeenCalledWith(
      infos[0].trace_id,
      infos[2].trace_id
    );
    expect(onOpen).toHaveBeenCalledTimes(1);
  });
});

describe('TraceTable with a trace id listed twice', () => {
  it('ticks only the row picked, and compares the two rows picked', () => {
    const twice = [items[0], { ...items[0] }, items[1]];
    const onCompare = jest.fn();
    render(
      <TraceTable
        items={twice}
        loadingMore={false}
        openedId={undefined}
        onOpen={jest.fn()}
        onCompare={onCompare}
      />
    );
    const boxes = screen.getAllByLabelText(
      `Pick ${infos[0].trace_id} to compare`
    ) as HTMLInputElement[];
    expect(boxes).toHaveLength(2);
    fireEvent.click(boxes[0]);
    expect(boxes.map(box => box.checked)).toEqual([true, false]);
    const compare = screen.getByRole('button', { name: /Compare/ });
    expect(compare.textContent).toBe('Compare 1/2');
    fireEvent.click(boxes[1]);
    expect(boxes.map(box => box.checked)).toEqual([true, true]);
    fireEvent.click(compare);
    expect(onCompare).toHaveBeenCalledWith(
      infos[0].trace_id,
      infos[0].trace_id
    );
  });
});

describe('CompareView', () => {
  it('aligns two traces and diffs the inputs of the selected pair', () => {
    render(
      <CompareView
        left={recordedTrace('nested')}
        right={recordedTrace('chat')}
      />
    );
    const table = screen.getByRole('table', { name: 'Aligned spans' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.some(row => row.textContent!.includes('only in A'))).toBe(true);
    expect(rows.some(row => row.textContent!.includes('only in B'))).toBe(true);
    expect(screen.getByLabelText('Total token delta').textContent).toBe(
      'tokens −21'
    );
    // The roots (rag_agent, chat_turns) are aligned; their inputs differ.
    expect(rows[0].textContent).toContain('rag_agent');
    fireEvent.click(rows[0]);
    const diff = screen.getByLabelText('Span diff');
    const removed = Array.from(diff.querySelectorAll('.jp-mod-removed'))
      .map(el => el.textContent)
      .join('');
    expect(removed).toContain('What is the weather in Lyon?');
  });

  it('is what a trace output with compare: true and two traces shows', () => {
    const entries = [recordedTrace('nested'), recordedTrace('nested')].map(
      trace => ({
        traceId: trace.info!.trace_id,
        trace,
        loading: false
      })
    );
    render(<TraceOutput entries={entries} notices={[]} compare />);
    expect(screen.getByRole('table', { name: 'Aligned spans' })).toBeTruthy();
    expect(screen.getByLabelText('Total duration delta').textContent).toBe(
      'duration ±0 µs'
    );
    fireEvent.click(screen.getByText('Show each trace'));
    expect(screen.getByRole('tree')).toBeTruthy();
  });
});
