/**
 * @jest-environment jsdom
 */
import React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { TraceExplorer } from '../../../src/view';
import { fakeLayout, recordedTrace, wideTrace } from './helpers';

beforeAll(fakeLayout);

function rowNames(): string[] {
  return screen
    .getAllByRole('treeitem')
    .map(row => row.querySelector('.jp-MlflowTrace-spanName')!.textContent!);
}

function rowByName(name: string): HTMLElement {
  const row = screen
    .getAllByRole('treeitem')
    .find(
      r => r.querySelector('.jp-MlflowTrace-spanName')!.textContent === name
    );
  if (!row) {
    throw new Error(`no row named ${name}; rows: ${rowNames().join(', ')}`);
  }
  return row;
}

describe('TraceExplorer on the recorded "nested" trace', () => {
  it('shows one treeitem per span, depth first, children by start time, with ARIA levels', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    expect(screen.getByRole('tree')).toBeTruthy();
    expect(rowNames()).toEqual([
      'rag_agent',
      'plan',
      'embed',
      'retrieve',
      'rerank',
      'memory_lookup',
      'get_weather',
      'format_answer',
      'custom_step',
      'chat_completion'
    ]);
    expect(rowByName('rag_agent').getAttribute('aria-level')).toBe('1');
    expect(rowByName('retrieve').getAttribute('aria-level')).toBe('3');
    expect(rowByName('plan').getAttribute('aria-expanded')).toBe('true');
    expect(rowByName('embed').getAttribute('aria-expanded')).toBeNull();
  });

  it('collapses and expands a span, and all spans at once', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    fireEvent.click(rowByName('plan').querySelector('.jp-MlflowTrace-toggle')!);
    expect(rowNames()).not.toContain('retrieve');
    expect(rowByName('plan').getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(rowByName('plan').querySelector('.jp-MlflowTrace-toggle')!);
    expect(rowNames()).toContain('retrieve');
    fireEvent.click(screen.getByText('Collapse all'));
    expect(rowNames()).toEqual(['rag_agent']);
    fireEvent.click(screen.getByText('Expand all'));
    expect(rowNames()).toHaveLength(10);
  });

  it('shows the inputs and attributes of the clicked span', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    fireEvent.click(rowByName('custom_step'));
    expect(rowByName('custom_step').getAttribute('aria-selected')).toBe('true');
    const details = screen.getByLabelText('Span details');
    expect(within(details).getByRole('heading').textContent).toBe(
      'custom_step'
    );
    expect(details.textContent).toContain('custom.number');
    expect(details.textContent).toContain('42');
  });

  it('searches inputs and outputs, counts matches and reveals a collapsed match', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    fireEvent.click(screen.getByText('Collapse all'));
    expect(rowNames()).toEqual(['rag_agent']);
    // Only the retriever's output and the reranker's input hold the third document.
    fireEvent.change(screen.getByLabelText('Search spans'), {
      target: { value: 'DOC 2 ABOUT' }
    });
    expect(screen.getByText('1 of 2')).toBeTruthy();
    expect(rowByName('retrieve').className).toContain('jp-mod-current');
    expect(rowByName('rerank').className).toContain('jp-mod-match');
    expect(rowByName('rerank').className).not.toContain('jp-mod-current');
    fireEvent.click(screen.getByRole('button', { name: 'Next match' }));
    expect(screen.getByText('2 of 2')).toBeTruthy();
    expect(rowByName('rerank').className).toContain('jp-mod-current');
    expect(
      within(screen.getByLabelText('Span details')).getByRole('heading')
        .textContent
    ).toBe('rerank');
  });

  it('moves, expands, collapses and selects with the keyboard', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    const tree = screen.getByRole('tree');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(rowNames()).not.toContain('embed');
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    expect(rowNames()).toContain('embed');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    fireEvent.keyDown(tree, { key: 'Enter' });
    expect(
      within(screen.getByLabelText('Span details')).getByRole('heading')
        .textContent
    ).toBe('embed');
  });

  it('draws one timeline bar per visible row, placed within the timeline', () => {
    const { container } = render(
      <TraceExplorer trace={recordedTrace('nested')} />
    );
    const bars = container.querySelectorAll<HTMLElement>('.jp-MlflowTrace-bar');
    expect(bars).toHaveLength(10);
    const root = container.querySelector<HTMLElement>(
      '.jp-MlflowTrace-bar[data-span-id]'
    )!;
    expect(root.style.left).toBe('0%');
    for (const bar of Array.from(bars)) {
      const left = parseFloat(bar.style.left);
      const width = parseFloat(bar.style.width);
      expect(left).toBeGreaterThanOrEqual(0);
      expect(left + width).toBeLessThanOrEqual(100.0001);
    }
  });
});

describe('content views', () => {
  it('shows chat messages as a conversation', () => {
    render(<TraceExplorer trace={recordedTrace('chat')} />);
    fireEvent.click(screen.getAllByRole('treeitem')[2]);
    const conversations = screen.getAllByLabelText('Conversation');
    const inputs = conversations[0];
    expect(
      Array.from(inputs.querySelectorAll('.jp-MlflowTrace-role')).map(
        r => r.textContent
      )
    ).toEqual(['user', 'assistant', 'user']);
    expect(conversations[1].textContent).toContain('Sunny, 21 °C.');
  });

  it('shows retrieved documents with their ids and scores', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    fireEvent.click(rowByName('retrieve'));
    const documents = screen.getByLabelText('Retrieved documents');
    expect(documents.querySelectorAll('li')).toHaveLength(3);
    expect(documents.textContent).toContain('id doc-0');
    expect(documents.textContent).toContain('score 1.000');
  });

  it('marks failed spans and shows the exception with its stack trace', () => {
    render(<TraceExplorer trace={recordedTrace('error')} />);
    expect(
      rowByName('flaky_tool').querySelector('.jp-MlflowTrace-errorBadge')
    ).toBeTruthy();
    expect(
      rowByName('before_failure').querySelector('.jp-MlflowTrace-errorBadge')
    ).toBeNull();
    fireEvent.click(rowByName('flaky_tool'));
    const details = screen.getByLabelText('Span details');
    expect(details.textContent).toContain('ValueError: flaky_tool failed on 7');
    expect(
      details.querySelector('.jp-MlflowTrace-stack')!.textContent
    ).toContain('Traceback');
  });

  it('renders hostile span names as text', () => {
    const { container } = render(
      <TraceExplorer trace={recordedTrace('unicode')} />
    );
    expect(rowNames()).toContain('<img src=x onerror="alert(1)">');
    expect(container.querySelector('img')).toBeNull();
  });
});

describe('a 10,000-span trace', () => {
  it('keeps the DOM to the visible rows plus overscan, also after scrolling', () => {
    const trace = wideTrace(10000);
    const { container } = render(<TraceExplorer trace={trace} />);
    const rows = () => container.querySelectorAll('[role=treeitem]').length;
    expect(rows()).toBeGreaterThan(5);
    expect(rows()).toBeLessThan(60);
    const scroller = container.querySelector('.jp-MlflowTrace-scroller')!;
    act(() => {
      scroller.scrollTop = 24 * 5000;
      fireEvent.scroll(scroller);
    });
    expect(rows()).toBeLessThan(60);
    expect(rowNames().some(name => name === 'span 5005')).toBe(true);
  });
});
