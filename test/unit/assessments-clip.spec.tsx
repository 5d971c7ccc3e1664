/**
 * @jest-environment jsdom
 *
 * Long assessment text is clipped by code point (an emoji is never cut in
 * half, "Show all" counts characters, not UTF-16 units) and without
 * reading the whole text: a 20-million-character value from the server
 * must not freeze the header or the pane.
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { assessmentSummaryText } from '../../src/view/TraceHeader';
import { ClippedText } from '../../src/view/assessments/Facts';
import { clipCodePoints } from '../../src/trace';

const HUGE = 'x'.repeat(2e7);

/** Milliseconds `run` takes. */
function timed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

describe('the header summary', () => {
  it('clips a huge chip without reading it all', () => {
    let text = '';
    const ms = timed(() => {
      text = assessmentSummaryText([{ text: HUGE, detail: '' }]);
    });
    expect(text).toBe(`1 assessment: ${'x'.repeat(39)}…`);
    expect(ms).toBeLessThan(100);
  });

  it('clips by code point', () => {
    expect(assessmentSummaryText([{ text: '😀'.repeat(41), detail: '' }])).toBe(
      `1 assessment: ${'😀'.repeat(39)}…`
    );
    expect(assessmentSummaryText([{ text: '😀'.repeat(40), detail: '' }])).toBe(
      `1 assessment: ${'😀'.repeat(40)}`
    );
  });
});

describe('ClippedText', () => {
  it('counts characters, not UTF-16 units, in "Show all"', () => {
    render(<ClippedText text={'😀'.repeat(401)} />);
    const button = screen.getByRole('button', {
      name: 'Show all (401 characters)'
    });
    expect(button.parentElement!.textContent).toBe(
      `${'😀'.repeat(400)}… Show all (401 characters)`
    );
    fireEvent.click(button);
    screen.getByRole('button', { name: 'Show less' });
  });

  it('shows 400 characters as they are', () => {
    const { container } = render(<ClippedText text={'😀'.repeat(400)} />);
    expect(container.textContent).toBe('😀'.repeat(400));
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('clips a huge text without reading it all, and says it is long', () => {
    const ms = timed(() => {
      render(<ClippedText text={HUGE} />);
    });
    screen.getByRole('button', {
      name: 'Show all (over 100,000 characters)'
    });
    expect(ms).toBeLessThan(200);
  });
});

describe('clipCodePoints', () => {
  it('keeps a short text whole and counts its code points', () => {
    expect(clipCodePoints('a😀b', 3)).toEqual({
      text: 'a😀b',
      clipped: false,
      totalKnown: 3
    });
    expect(clipCodePoints('', 0)).toEqual({
      text: '',
      clipped: false,
      totalKnown: 0
    });
  });

  it('clips by code point, never inside a surrogate pair', () => {
    expect(clipCodePoints('😀😀😀', 2)).toEqual({
      text: '😀😀',
      clipped: true
    });
    expect(clipCodePoints('ab', 0)).toEqual({ text: '', clipped: true });
  });

  it('reads no more than it keeps', () => {
    const ms = timed(() => {
      expect(clipCodePoints(HUGE, 10).text).toBe('x'.repeat(10));
    });
    expect(ms).toBeLessThan(50);
  });
});
