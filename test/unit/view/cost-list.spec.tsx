/**
 * @jest-environment jsdom
 *
 * The trace list's cost, session and user columns: read from the trace
 * metadata MLflow writes, sorted with missing values last, hostile text as text.
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { sortItems, toListItem } from '../../../src/view';
import { TraceTable } from '../../../src/view/list/TraceTable';
import { ITraceInfoV3 } from '../../../src/trace';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

const HOSTILE = '<img src=x onerror=alert(1)>';

function info(
  id: string,
  metadata: Record<string, string>,
  name = id
): ITraceInfoV3 {
  return {
    trace_id: id,
    request_time: '2026-12-01T08:00:00Z',
    execution_duration: '0.5s',
    state: 'OK',
    trace_metadata: metadata,
    tags: { 'mlflow.traceName': name }
  };
}

const cost = (total: number) =>
  JSON.stringify({
    input_cost: total / 4,
    output_cost: total * 0.75,
    total_cost: total
  });

const INFOS = [
  info('tr-a', { 'mlflow.trace.cost': cost(0.002) }),
  info('tr-b', {}),
  info('tr-c', {
    'mlflow.trace.cost': cost(1.5),
    'mlflow.trace.session': 'session-1',
    'mlflow.trace.user': 'alice'
  }),
  info('tr-d', { 'mlflow.trace.cost': cost(0.002) }),
  info('tr-e', { 'mlflow.trace.cost': 'not json' }),
  info('tr-f', { 'mlflow.trace.cost': cost(0.0004) })
];
const items = INFOS.map(toListItem);

describe('list rows', () => {
  it('read the cost total, session and user from the trace metadata', () => {
    expect(items.map(item => item.cost)).toEqual([
      0.002,
      null,
      1.5,
      0.002,
      null,
      0.0004
    ]);
    expect(items[2].session).toBe('session-1');
    expect(items[2].user).toBe('alice');
    expect(items[1].session).toBe('');
    expect(items[4].costNote).toBe(
      'mlflow.trace.cost is not valid JSON, so its cost is not shown.'
    );
  });

  it.each([false, true])(
    'sort by cost (descending %p): ties keep their order, missing costs last',
    descending => {
      const order = sortItems(items, { column: 'cost', descending }).map(
        item => item.traceId
      );
      expect(order).toEqual(
        descending
          ? ['tr-c', 'tr-a', 'tr-d', 'tr-f', 'tr-b', 'tr-e']
          : ['tr-f', 'tr-a', 'tr-d', 'tr-c', 'tr-b', 'tr-e']
      );
    }
  );
});

describe('TraceTable cost, session and user columns', () => {
  const table = (rows: ITraceInfoV3[]) =>
    render(
      <TraceTable
        items={rows.map(toListItem)}
        loadingMore={false}
        openedId={undefined}
        onOpen={jest.fn()}
        onCompare={jest.fn()}
      />
    );
  const column = (name: string) =>
    Array.from(
      document.querySelectorAll(`[role=row] .jp-MlflowTraceList-col-${name}`)
    )
      .slice(1)
      .map(cell => cell.textContent);

  it('shows each cost in USD, a "?" with the note for a malformed one', () => {
    table(INFOS);
    expect(column('cost')).toEqual([
      '$0.00200',
      '',
      '$1.50',
      '$0.00200',
      '?',
      '$0.000400'
    ]);
    const malformed = document.querySelectorAll(
      '[role=row] .jp-MlflowTraceList-col-cost'
    )[5];
    expect(malformed.getAttribute('title')).toMatch(/not valid JSON/);
  });

  it('sorts the loaded rows by cost when its header is clicked, and says so', () => {
    table(INFOS);
    const header = screen.getByRole('button', { name: /^Cost/ });
    expect(header.getAttribute('title')).toBe(
      'Sort the 6 loaded rows by cost; Load more adds rows'
    );
    fireEvent.click(header);
    expect(column('cost')).toEqual([
      '$0.000400',
      '$0.00200',
      '$0.00200',
      '$1.50',
      '',
      '?'
    ]);
    expect(
      screen
        .getByRole('columnheader', { name: /Cost/ })
        .getAttribute('aria-sort')
    ).toBe('ascending');
    fireEvent.click(header);
    expect(column('cost').slice(0, 2)).toEqual(['$1.50', '$0.00200']);
  });

  it('shows hostile session and user strings as text', () => {
    table([
      info('tr-x', {
        'mlflow.trace.session': HOSTILE,
        'mlflow.trace.user': `${HOSTILE}<script>x</script>`
      })
    ]);
    expect(column('session')).toEqual([HOSTILE]);
    expect(column('user')).toEqual([`${HOSTILE}<script>x</script>`]);
    expect(document.querySelector('img, script')).toBeNull();
  });

  it('filters by session and user', () => {
    table(INFOS);
    fireEvent.change(screen.getByLabelText('Filter traces'), {
      target: { value: 'alice' }
    });
    expect(column('name')).toEqual(['tr-c']);
  });
});
