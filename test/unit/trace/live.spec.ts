/**
 * The live model: running spans, the span running now, how far running
 * spans are drawn, the stale rule and the UTC clock, on hand-made trees and
 * on a recorded trace made live.
 */
import {
  buildTrace,
  cutOffSpanIds,
  formatClockUtc,
  ILiveWire,
  isStale,
  LIVE_CLOCK_SKEW_ALLOWANCE_MS,
  liveElapsedMs,
  liveEndNs,
  liveStoppedAtMs,
  runningNowSpan,
  runningSpanIds,
  spanElapsedMs
} from '../../../src/trace';
import { loadRecorded } from '../recorded';
import { atMs, BASE_NS, makeSpan } from './factory';

// 2026-11-23 20:15:32.477 UTC: the kernel's clock at the update
const UPDATED_MS = BASE_NS / 1e6 + 500;
const RUNNING: ILiveWire = {
  status: 'running',
  updated_unix_ms: UPDATED_MS,
  update_every_ms: 2000,
  sequence: 4
};
const INTERRUPTED: ILiveWire = {
  ...RUNNING,
  status: 'interrupted',
  interrupted_at_unix_nano: atMs(700),
  reason: 'KeyboardInterrupt'
};

//   root (running, 0–)
//   ├─ plan (10–40)
//   ├─ agent (running, 50–)
//   │  └─ tool (running, 120–)
//   └─ side (running, 120–)   same start as tool, shallower
const trace = buildTrace({ trace_id: 'tr-1', state: 'IN_PROGRESS' } as never, [
  makeSpan({ id: 'root', startMs: 0, endMs: null }),
  makeSpan({ id: 'plan', parent: 'root', startMs: 10, endMs: 40 }),
  makeSpan({ id: 'agent', parent: 'root', startMs: 50, endMs: null }),
  makeSpan({ id: 'side', parent: 'root', startMs: 120, endMs: null }),
  makeSpan({ id: 'tool', parent: 'agent', startMs: 120, endMs: null })
]);

describe('running spans', () => {
  it('lists the spans with no end in row order', () => {
    expect(runningSpanIds(trace)).toEqual(['root', 'agent', 'tool', 'side']);
  });

  it('names the one that started last, the deepest on a tie', () => {
    expect(runningNowSpan(trace)?.span.spanId).toBe('tool');
    const later = buildTrace(undefined, [
      makeSpan({ id: 'root', startMs: 0, endMs: null }),
      makeSpan({ id: 'deep', parent: 'root', startMs: 5, endMs: null }),
      makeSpan({ id: 'late', parent: 'root', startMs: 9, endMs: null })
    ]);
    expect(runningNowSpan(later)?.span.spanId).toBe('late');
  });

  it('finds none in an ended trace', () => {
    const chat = loadRecorded('chat');
    const ended = buildTrace(chat.info, chat.spans);
    expect(runningSpanIds(ended)).toEqual([]);
    expect(runningNowSpan(ended)).toBeNull();
  });

  it('cuts off the running spans of an interrupted trace only', () => {
    expect(cutOffSpanIds(trace, INTERRUPTED)).toEqual(runningSpanIds(trace));
    expect(cutOffSpanIds(trace, RUNNING)).toEqual([]);
  });

  it('reads a recorded trace whose last step still runs', () => {
    const nested = loadRecorded('nested');
    const spans = nested.spans.map(s => ({ ...(s as object) })) as Record<
      string,
      unknown
    >[];
    spans[0].end_time_unix_nano = null;
    spans[spans.length - 1].end_time_unix_nano = null;
    const live = buildTrace({ ...nested.info, state: 'IN_PROGRESS' }, spans);
    expect(runningSpanIds(live)).toHaveLength(2);
    expect(runningNowSpan(live)?.span.name).toBe('chat_completion');
    expect(live.warnings.filter(w => w.kind === 'in-progress')).toEqual([]);
  });
});

