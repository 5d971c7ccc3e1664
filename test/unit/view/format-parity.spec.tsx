/**
 * @jest-environment jsdom
 *
 * The live view and the static fallback print the same figures for the
 * same trace: one duration and one count rule, used by both.
 */
import React from 'react';
import { cleanup, render, screen } from '@testing-library/react';
import { FALLBACK_CLASS, renderTraceHtml } from '../../../src/bundle';
import { buildTrace, summarizeTrace } from '../../../src/trace';
import { TraceExplorer } from '../../../src/view';
import { makeInfo, makeSpan } from '../trace/factory';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);
afterEach(cleanup);

/** One root span lasting `durationMs`, reporting `tokens` in total. */
function oneSpan(durationMs: number, tokens: number) {
  const info = makeInfo();
  const spans = [
    makeSpan({
      id: 'root',
      name: 'root',
      startMs: 0,
      endMs: durationMs,
      attributes: {
        'mlflow.chat.tokenUsage': { input_tokens: 0, total_tokens: tokens }
      }
    })
  ];
  return { info, spans, traceId: info.trace_id };
}

/** The fallback's span duration and header figures, as the reader sees them. */
function fallbackFigures(html: string) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const header = doc.querySelector(`.${FALLBACK_CLASS.header}`)!.textContent!;
  return {
    spanDuration: doc.querySelector(`.${FALLBACK_CLASS.duration}`)!.textContent,
    header: header.split(' · ')
  };
}

describe('live view and fallback print the same figures', () => {
  it.each([
    [0.0123, 1],
    [0.5, 12],
    [1, 999],
    [12.345, 1000],
    [123.456, 1234.5],
    [999.4, 98765],
    [1234.5, 1234567],
    [59_999.9, 3],
    [61_234, 0],
    [3_725_000, 10]
  ])('%p ms, %p tokens', (durationMs, tokens) => {
    const input = oneSpan(durationMs, tokens);
    const trace = buildTrace(input.info, input.spans);
    const summary = summarizeTrace(trace);
    render(<TraceExplorer trace={trace} />);
    const liveSpan = screen
      .getByRole('treeitem')
      .querySelector('.jp-MlflowTrace-duration')!.textContent;
    const liveTotal = screen.getByTitle('Total duration').textContent;
    const liveTokens = screen.getByTitle(
      'Token usage: input / output / total'
    ).textContent!;
    const fallback = fallbackFigures(renderTraceHtml([input]));

    expect(summary.durationMs).not.toBeNull();
    expect(fallback.spanDuration).toBe(liveSpan);
    expect(fallback.header).toContain(liveTotal);
    const liveTotalTokens = / · ([^ ]+) tokens$/.exec(liveTokens)![1];
    const fallbackTokens = fallback.header
      .map(figure => /^([^ ]+) tokens?$/.exec(figure)?.[1])
      .find(Boolean);
    expect(fallbackTokens).toBe(liveTotalTokens);
  });
});
