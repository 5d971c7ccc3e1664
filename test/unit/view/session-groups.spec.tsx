/**
 * @jest-environment jsdom
 */
/**
 * The trace table grouped by session: sessions in order of their latest
 * trace, rows without a session last, each group's rows in the table's sort,
 * headings as text; and the toolbar toggle that groups the loaded rows.
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ITraceInfoV3 } from '../../../src/trace';
import { itemKeys, ITraceListItem, toListItem } from '../../../src/view';
import {
  groupBySession,
  ISessionHeadingRow,
  sessionHeadingText,
  TableRow
} from '../../../src/view/list/sessionGroups';
import { TraceTable } from '../../../src/view/list/TraceTable';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

const HOSTILE = '<img src=x onerror="alert(1)">';

function item(
  traceId: string,
  minute: number | null,
  session: string,
  user = ''
): ITraceListItem {
  const metadata: Record<string, string> = {};
  if (session) {
    metadata['mlflow.trace.session'] = session;
  }
  if (user) {
    metadata['mlflow.trace.user'] = user;
  }
  const info: ITraceInfoV3 = {
    trace_id: traceId,
    state: 'OK',
    trace_metadata: metadata,
    tags: { 'mlflow.traceName': `name-${traceId}` }
  };
  if (minute !== null) {
    info.request_time = new Date(
      Date.UTC(2026, 11, 2, 0, minute)
    ).toISOString();
  }
  return toListItem(info);
}

// a: s1 at 0 and 9; b: s2 at 5; no session at 7; c: s3 with no time; d: hostile at 3
const ITEMS = [
  item('a1', 0, 's1', 'ada'),
  item('b1', 5, 's2', 'bob'),
  item('n1', 7, ''),
  item('a2', 9, 's1', 'ada'),
  item('c1', null, 's3'),
  item('d1', 3, HOSTILE, 'eve'),
  item('a3', 1, 's1', 'al')
];

const describeRows = (rows: TableRow[]) =>
  rows.map(row =>
    row.kind === 'session' ? `[${row.session}]` : row.item.traceId
  );

describe('groupBySession', () => {
  it('orders sessions by their latest trace, unknown times next, no session last', () => {
    const rows = groupBySession(ITEMS, itemKeys(ITEMS));
    expect(describeRows(rows)).toEqual([
      '[s1]',
      'a1',
      'a2',
      'a3',
      '[s2]',
      'b1',
      `[${HOSTILE}]`,
      'd1',
      '[s3]',
      'c1',
      '[]',
      'n1'
    ]);
  });

  it('counts each session, names its users once, and keeps its latest time', () => {
    const rows = groupBySession(ITEMS, itemKeys(ITEMS));
    const s1 = rows[0] as ISessionHeadingRow;
    expect(s1).toMatchObject({ count: 3, users: ['ada', 'al'] });
    expect(s1.latestMs).toBe(Date.UTC(2026, 11, 2, 0, 9));
    expect(sessionHeadingText(s1)).toBe('Session "s1" · 3 traces · ada, al');
    const none = rows[rows.length - 2] as ISessionHeadingRow;
    expect(sessionHeadingText(none)).toBe('No session · 1 trace');
  });

  it('keeps the given order inside a session, and every key unique', () => {
    const sorted = [ITEMS[6], ITEMS[3], ITEMS[0]]; // a3, a2, a1
    const rows = groupBySession(sorted, itemKeys(ITEMS));
    expect(describeRows(rows)).toEqual(['[s1]', 'a3', 'a2', 'a1']);
    const twice = [item('a1', 0, 's1'), item('a1', 0, 's1')]; // one id listed twice
    const keys = groupBySession(twice, itemKeys(twice)).map(row => row.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives an empty list no rows', () => {
    expect(groupBySession([], new Map())).toEqual([]);
  });
});

describe('the trace table grouped by session', () => {
  const rowTexts = () =>
    screen
      .getAllByRole('row')
      .slice(1)
      .map(row =>
        row.classList.contains('jp-MlflowTraceList-session')
          ? `[${row.textContent}]`
          : row.getAttribute('data-trace-id')
      );

  it('groups the loaded rows under their session when toggled, and ungroups', () => {
    const onOpen = jest.fn();
    render(
      <TraceTable
        items={ITEMS}
        loadingMore={false}
        openedId={undefined}
        onOpen={onOpen}
        onCompare={jest.fn()}
      />
    );
    expect(rowTexts()).toHaveLength(ITEMS.length);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Group by session' }));
    const grouped = rowTexts();
    // newest first inside each session: the table's own sort
    expect(grouped.slice(0, 4)).toEqual([
      '[Session "s1" · 3 traces · ada, al]',
      'a2',
      'a3',
      'a1'
    ]);
    expect(grouped).toContain(
      `[Session ${JSON.stringify(HOSTILE)} · 1 trace · eve]`
    );
    expect(grouped[grouped.length - 2]).toBe('[No session · 1 trace]');
    expect(document.querySelector('img')).toBeNull();
    fireEvent.click(
      screen.getAllByRole('row').find(r => r.dataset.traceId === 'b1')!
    );
    expect(onOpen).toHaveBeenCalledWith('b1');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Group by session' }));
    expect(rowTexts()).toHaveLength(ITEMS.length);
  });
});

describe('a session heading', () => {
  it('offers its rows as a conversation; the rows without a session do not', () => {
    const onOpenSession = jest.fn();
    render(
      <TraceTable
        items={ITEMS}
        loadingMore={false}
        openedId={undefined}
        onOpen={jest.fn()}
        onCompare={jest.fn()}
        onOpenSession={onOpenSession}
      />
    );
    fireEvent.click(screen.getByRole('checkbox', { name: 'Group by session' }));
    const buttons = screen.getAllByRole('button', { name: 'Conversation' });
    expect(buttons).toHaveLength(4); // s1, s2, the hostile one, s3; not "no session"
    fireEvent.click(buttons[0]);
    expect(onOpenSession).toHaveBeenCalledWith('s1');
  });
});
