/**
 * @jest-environment jsdom
 */
/**
 * The session view: the reference session (contract/examples/trace-list/
 * session.json, as a real server returned it) as a conversation, turns in
 * request-time order whatever the order given, hostile messages as text,
 * a turn opening its trace by click or Enter, cost and assessments per turn.
 */
import React from 'react';
import fs from 'fs';
import path from 'path';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { ITraceInfoV3 } from '../../../src/trace';
import {
  sessionCaption,
  SessionView,
  toListItem,
  TraceListOutput
} from '../../../src/view';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

const EXAMPLE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'contract',
  'examples',
  'trace-list',
  'session.json'
);
const bundle = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
const infos: ITraceInfoV3[] = bundle.traces;
const inOrder = infos.map(info => info.trace_id);

function turns(): HTMLElement[] {
  return screen.getAllByRole('listitem');
}

function renderSession(
  given: ITraceInfoV3[],
  onOpen = jest.fn(),
  openedId?: string
) {
  render(
    <SessionView
      items={given.map(toListItem)}
      loadingMore={false}
      openedId={openedId}
      onOpen={onOpen}
    />
  );
  return onOpen;
}

describe('SessionView', () => {
  it('shows the turns in request-time order, whatever the order given', () => {
    renderSession([...infos].reverse());
    expect(turns().map(turn => turn.dataset.traceId)).toEqual(inOrder);
    expect(
      turns().map(turn => within(turn).getByRole('button').textContent)
    ).toEqual(['Turn 1', 'Turn 2', 'Turn 3', 'Turn 4']);
  });

  it("shows each turn's user message and assistant answer", () => {
    renderSession(infos);
    const first = turns()[0];
    expect(first.textContent).toContain('What is the weather in Paris?');
    expect(first.textContent).toContain('Sunny, 70 °F.');
    expect(
      first.querySelector('.jp-MlflowTraceSession-user')!.textContent
    ).toBe('userWhat is the weather in Paris?');
  });

  it('shows a hostile message as text, never as markup', () => {
    renderSession(infos);
    const hostile = turns()[3];
    expect(hostile.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(hostile.querySelector('img')).toBeNull();
  });

  it('opens a turn by a click on it, and by Enter on its button', () => {
    const onOpen = renderSession(infos);
    fireEvent.click(turns()[2]);
    expect(onOpen).toHaveBeenLastCalledWith(inOrder[2]);
    const button = within(turns()[1]).getByRole('button', { name: 'Turn 2' });
    button.focus();
    fireEvent.keyDown(button, { key: 'Enter' });
    fireEvent.click(button); // a browser turns Enter on a button into a click
    expect(onOpen).toHaveBeenLastCalledWith(inOrder[1]);
    expect(onOpen).toHaveBeenCalledTimes(2);
  });

  it('marks the opened turn and an error turn', () => {
    const failed = { ...infos[1], state: 'ERROR' as const };
    renderSession([infos[0], failed], jest.fn(), infos[0].trace_id);
    expect(turns()[0].classList).toContain('jp-mod-selected');
    expect(turns()[1].classList).toContain('jp-mod-error');
    expect(turns()[1].textContent).toContain('ERROR');
  });

  it("shows each turn's latency, cost and assessments", () => {
    const priced = {
      ...infos[0],
      trace_metadata: {
        ...infos[0].trace_metadata,
        'mlflow.trace.cost': JSON.stringify({ total_cost: 0.0123 })
      }
    };
    renderSession([priced, infos[1]]);
    const [first, second] = turns();
    expect(within(first).getByLabelText('Latency').textContent).toBe('1.2 s');
    expect(within(first).getByLabelText('Cost').textContent).toBe('$0.0123');
    expect(within(second).getByLabelText('Cost').textContent).toBe('');
    expect(second.textContent).toContain('helpful: true');
  });

  it('keeps two turns of one trace id (a hostile list) as two turns', () => {
    renderSession([infos[0], infos[0]]);
    expect(turns()).toHaveLength(2);
  });

  it('offers more turns when the session has more', () => {
    const onLoadMore = jest.fn();
    render(
      <SessionView
        items={infos.map(toListItem)}
        loadingMore={false}
        openedId={undefined}
        onOpen={jest.fn()}
        onLoadMore={onLoadMore}
      />
    );
    fireEvent.click(screen.getByRole('button', { name: 'Load more turns' }));
    expect(onLoadMore).toHaveBeenCalled();
  });
});

describe('a session trace list', () => {
  it('renders as a conversation, not a table', () => {
    render(
      <TraceListOutput
        caption="c"
        notices={[]}
        items={infos.map(toListItem)}
        loadingMore={false}
        openedId={undefined}
        detail={{ kind: 'none' }}
        onOpen={jest.fn()}
        onCompare={jest.fn()}
        sessionId="sess-alpha"
      />
    );
    expect(screen.queryByRole('table')).toBeNull();
    expect(turns()).toHaveLength(4);
  });

  it('is captioned with the session, its turns and users', () => {
    expect(sessionCaption('sess-alpha', infos.map(toListItem), ['1'])).toBe(
      'Session "sess-alpha": 4 turns by ada from experiment 1'
    );
    expect(sessionCaption('x', [], [])).toBe('Session "x": 0 turns');
  });
});

describe('a session opened under a trace table', () => {
  it('shows its turns as a conversation, captioned as the loaded rows', () => {
    const onOpen = jest.fn();
    render(
      <TraceListOutput
        caption="c"
        notices={[]}
        items={infos.map(toListItem)}
        loadingMore={false}
        openedId={undefined}
        detail={{
          kind: 'session',
          sessionId: 'sess-alpha',
          items: [...infos].reverse().map(toListItem)
        }}
        onOpen={onOpen}
        onCompare={jest.fn()}
      />
    );
    expect(screen.getByRole('table', { name: 'Traces' })).toBeTruthy();
    expect(turns().map(turn => turn.dataset.traceId)).toEqual(inOrder);
    expect(
      screen.getByText('Session "sess-alpha": 4 turns by ada (the loaded rows)')
    ).toBeTruthy();
    fireEvent.click(turns()[0]);
    expect(onOpen).toHaveBeenCalledWith(inOrder[0]);
  });
});
