/**
 * The pacing of live updates, on fake timers: at most one per
 * LIVE_MIN_INTERVAL_MS, slower after a big one (the byte rate), a heartbeat
 * while nothing changes, the last change always sent, in order, and
 * nothing after close().
 */
import {
  LIVE_MAX_BYTES_PER_S,
  LIVE_MIN_INTERVAL_MS,
  LIVE_UPDATE_EVERY_MS
} from '../../../src/bundle';
import { LiveEmitter, LiveRate } from '../../../src/kernel/liveemitter';

interface ISent {
  sequence: number;
  at: number;
  every: number;
}

function emitter(
  bytes: (sequence: number) => number = () => 1000,
  rate = new LiveRate()
) {
  const sent: ISent[] = [];
  const failures: unknown[] = [];
  const live = new LiveEmitter({
    build: sequence => ({
      bytes: bytes(sequence),
      write: every => sent.push({ sequence, at: Date.now(), every })
    }),
    fail: error => failures.push(error),
    rate
  });
  return { live, sent, failures };
}

describe('LiveEmitter', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends the first change at once, then at most one per interval, and the last change', () => {
    const { live, sent } = emitter();
    // 100 changes, one every 10 ms, over a second.
    for (let i = 0; i < 100; i++) {
      live.touch();
      jest.advanceTimersByTime(10);
    }
    const lastChange = Date.now() - 10;
    jest.advanceTimersByTime(LIVE_MIN_INTERVAL_MS);
    expect(sent[0].at).toBe(1_000_000);
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(
        LIVE_MIN_INTERVAL_MS
      );
    }
    // 1 s of changes: the first, three more at 250 ms steps, the trailing one.
    expect(sent.length).toBe(5);
    expect(sent[sent.length - 1].at).toBeGreaterThanOrEqual(lastChange);
    expect(sent.map(s => s.sequence)).toEqual([1, 2, 3, 4, 5]);
  });

  it('sends a heartbeat every LIVE_UPDATE_EVERY_MS while nothing changes', () => {
    const { live, sent } = emitter();
    live.touch();
    jest.advanceTimersByTime(3 * LIVE_UPDATE_EVERY_MS + 1);
    expect(sent.map(s => s.at - 1_000_000)).toEqual([
      0,
      LIVE_UPDATE_EVERY_MS,
      2 * LIVE_UPDATE_EVERY_MS,
      3 * LIVE_UPDATE_EVERY_MS
    ]);
    expect(sent.every(s => s.every === LIVE_UPDATE_EVERY_MS)).toBe(true);
  });

  it('waits longer after a big update, so the byte rate stays under the cap', () => {
    const big = 3 * LIVE_MAX_BYTES_PER_S;
    const { live, sent } = emitter(() => big);
    const end = 1_000_000 + 20_000;
    while (Date.now() < end) {
      live.touch();
      jest.advanceTimersByTime(50);
    }
    const seconds = (sent[sent.length - 1].at - sent[0].at) / 1000;
    // After an update of B bytes the next waits B / rate: 3 s here, and the
    // heartbeat it promises is that long too.
    expect(((sent.length - 1) * big) / seconds).toBeLessThanOrEqual(
      LIVE_MAX_BYTES_PER_S
    );
    expect(sent[1].at - sent[0].at).toBe(3000);
    expect(sent[0].every).toBe(3000);
  });

  it('shares the byte rate between outputs, and promises a heartbeat that allows for it', () => {
    const rate = new LiveRate();
    const big = LIVE_MAX_BYTES_PER_S;
    const a = emitter(() => big, rate);
    const b = emitter(() => big, rate);
    const start = Date.now();
    const end = start + 20_000;
    while (Date.now() < end) {
      a.live.touch();
      b.live.touch();
      jest.advanceTimersByTime(50);
    }
    const all = [...a.sent, ...b.sent].sort((x, y) => x.at - y.at);
    // Together within the rate, one update over at most.
    const seconds = (Date.now() - start) / 1000;
    expect((all.length - 1) * big).toBeLessThanOrEqual(
      LIVE_MAX_BYTES_PER_S * seconds
    );
    for (let i = 1; i < all.length; i++) {
      expect(all[i].at - all[i - 1].at).toBeGreaterThanOrEqual(1000);
    }
    // Both get turns, and each next update comes within what the last promised.
    expect(a.sent.length).toBeGreaterThanOrEqual(8);
    expect(b.sent.length).toBeGreaterThanOrEqual(8);
    for (const { sent } of [a, b]) {
      for (let i = 1; i < sent.length; i++) {
        expect(sent[i].at - sent[i - 1].at).toBeLessThanOrEqual(
          sent[i - 1].every
        );
      }
    }
    expect(a.sent[a.sent.length - 1].every).toBe(LIVE_UPDATE_EVERY_MS + 1000);
    // One output left: its heartbeat is its own again.
    b.live.close();
    a.live.touch();
    jest.advanceTimersByTime(3 * LIVE_UPDATE_EVERY_MS);
    expect(a.sent[a.sent.length - 1].every).toBe(LIVE_UPDATE_EVERY_MS);
    a.live.close();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sends nothing after close(), and closes on a failed update', () => {
    const { live, sent } = emitter();
    live.touch();
    // The update goes out once the code that changed the trace yields.
    expect(sent).toHaveLength(0);
    jest.advanceTimersByTime(0);
    expect(sent).toHaveLength(1);
    live.touch();
    live.close();
    jest.advanceTimersByTime(10 * LIVE_UPDATE_EVERY_MS);
    live.touch();
    expect(sent.map(s => s.sequence)).toEqual([1]);

    const failures: unknown[] = [];
    const failing = new LiveEmitter({
      build: () => {
        throw new Error('no snapshot');
      },
      fail: error => failures.push(error)
    });
    failing.touch();
    failing.touch();
    jest.advanceTimersByTime(10 * LIVE_UPDATE_EVERY_MS);
    expect(failures).toHaveLength(1);
    expect(failing.closed).toBe(true);
    expect(failing.sequence).toBe(0);
  });

  it('keeps no timer alive once closed', () => {
    const { live } = emitter();
    live.touch();
    jest.advanceTimersByTime(0);
    live.touch();
    expect(jest.getTimerCount()).toBe(1);
    live.close();
    expect(jest.getTimerCount()).toBe(0);
  });
});
