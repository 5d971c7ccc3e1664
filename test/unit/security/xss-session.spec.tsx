/**
 * @jest-environment jsdom
 *
 * The XSS corpus (test/fixtures/xss-payloads.json) through a session: every
 * payload as the session id, a user message (plain and inside a chat
 * payload), an answer, a user, an assessment and a trace id, through the
 * session's text/html and text/plain fallbacks, the conversation view, and
 * the trace table grouped by session. Nothing may become markup.
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { renderTraceListHtml, renderTraceListText } from '../../../src/bundle';
import { ITraceInfoV3 } from '../../../src/trace';
import { toListItem, TraceListOutput } from '../../../src/view';
import { TraceTable } from '../../../src/view/list/TraceTable';
import { fakeLayout } from '../view/helpers';
import { checkFallback } from './fallbackInert';
import { PAYLOADS } from './hostile';
import { inertProblems } from './inert';

beforeAll(fakeLayout);

const marker = () => (window as unknown as { __xss?: number }).__xss;

afterEach(() => {
  expect(marker()).toBeUndefined();
});

/** One turn per payload: the payload everywhere a turn holds text. */
function hostileTurns(): ITraceInfoV3[] {
  return PAYLOADS.map((p, i) => ({
    trace_id:
      i % 5 === 0 ? p.payload : `tr-${i.toString(16).padStart(32, '0')}`,
    request_time: new Date(Date.UTC(2026, 11, 2, 0, 0, i)).toISOString(),
    execution_duration: '0.100s',
    state: i % 7 === 0 ? 'ERROR' : 'OK',
    request_preview:
      i % 2 === 0
        ? p.payload
        : JSON.stringify({ messages: [{ role: 'user', content: p.payload }] }),
    response_preview: JSON.stringify({
      choices: [{ message: { role: 'assistant', content: p.payload } }]
    }),
    trace_metadata: {
      'mlflow.trace.session': p.payload,
      'mlflow.trace.user': p.payload
    },
    assessments: [
      {
        assessment_id: `a-${i}`,
        assessment_name: p.payload,
        trace_id: `tr-${i}`,
        feedback: { value: p.payload }
      } as never
    ]
  }));
}

function sessionBundle(sessionId: string, traces: ITraceInfoV3[]) {
  return {
    version: 1,
    tracking_uri: 'http://127.0.0.1:5000',
    query: {
      experiment_ids: ['1'],
      filter: "metadata.`mlflow.trace.session` = 'x'",
      order_by: ['timestamp_ms ASC'],
      session_id: sessionId
    },
    traces
  };
}

describe('a session on the XSS corpus', () => {
  const turns = hostileTurns();

  it('writes every payload as inert text in the text/html fallback', () => {
    for (const p of PAYLOADS.slice(0, 20)) {
      checkFallback(renderTraceListHtml(sessionBundle(p.payload, turns)));
    }
  });

  it('keeps each turn on its three text/plain lines', () => {
    const text = renderTraceListText(sessionBundle(PAYLOADS[0].payload, turns));
    expect(text.split('\n')).toHaveLength(1 + 3 * turns.length);
  });

  it('shows every payload as text in the conversation view', () => {
    const { container } = render(
      <TraceListOutput
        caption={PAYLOADS[0].payload}
        notices={[]}
        items={turns.map(toListItem)}
        loadingMore={false}
        openedId={undefined}
        detail={{ kind: 'none' }}
        onOpen={jest.fn()}
        onCompare={jest.fn()}
        sessionId={PAYLOADS[0].payload}
      />
    );
    expect(inertProblems(container)).toEqual([]);
    expect(screen.getAllByRole('listitem').length).toBeGreaterThan(0);
    expect(container.textContent).toContain(PAYLOADS[0].payload);
  });

  it('shows every payload as a session heading, as text', () => {
    const { container } = render(
      <TraceTable
        items={turns.map(toListItem)}
        loadingMore={false}
        openedId={undefined}
        onOpen={jest.fn()}
        onCompare={jest.fn()}
      />
    );
    fireEvent.click(screen.getByRole('checkbox', { name: 'Group by session' }));
    const headings = container.querySelectorAll('.jp-MlflowTraceList-session');
    expect(headings.length).toBeGreaterThan(0);
    expect(inertProblems(container, ['input'])).toEqual([]);
  });
});
