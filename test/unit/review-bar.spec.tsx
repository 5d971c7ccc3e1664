/**
 * @jest-environment jsdom
 *
 * The review bar: progress and position as given, thumbs showing the
 * current value, review keys (not while typing in a field), Retry of an
 * unsaved write, and the XSS corpus (test/fixtures/xss-payloads.json) as
 * feedback names, rationales, write labels and errors, notices, a queue
 * name and trace ids: all text, no markup.
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import {
  IReviewBarProps,
  ReviewAction,
  ReviewArea,
  ReviewStart
} from '../../src/view/review';
import { PAYLOADS } from './security/hostile';

const marker = () => (window as unknown as { __xss?: number }).__xss;

afterEach(() => {
  expect(marker()).toBeUndefined();
});

function props(overrides: Partial<IReviewBarProps> = {}) {
  const actions: ReviewAction[] = [];
  const retried: string[] = [];
  const bar: IReviewBarProps = {
    progress: '2 of 5 reviewed',
    position: 'Trace 3 of 5: tr-c',
    feedbackName: 'thumbs_up',
    onFeedbackName: () => undefined,
    value: true,
    rationale: '',
    onRationale: () => undefined,
    onSaveRationale: () => undefined,
    rationaleFocus: 0,
    pending: [],
    onRetry: id => retried.push(id),
    onRetryAll: () => undefined,
    notices: [],
    atStart: false,
    atEnd: false,
    onAction: action => actions.push(action),
    ...overrides
  };
  return { bar, actions, retried };
}

describe('ReviewArea', () => {
  it('shows progress and the current value, and performs the review keys', () => {
    const { bar, actions } = props();
    render(
      <ReviewArea {...bar}>
        <div>explorer</div>
      </ReviewArea>
    );
    expect(screen.getByRole('status').textContent).toBe('2 of 5 reviewed');
    expect(
      screen
        .getByRole('button', { name: 'Thumbs up' })
        .getAttribute('aria-pressed')
    ).toBe('true');
    expect(
      screen
        .getByRole('button', { name: 'Thumbs down' })
        .getAttribute('aria-pressed')
    ).toBe('false');
    const area = screen.getByLabelText('Review');
    expect(document.activeElement).toBe(area);
    for (const key of ['j', 'k', 'u', 'd', 'r', 'Escape', 'x', 'J']) {
      fireEvent.keyDown(area, { key });
    }
    fireEvent.keyDown(area, { key: 'j', ctrlKey: true });
    expect(actions).toEqual([
      'next',
      'previous',
      'thumbsUp',
      'thumbsDown',
      'rationale',
      'exit'
    ]);
  });

  it('takes no review key typed into the rationale or the feedback name', () => {
    const saved: string[] = [];
    const { bar, actions } = props({
      onSaveRationale: () => saved.push('saved')
    });
    render(<ReviewArea {...bar} />);
    const rationale = screen.getByLabelText('Rationale');
    for (const key of ['j', 'k', 'u', 'd', 'r']) {
      fireEvent.keyDown(rationale, { key });
      fireEvent.keyDown(screen.getByLabelText('Feedback name'), { key });
    }
    fireEvent.keyDown(rationale, { key: 'Escape' });
    expect(actions).toEqual([]);
    fireEvent.keyDown(rationale, { key: 'Enter' });
    expect(saved).toEqual(['saved']);
  });

  it('focuses the rationale box when asked', () => {
    const { bar } = props();
    const { rerender } = render(<ReviewArea {...bar} />);
    rerender(<ReviewArea {...bar} rationaleFocus={1} />);
    expect(document.activeElement).toBe(screen.getByLabelText('Rationale'));
  });

  it('shows unsaved writes with their error and Retry', () => {
    const { bar, retried } = props({
      pending: [
        {
          id: 'w1',
          traceId: 'tr-a',
          label: 'feedback thumbs_up = true',
          status: 'saving'
        },
        {
          id: 'w2',
          traceId: 'tr-b',
          label: 'feedback thumbs_up = false',
          status: 'unsaved',
          error: 'Failed to fetch'
        }
      ]
    });
    render(<ReviewArea {...bar} />);
    const list = screen.getByRole('list', { name: 'Labels not saved yet' });
    expect(list.textContent).toContain('feedback thumbs_up = true: saving…');
    expect(list.textContent).toContain(
      'feedback thumbs_up = false: unsaved: Failed to fetch'
    );
    const retries = screen.getAllByRole('button', { name: 'Retry' });
    expect(retries).toHaveLength(1);
    fireEvent.click(retries[0]);
    expect(retried).toEqual(['w2']);
  });

  it('renders every payload of the XSS corpus as text', () => {
    for (const { payload } of PAYLOADS) {
      const { bar } = props({
        progress: payload,
        position: `Trace 1 of 1: ${payload}`,
        queueName: payload,
        feedbackName: payload,
        rationale: payload,
        pending: [
          {
            id: 'w1',
            traceId: payload,
            label: `feedback ${payload} = ${payload}`,
            status: 'unsaved',
            error: payload
          }
        ],
        notices: [payload]
      });
      const { container, unmount } = render(<ReviewArea {...bar} />);
      // Only the bar's own elements: no element a payload could add.
      const tags = new Set(
        Array.from(container.querySelectorAll('*')).map(el =>
          el.tagName.toLowerCase()
        )
      );
      for (const tag of tags) {
        expect(['div', 'span', 'input', 'button', 'ul', 'li']).toContain(tag);
      }
      expect(container.querySelectorAll('input')).toHaveLength(2);
      expect(container.textContent).toContain(payload);
      expect(
        (screen.getByLabelText('Feedback name') as HTMLInputElement).value
      ).toBe(payload);
      expect(
        (screen.getByLabelText('Rationale') as HTMLInputElement).value
      ).toBe(payload);
      unmount();
    }
  });

  it('lists the queues only when asked, then renders hostile queue names as text', () => {
    const queues = PAYLOADS.map((p, i) => ({ id: `rq-${i}`, name: p.payload }));
    const started: string[] = [];
    const asked: string[] = [];
    const start = (shown: typeof queues | undefined) => (
      <ReviewStart
        onReview={() => undefined}
        queues={shown}
        loadingQueues={false}
        onLoadQueues={() => asked.push('queues')}
        onReviewQueue={id => started.push(id)}
      />
    );
    const { container, rerender } = render(start(undefined));
    fireEvent.click(screen.getByRole('button', { name: 'Review from queue…' }));
    expect(asked).toEqual(['queues']);
    rerender(start([]));
    expect(container.textContent).toContain(
      'No review queues in this experiment'
    );
    rerender(start(queues));
    const options = container.querySelectorAll('option');
    expect(options).toHaveLength(PAYLOADS.length + 1);
    PAYLOADS.forEach((p, i) =>
      expect(options[i + 1].textContent).toBe(p.payload)
    );
    expect(container.querySelectorAll('option *')).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Review from queue'), {
      target: { value: 'rq-1' }
    });
    expect(started).toEqual(['rq-1']);
  });
});
