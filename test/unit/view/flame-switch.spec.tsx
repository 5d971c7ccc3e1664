/**
 * @jest-environment jsdom
 */
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { buildTrace, criticalPath, logLevelKeep } from '../../../src/trace';
import { TraceExplorer } from '../../../src/view';
import { makeSpan } from '../trace/factory';
import { fakeLayout, recordedTrace } from './helpers';

beforeAll(fakeLayout);

beforeEach(() => {
  // jsdom has no canvas: the flame graph draws nothing and still lists its spans
  jest
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(() => null);
});

afterEach(() => jest.restoreAllMocks());

function tab(name: string): HTMLElement {
  return screen.getByRole('tab', { name });
}

function detailsHeading(): string {
  return within(screen.getByLabelText('Span details')).getByRole('heading')
    .textContent!;
}

function treeRow(name: string): HTMLElement {
  return screen
    .getAllByRole('treeitem')
    .find(
      row => row.querySelector('.jp-MlflowTrace-spanName')!.textContent === name
    )!;
}

function flameItem(name: string): HTMLElement {
  const list = screen.getByRole('list', { name: 'Spans in the flame graph' });
  return within(list)
    .getAllByRole('button')
    .find(button => button.textContent!.split(',')[0] === name)!;
}

describe('the view switch', () => {
  it('is a tab list with the tree selected first, the one selected tab in the tab order', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    const tabs = within(
      screen.getByRole('tablist', { name: 'Trace view' })
    ).getAllByRole('tab');
    expect(tabs.map(t => t.textContent)).toEqual([
      'Tree + timeline',
      'Flame graph',
      'Agent graph',
      'Conversation'
    ]);
    expect(tabs.map(t => t.getAttribute('aria-selected'))).toEqual([
      'true',
      'false',
      'false',
      'false'
    ]);
    expect(tabs.map(t => t.tabIndex)).toEqual([0, -1, -1, -1]);
    const panel = screen.getByRole('tabpanel');
    expect(panel.getAttribute('aria-labelledby')).toBe(tabs[0].id);
    expect(tabs[0].getAttribute('aria-controls')).toBe(panel.id);
    expect(screen.getByRole('tree')).toBeTruthy();
  });

  it('moves between views with the arrow keys, Home and End, and focuses the new tab', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    tab('Tree + timeline').focus();
    fireEvent.keyDown(tab('Tree + timeline'), { key: 'ArrowRight' });
    expect(tab('Flame graph').getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab('Flame graph'));
    expect(screen.queryByRole('tree')).toBeNull();
    expect(
      screen.getByRole('img', { name: /^Flame graph of 10 spans/ })
    ).toBeTruthy();
    fireEvent.keyDown(tab('Flame graph'), { key: 'ArrowRight' });
    expect(tab('Agent graph').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tab('Agent graph'), { key: 'ArrowRight' });
    expect(tab('Conversation').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tab('Conversation'), { key: 'ArrowRight' });
    expect(tab('Tree + timeline').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tab('Tree + timeline'), { key: 'End' });
    expect(tab('Conversation').getAttribute('aria-selected')).toBe('true');
    expect(
      screen.getByRole('list', { name: /^Conversation, \d+ steps$/ })
    ).toBeTruthy();
    fireEvent.keyDown(tab('Conversation'), { key: 'ArrowLeft' });
    expect(tab('Agent graph').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tab('Agent graph'), { key: 'Home' });
    expect(tab('Tree + timeline').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tree')).toBeTruthy();
  });

  it('keeps the selected span across views, both ways', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    fireEvent.click(treeRow('custom_step'));
    fireEvent.click(tab('Flame graph'));
    expect(detailsHeading()).toBe('custom_step');
    expect(flameItem('custom_step').getAttribute('aria-pressed')).toBe('true');
    // Selecting in the flame graph shows in the details, and in the tree after switching back
    fireEvent.click(flameItem('retrieve'));
    expect(detailsHeading()).toBe('retrieve');
    expect(flameItem('retrieve').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(tab('Tree + timeline'));
    expect(treeRow('retrieve').getAttribute('aria-selected')).toBe('true');
    expect(detailsHeading()).toBe('retrieve');
  });

  it('keeps the query and its matches across views', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    const search = screen.getByRole('searchbox', { name: 'Search spans' });
    fireEvent.change(search, { target: { value: 'get_weather' } });
    const count = search.parentElement!.querySelector(
      '.jp-MlflowTrace-searchCount'
    )!.textContent;
    fireEvent.click(tab('Flame graph'));
    const searchAfter = screen.getByRole('searchbox', { name: 'Search spans' });
    expect((searchAfter as HTMLInputElement).value).toBe('get_weather');
    expect(
      searchAfter.parentElement!.querySelector('.jp-MlflowTrace-searchCount')!
        .textContent
    ).toBe(count);
    expect(flameItem('get_weather').textContent).toContain('search match');
    expect(flameItem('plan').textContent).not.toContain('search match');
    // The first match was revealed and selected; the flame graph shows it selected
    expect(detailsHeading()).toBe('get_weather');
    fireEvent.click(tab('Tree + timeline'));
    expect(treeRow('get_weather').className).toContain('jp-mod-match');
  });

  it('shows the tree-only buttons only in the tree, and the critical path toggle in both', () => {
    render(<TraceExplorer trace={recordedTrace('nested')} />);
    expect(screen.getByText('Expand all')).toBeTruthy();
    fireEvent.click(tab('Flame graph'));
    expect(screen.queryByText('Expand all')).toBeNull();
    expect(screen.queryByText('Reset zoom')).toBeNull();
    expect(screen.getByText('Critical path only')).toBeTruthy();
  });

  it('applies the log-level filter to the tree and keeps it across views', () => {
    const trace = recordedTrace('nested');
    render(<TraceExplorer trace={trace} />);
    const level = screen.getByRole('combobox', { name: 'Minimum log level' });
    fireEvent.change(level, { target: { value: '20' } });
    const kept = trace.nodesInOrder
      .filter(logLevelKeep(trace, 20)!)
      .map(node => node.span.name);
    expect(kept.length).toBeLessThan(trace.nodesInOrder.length);
    expect(kept.length).toBeGreaterThan(0);
    const rowNames = () =>
      screen
        .getAllByRole('treeitem')
        .map(row => row.querySelector('.jp-MlflowTrace-spanName')!.textContent);
    expect(rowNames()).toEqual(kept);
    expect(
      screen.getByText(`${trace.nodesInOrder.length - kept.length} hidden`)
    ).toBeTruthy();
    fireEvent.click(tab('Flame graph'));
    expect(
      (
        screen.getByRole('combobox', {
          name: 'Minimum log level'
        }) as HTMLSelectElement
      ).value
    ).toBe('20');
    fireEvent.click(tab('Tree + timeline'));
    expect(rowNames()).toEqual(kept);
  });

  it('shows only the critical path in the tree with the toggle', () => {
    // Two parallel children: the one that ends last is on the path
    const trace = buildTrace(undefined, [
      makeSpan({ id: 'root', endMs: 100 }),
      makeSpan({ id: 'short', parent: 'root', endMs: 40 }),
      makeSpan({ id: 'long', parent: 'root', endMs: 90 })
    ]);
    render(<TraceExplorer trace={trace} />);
    fireEvent.click(screen.getByText('Critical path only'));
    const path = criticalPath(trace);
    const names = screen
      .getAllByRole('treeitem')
      .map(row => row.getAttribute('data-span-id'));
    expect(names).toEqual(
      trace.nodesInOrder
        .filter(node => path.spanIds.has(node.span.spanId))
        .map(node => node.span.spanId)
    );
    expect(names).toEqual(['root', 'long']);
  });

  it('follows a view held by the host and tells it of a change', () => {
    const onChange = jest.fn();
    render(
      <TraceExplorer
        trace={recordedTrace('nested')}
        view={{ view: 'flame', onChange }}
      />
    );
    expect(tab('Flame graph').getAttribute('aria-selected')).toBe('true');
    fireEvent.click(tab('Tree + timeline'));
    expect(onChange).toHaveBeenCalledWith('tree');
    // Held: nothing changes until the host says so
    expect(tab('Flame graph').getAttribute('aria-selected')).toBe('true');
  });

  it('keeps its own view when the trace is refreshed', () => {
    const { rerender } = render(
      <TraceExplorer trace={recordedTrace('nested')} />
    );
    fireEvent.click(tab('Flame graph'));
    rerender(<TraceExplorer trace={recordedTrace('nested')} />);
    expect(tab('Flame graph').getAttribute('aria-selected')).toBe('true');
  });
});
