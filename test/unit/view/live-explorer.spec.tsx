/**
 * @jest-environment jsdom
 *
 * A live trace in the explorer: running spans marked and growing with the
 * clock, the header's "running … in …", stale after three heartbeats,
 * interrupted spans cut off, and rows that did not change not drawn again.
 */
import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { liveNote, openSpanStatus } from '../../../src/bundle/format';
import {
  formatDurationMs,
  ILiveWire,
  ISpanNode,
  ITrace
} from '../../../src/trace';
import { rebuildTrace, ISpanCache } from '../../../src/trace/reuse';
import { TraceExplorer } from '../../../src/view';
import { formatClockMs } from '../../../src/view/format';
import { fakeLayout } from './helpers';
import {
  agentSpans,
  BASE_MS,
  BROWSER_MS,
  ILiveSpanSpec,
  interruptedLive,
  liveInfo,
  runningLive,
  spanDict
} from './live-fixtures';

beforeAll(fakeLayout);

// The clock's intervals set and not yet cleared.
let liveIntervals: Set<unknown>;
beforeEach(() => {
  jest.useFakeTimers({ now: BROWSER_MS });
  liveIntervals = new Set();
  const setInterval = globalThis.setInterval;
  const clearInterval = globalThis.clearInterval;
  jest.spyOn(globalThis, 'setInterval').mockImplementation(((
    ...args: Parameters<typeof setInterval>
  ) => {
    const id = setInterval(...args);
    liveIntervals.add(id);
    return id;
  }) as typeof setInterval);
  jest.spyOn(globalThis, 'clearInterval').mockImplementation(id => {
    liveIntervals.delete(id);
    clearInterval(id);
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

const RUNNING = 'jp-MlflowTrace-mod-running';
const CUT_OFF = 'jp-MlflowTrace-mod-cutOff';

function build(specs: ILiveSpanSpec[], cache?: ISpanCache) {
  return rebuildTrace(liveInfo() as never, specs.map(spanDict), cache);
}

function row(name: string): HTMLElement {
  const found = screen
    .getAllByRole('treeitem')
    .find(
      r => r.querySelector('.jp-MlflowTrace-spanName')!.textContent === name
    );
  if (!found) {
    throw new Error(`no row ${name}`);
  }
  return found;
}

const duration = (name: string) =>
  row(name).querySelector('.jp-MlflowTrace-duration')!.textContent;
const barWidthPct = (name: string) =>
  Number(
    row(name)
      .querySelector<HTMLElement>('.jp-MlflowTrace-bar')!
      .style.width.replace('%', '')
  );
const status = () =>
  document.querySelector('.jp-MlflowTrace-liveStatus')?.textContent ?? null;
const stateBadge = () =>
  document.querySelector('.jp-MlflowTrace-state')!.textContent;

function advance(ms: number): void {
  act(() => {
    jest.advanceTimersByTime(ms);
  });
}

describe('A running live trace', () => {
  const live = runningLive(3000, 4) as unknown as ILiveWire;

  it('marks running spans, shows their elapsed time and says what runs now', () => {
    render(
      <TraceExplorer
        trace={build(agentSpans()).trace}
        live={live}
        receivedAtMs={Date.now()}
      />
    );
    expect(status()).toBe(`running ${formatDurationMs(3000)}, in retrieve`);
    for (const name of ['agent', 'retrieve']) {
      expect(row(name).classList).toContain(RUNNING);
      expect(
        row(name).querySelector('[role="img"][aria-label="running"]')
      ).not.toBeNull();
    }
    expect(row('plan').classList).not.toContain(RUNNING);
    expect(duration('retrieve')).toBe(formatDurationMs(1800));
    expect(duration('plan')).toBe(formatDurationMs(900));
    expect(stateBadge()).toBe('IN_PROGRESS');
    expect(
      document
        .querySelector('.jp-MlflowTrace-explorer')!
        .getAttribute('data-live-sequence')
    ).toBe('4');
  });

  it('grows its open bars with the clock, one tick a second', () => {
    render(
      <TraceExplorer
        trace={build(agentSpans()).trace}
        live={live}
        receivedAtMs={Date.now()}
      />
    );
    const before = barWidthPct('retrieve');
    expect(liveIntervals.size).toBe(1);
    advance(2000);
    expect(status()).toBe(`running ${formatDurationMs(5000)}, in retrieve`);
    expect(duration('retrieve')).toBe(formatDurationMs(3800));
    expect(barWidthPct('retrieve')).toBeGreaterThan(before);
    // The ended span keeps its length in ms as the extent grows.
    expect(duration('plan')).toBe(formatDurationMs(900));
  });

  it('stops claiming to run three heartbeats after its last update', () => {
    render(
      <TraceExplorer
        trace={build(agentSpans()).trace}
        live={live}
        receivedAtMs={Date.now()}
      />
    );
    // Three heartbeats (6 s) pass with no update: stale at the next tick.
    advance(3 * 2000);
    expect(status()).toContain('running');
    advance(1000);
    expect(status()).toBe(
      `stopped updating at ${formatClockMs(BASE_MS + 3000)}`
    );
    expect(document.querySelector(`.${RUNNING}`)).toBeNull();
    expect(stateBadge()).toBe('PARTIAL');
    expect(liveIntervals.size).toBe(0);
    const frozen = barWidthPct('retrieve');
    advance(10_000);
    expect(barWidthPct('retrieve')).toBe(frozen);
    expect(duration('retrieve')).toBe('…');
  });

  it('reads as stopped at once when the update itself is old (a saved notebook reopened)', () => {
    jest.setSystemTime(BASE_MS + 3000 + 24 * 3600 * 1000);
    render(
      <TraceExplorer
        trace={build(agentSpans()).trace}
        live={live}
        receivedAtMs={Date.now()}
      />
    );
    expect(status()).toBe(
      `stopped updating at ${formatClockMs(BASE_MS + 3000)}`
    );
    expect(document.querySelector(`.${RUNNING}`)).toBeNull();
    expect(liveIntervals.size).toBe(0);
  });

  it("shows a running span's inputs in its details at once", () => {
    render(
      <TraceExplorer
        trace={build(agentSpans()).trace}
        live={live}
        receivedAtMs={Date.now()}
      />
    );
    fireEvent.click(row('retrieve'));
    const details = screen.getByLabelText('Span details');
    expect(details.textContent).toContain('RUNNING');
    expect(details.textContent).toContain('what is a live trace?');
    expect(details.textContent).toContain('not yet: the span has not ended');
  });
});

describe('The words of a live trace', () => {
  it('say what the fallbacks of the same payload say: left out, RUNNING, CUT OFF', () => {
    const { trace } = build(agentSpans());
    const running = {
      ...runningLive(3000, 4),
      spans_omitted: 3
    } as unknown as ILiveWire;
    const { unmount } = render(
      <TraceExplorer trace={trace} live={running} receivedAtMs={Date.now()} />
    );
    expect(status()).toBe(
      `running ${formatDurationMs(3000)}, in retrieve · 3 ended spans left out`
    );
    expect(liveNote(trace, running)).toContain('3 ended spans left out');
    fireEvent.click(row('retrieve'));
    expect(screen.getByLabelText('Span details').textContent).toContain(
      openSpanStatus(running)
    );
    unmount();

    const cut = interruptedLive(2500, 6, 'boom') as unknown as ILiveWire;
    render(
      <TraceExplorer trace={trace} live={cut} receivedAtMs={Date.now()} />
    );
    fireEvent.click(row('retrieve'));
    expect(screen.getByLabelText('Span details').textContent).toContain(
      openSpanStatus(cut)
    );
  });
});

describe('A live trace whose root ended, before its final update', () => {
  it('says the final trace follows, and stops growing', () => {
    const ended = agentSpans([], 2500).map(spec =>
      spec.toMs === null ? { ...spec, toMs: 2600 } : spec
    );
    render(
      <TraceExplorer
        trace={build(ended).trace}
        live={runningLive(3000, 9) as unknown as ILiveWire}
        receivedAtMs={Date.now()}
      />
    );
    expect(status()).toBe('ended, the final trace follows');
    const width = barWidthPct('agent');
    advance(2000);
    expect(barWidthPct('agent')).toBe(width);
    expect(duration('agent')).toBe(formatDurationMs(2600));
  });
});

describe('An interrupted live trace', () => {
  it('shows a hostile reason as text', () => {
    const reason = '<img src=x onerror="alert(1)"> KeyboardInterrupt';
    render(
      <TraceExplorer
        trace={build(agentSpans()).trace}
        live={interruptedLive(2500, 6, reason) as unknown as ILiveWire}
        receivedAtMs={Date.now()}
      />
    );
    expect(status()).toContain(`(${reason})`);
    expect(document.querySelector('img')).toBeNull();
  });

  it('draws open spans up to the interruption and marks them cut off', () => {
    const live = interruptedLive(
      2500,
      6,
      'KeyboardInterrupt'
    ) as unknown as ILiveWire;
    render(
      <TraceExplorer
        trace={build(agentSpans()).trace}
        live={live}
        receivedAtMs={Date.now()}
      />
    );
    expect(status()).toBe(
      `interrupted at ${formatClockMs(BASE_MS + 2500)} (KeyboardInterrupt) · 2 cut off`
    );
    expect(stateBadge()).toBe('INTERRUPTED');
    for (const name of ['agent', 'retrieve']) {
      expect(row(name).classList).toContain(CUT_OFF);
      expect(row(name).textContent).toContain('cut off');
    }
    expect(duration('retrieve')).toBe(formatDurationMs(1300));
    expect(barWidthPct('agent')).toBeCloseTo(100);
    expect(document.querySelector(`.${RUNNING}`)).toBeNull();
    expect(liveIntervals.size).toBe(0);
  });
});

describe('Rows of a live trace across updates and ticks', () => {
  /** Rows drawn, by span name, while `run` runs. */
  function rowRenders(trace: ITrace, run: () => void): Map<string, number> {
    const counts = new Map<string, number>();
    const spy = jest.spyOn(React, 'createElement');
    try {
      run();
      for (const call of spy.mock.calls) {
        const props = call[1] as Record<string, unknown> | null;
        if (call[0] === 'div' && props?.role === 'treeitem') {
          const node = trace.nodeById.get(
            props['data-span-id'] as string
          ) as ISpanNode;
          const name = node.span.name;
          counts.set(name, (counts.get(name) ?? 0) + 1);
        }
      }
    } finally {
      spy.mockRestore();
    }
    return counts;
  }

  it('reuses unchanged spans and draws only the rows that changed', () => {
    const first = build(agentSpans());
    const later = build(
      agentSpans(
        [
          {
            id: 'a000000000000004',
            parent: 'a000000000000001',
            name: 'generate',
            fromMs: 2600,
            toMs: null
          }
        ],
        2500
      ),
      first.cache
    );
    const plan = (trace: ITrace) => trace.nodeById.get('a000000000000002')!;
    expect(plan(later.trace).span).toBe(plan(first.trace).span);
    // Updates and tick within one step of the live extent (6 to 8 s), so the scale holds.
    const { rerender } = render(
      <TraceExplorer
        trace={first.trace}
        live={runningLive(6100, 3) as unknown as ILiveWire}
        receivedAtMs={Date.now()}
      />
    );
    const drawn = rowRenders(later.trace, () =>
      rerender(
        <TraceExplorer
          trace={later.trace}
          live={runningLive(6200, 4) as unknown as ILiveWire}
          receivedAtMs={Date.now()}
        />
      )
    );
    expect(drawn.get('plan')).toBeUndefined();
    expect(drawn.get('retrieve')).toBe(1);
    expect(drawn.get('generate')).toBe(1);
    expect(drawn.get('agent')).toBe(1);
    // A tick redraws the running rows only.
    const ticked = rowRenders(later.trace, () => advance(1000));
    expect([...ticked.keys()].sort()).toEqual(['agent', 'generate']);
  });
});