describe('how far running spans are drawn', () => {
  const received = 1_000_000;

  it('grows with the time since the update arrived, on the kernel clock', () => {
    expect(liveEndNs(trace, RUNNING, received, received)).toBe(
      UPDATED_MS * 1e6
    );
    expect(liveEndNs(trace, RUNNING, received, received + 1500)).toBe(
      (UPDATED_MS + 1500) * 1e6
    );
    expect(liveElapsedMs(trace, RUNNING, received, received + 1500)).toBe(2000);
    // a reader clock behind the arrival does not draw backwards
    expect(liveEndNs(trace, RUNNING, received, received - 50)).toBe(
      UPDATED_MS * 1e6
    );
  });

  it('freezes at the update once stale, and at the cut once interrupted', () => {
    const late = received + 6001;
    expect(liveEndNs(trace, RUNNING, received, late)).toBe(UPDATED_MS * 1e6);
    expect(liveEndNs(trace, INTERRUPTED, received, late)).toBe(atMs(700));
    expect(liveElapsedMs(trace, INTERRUPTED, received, late)).toBe(700);
  });

  it('never ends before the latest time a span records', () => {
    const early = { ...RUNNING, updated_unix_ms: BASE_NS / 1e6 + 1 };
    expect(liveEndNs(trace, early, received, received)).toBe(trace.endNs);
  });

  it('measures a running span to that time and an ended one to its end (ns times round to 256 ns)', () => {
    const endNs = atMs(700);
    const tool = trace.nodeById.get('tool');
    const plan = trace.nodeById.get('plan');
    expect(tool && spanElapsedMs(tool, endNs)).toBeCloseTo(580, 3);
    expect(plan && spanElapsedMs(plan, endNs)).toBeCloseTo(30, 3);
  });
});

describe('isStale', () => {
  it('is true only for a running trace silent for over 3 heartbeats', () => {
    expect(isStale(0, 6000, RUNNING)).toBe(false);
    expect(isStale(0, 6001, RUNNING)).toBe(true);
    expect(isStale(0, 60_000, INTERRUPTED)).toBe(false);
    expect(isStale(0, 301, { ...RUNNING, update_every_ms: 100 })).toBe(true);
  });

  it('is true at once for a running update older than 3 heartbeats and the clock allowance (a saved notebook reopened)', () => {
    const limit = 3 * RUNNING.update_every_ms + LIVE_CLOCK_SKEW_ALLOWANCE_MS;
    // Received just now, but made by the kernel long ago.
    const reopened = UPDATED_MS + 24 * 3600 * 1000;
    expect(isStale(reopened, reopened, RUNNING)).toBe(true);
    expect(isStale(reopened, reopened, INTERRUPTED)).toBe(false);
    expect(liveEndNs(trace, RUNNING, reopened, reopened)).toBe(
      UPDATED_MS * 1e6
    );
    // A kernel clock behind the reader's by less than the allowance still runs.
    const behind = UPDATED_MS + limit;
    expect(isStale(behind, behind, RUNNING)).toBe(false);
    expect(isStale(behind, behind + 1, RUNNING)).toBe(true);
  });
});

describe('the UTC clock', () => {
  it('writes HH:MM:SS of Unix ms, whatever the time zone', () => {
    expect(formatClockUtc(Date.UTC(2026, 11, 7, 2, 3, 4, 999))).toBe(
      '02:03:04'
    );
    expect(formatClockUtc(0)).toBe('00:00:00');
    expect(formatClockUtc(-1)).toBe('23:59:59');
    expect(formatClockUtc(NaN)).toBe('–');
  });

  it('names the cut of an interrupted trace and the last update of a running one', () => {
    expect(liveStoppedAtMs(INTERRUPTED)).toBe(atMs(700) / 1e6);
    expect(liveStoppedAtMs(RUNNING)).toBe(UPDATED_MS);
  });
});
