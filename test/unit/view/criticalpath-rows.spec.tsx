/**
 * @jest-environment jsdom
 */
import React, { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import {
  buildTrace,
  criticalPath,
  ICriticalPath,
  ITrace,
  summarizeTrace,
  topContributors
} from '../../../src/trace';
import { CriticalPathToggle } from '../../../src/view/CriticalPathToggle';
import { ILiveView } from '../../../src/view/live';
import { onCriticalPath } from '../../../src/view/critical';
import { SpanRows } from '../../../src/view/SpanRows';
import { TraceHeader } from '../../../src/view/TraceHeader';
import { fullWindow } from '../../../src/view/timeline';
import { makeInfo, makeSpan } from '../trace/factory';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

//  agent [0, 100]
//  ├─ side [0, 20]       parallel to retrieve: not on the path
//  ├─ retrieve [0, 61]
//  │  ├─ cache [4, 8]    overlaps embed's start: not on the path
//  │  └─ embed [5, 10]
//  └─ llm [61, 91]
const trace: ITrace = buildTrace(makeInfo(), [
  makeSpan({ id: 'agent', startMs: 0, endMs: 100 }),
  makeSpan({ id: 'side', parent: 'agent', startMs: 0, endMs: 20 }),
  makeSpan({ id: 'retrieve', parent: 'agent', startMs: 0, endMs: 61 }),
  makeSpan({ id: 'cache', parent: 'retrieve', startMs: 4, endMs: 8 }),
  makeSpan({ id: 'embed', parent: 'retrieve', startMs: 5, endMs: 10 }),
  makeSpan({ id: 'llm', parent: 'agent', startMs: 61, endMs: 91 })
]);
const path = criticalPath(trace);
const noop = () => undefined;

/** The rows and the toggle, as the explorer wires them. */
function Rows({
  critical,
  live
}: {
  critical?: ICriticalPath;
  live?: ILiveView;
}): React.ReactElement {
  const [only, setOnly] = useState(false);
  const rows =
    only && critical
      ? onCriticalPath(trace.nodesInOrder, critical)
      : trace.nodesInOrder;
  return (
    <div>
      <CriticalPathToggle pressed={only} onChange={setOnly} />
      <SpanRows
        rows={rows}
        collapsed={new Set()}
        failedBelow={new Set()}
        selectedId={undefined}
        activeIndex={0}
        matches={new Set()}
        currentMatchId={undefined}
        scrollRequest={0}
        window={fullWindow(100)}
        totalMs={100}
        onZoom={noop}
        onToggle={noop}
        onSelectRow={noop}
        onKeyDown={noop}
        critical={critical}
        live={live}
      />
    </div>
  );
}

function row(spanId: string): HTMLElement | null {
  return document.querySelector(`[role="treeitem"][data-span-id="${spanId}"]`);
}

function rowIds(): string[] {
  return screen
    .getAllByRole('treeitem')
    .map(item => item.getAttribute('data-span-id')!);
}

describe('critical path in the rows', () => {
  it('marks the rows on the path with their share, in words for screen readers', () => {
    render(<Rows critical={path} />);
    expect(
      screen.getByRole('img', { name: 'on the critical path, 56% of it' })
    ).toBeTruthy();
    expect(
      row('retrieve')!.querySelector('.jp-MlflowTrace-criticalMark')!
        .textContent
    ).toBe('56%');
    expect(row('llm')!.classList).toContain('jp-MlflowTrace-mod-critical');
    expect(row('agent')!.textContent).toContain('9%');
    for (const offPath of ['side', 'cache']) {
      expect(row(offPath)!.classList).not.toContain(
        'jp-MlflowTrace-mod-critical'
      );
      expect(
        row(offPath)!.querySelector('.jp-MlflowTrace-criticalMark')
      ).toBeNull();
    }
  });

  it('draws the part of each path bar on the path, and none off it', () => {
    render(<Rows critical={path} />);
    const part = (spanId: string) =>
      row(spanId)!.querySelector<HTMLElement>('.jp-MlflowTrace-criticalBar');
    expect(parseFloat(part('llm')!.style.left)).toBeCloseTo(61, 3);
    expect(parseFloat(part('llm')!.style.width)).toBeCloseTo(30, 3);
    expect(parseFloat(part('agent')!.style.width)).toBeCloseTo(100, 3);
    expect(part('side')).toBeNull();
    expect(part('cache')).toBeNull();
    expect(parseFloat(part('embed')!.style.left)).toBeCloseTo(5, 3);
  });

  it('shows no marks without a path', () => {
    const { container } = render(<Rows />);
    expect(container.querySelector('.jp-MlflowTrace-criticalMark')).toBeNull();
    expect(container.querySelector('.jp-MlflowTrace-criticalBar')).toBeNull();
  });

  it('draws no marks while a live trace runs, and draws them once it stopped', () => {
    const live = (phase: ILiveView['phase']): ILiveView => ({
      phase,
      nowOffsetMs: 100,
      atMs: 0,
      openIds: new Set(),
      runningNow: undefined,
      reason: undefined,
      spansOmitted: 0,
      sequence: 1
    });
    const { container, rerender } = render(
      <Rows critical={path} live={live('running')} />
    );
    expect(container.querySelector('.jp-MlflowTrace-criticalMark')).toBeNull();
    expect(container.querySelector('.jp-MlflowTrace-criticalBar')).toBeNull();
    rerender(<Rows critical={path} live={live('interrupted')} />);
    expect(
      container.querySelectorAll('.jp-MlflowTrace-criticalMark')
    ).toHaveLength(4);
  });

  it('"Critical path only" keeps the rows on the path, in tree order, and back', () => {
    render(<Rows critical={path} />);
    expect(rowIds()).toEqual([
      'agent',
      'side',
      'retrieve',
      'cache',
      'embed',
      'llm'
    ]);
    const toggle = screen.getByRole('button', { name: 'Critical path only' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(rowIds()).toEqual(['agent', 'retrieve', 'embed', 'llm']);
    // Kept rows keep their depth: they still read as a tree
    expect(row('llm')!.getAttribute('aria-level')).toBe('2');
    fireEvent.click(toggle);
    expect(rowIds()).toHaveLength(6);
  });
});

describe('critical path in the header', () => {
  const header = (names: ITrace) => (
    <TraceHeader
      summary={summarizeTrace(names)}
      tags={{}}
      criticalContributors={topContributors(criticalPath(names), names)}
    />
  );

  it('names the top three contributors', () => {
    render(header(trace));
    expect(screen.getByText(/^Critical path:/).textContent).toBe(
      'Critical path: retrieve 56%, llm 30%, agent 9%'
    );
  });

  it('prints a hostile span name as text', () => {
    const hostile = buildTrace(makeInfo(), [
      makeSpan({ id: 'root', name: '<img src=x onerror=alert(1)>' })
    ]);
    const { container } = render(header(hostile));
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText(/^Critical path:/).textContent).toBe(
      'Critical path: <img src=x onerror=alert(1)> 100%'
    );
  });

  it('says nothing without contributors', () => {
    render(<TraceHeader summary={summarizeTrace(trace)} tags={{}} />);
    expect(screen.queryByText(/Critical path/)).toBeNull();
  });
});
