/**
 * @jest-environment jsdom
 *
 * The keyboard cursor of a live trace's rows stays on its span when an
 * update inserts rows above it, as the selection does.
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ILiveWire } from '../../../src/trace';
import { rebuildTrace } from '../../../src/trace/reuse';
import { TraceExplorer } from '../../../src/view';
import { fakeLayout } from './helpers';
import {
  agentSpans,
  BROWSER_MS,
  ILiveSpanSpec,
  liveInfo,
  runningLive,
  spanDict
} from './live-fixtures';

beforeAll(fakeLayout);
beforeEach(() => jest.useFakeTimers({ now: BROWSER_MS }));
afterEach(() => jest.useRealTimers());

const GENERATE = 'a000000000000009';

/** The agent with generate running and `lookups` ended lookups under retrieve. */
function agentWith(lookups: number): ILiveSpanSpec[] {
  return agentSpans(
    [
      ...Array.from({ length: lookups }, (_, i) => ({
        id: `b0000000000000${10 + i}`,
        parent: 'a000000000000003',
        name: `lookup ${i}`,
        fromMs: 1300 + i * 50,
        toMs: 1340 + i * 50
      })),
      {
        id: GENERATE,
        parent: 'a000000000000001',
        name: 'generate',
        fromMs: 2600,
        toMs: null
      }
    ],
    2500
  );
}

function explorer(lookups: number, sequence: number): React.ReactElement {
  const { trace } = rebuildTrace(
    liveInfo() as never,
    agentWith(lookups).map(spanDict),
    undefined
  );
  return (
    <TraceExplorer
      trace={trace}
      live={runningLive(2700 + sequence, sequence) as unknown as ILiveWire}
      receivedAtMs={Date.now()}
    />
  );
}

const tree = () => screen.getByRole('tree');
const activeName = () =>
  document
    .getElementById(tree().getAttribute('aria-activedescendant')!)!
    .querySelector('.jp-MlflowTrace-spanName')!.textContent;

describe('The keyboard cursor of a live trace', () => {
  it('stays on its span when an update inserts rows above it', () => {
    const { rerender } = render(explorer(0, 2));
    // agent, plan, retrieve, generate: walk down to generate.
    for (let i = 0; i < 3; i++) {
      fireEvent.keyDown(tree(), { key: 'ArrowDown' });
    }
    expect(activeName()).toBe('generate');
    expect(tree().getAttribute('aria-activedescendant')).toBe(
      `jp-MlflowTrace-row-${GENERATE}`
    );

    // Two lookups appear under retrieve, above generate.
    rerender(explorer(2, 3));
    expect(activeName()).toBe('generate');
    expect(
      document.querySelector('.jp-mod-active .jp-MlflowTrace-spanName')!
        .textContent
    ).toBe('generate');
    // The keys move from where the cursor is now.
    fireEvent.keyDown(tree(), { key: 'ArrowUp' });
    expect(activeName()).toBe('lookup 1');
  });
});
