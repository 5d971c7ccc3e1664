/**
 * The live bench's iopub figures (bench/live-iopub.cjs): the peak is the most in any
 * half-open 1 s window, the mean runs from the request to the last update, and the
 * bounds come from the emitters' limits.
 */
import { iopubRates } from '../../../bench/live-iopub.cjs';
import {
  LIVE_MAX_BYTES_PER_S,
  LIVE_MIN_INTERVAL_MS
} from '../../../src/bundle/livesnapshot';

const LIMITS = { LIVE_MIN_INTERVAL_MS, LIVE_MAX_BYTES_PER_S };

describe('live bench iopub rates', () => {
  it('counts the most updates and bytes in any window [t, t + 1 s)', () => {
    // every 250 ms: a window starting at an update holds 4, never the 5th at t + 1 s
    const displays = [0, 250, 500, 750, 1000, 1250].map((t, i) => ({
      t_ms: 300 + t,
      bytes: i === 2 ? 5000 : 1000
    }));
    const rates = iopubRates(displays, LIMITS);
    expect(rates).toMatchObject({
      messages: 6,
      peakMessagesPerS: 4,
      peakBytesPerS: 8000,
      largestBytes: 5000,
      totalBytes: 10000,
      shortestGapMs: 250,
      boundMessagesPerS: 4,
      boundBytesPerS: LIVE_MAX_BYTES_PER_S + 5000
    });
    // from the request (t = 0) to the last update, 1.55 s
    expect(
      (rates as { meanMessagesPerS: number }).meanMessagesPerS
    ).toBeCloseTo(6 / 1.55);
  });

  it('counts updates that arrive bunched over the bound', () => {
    const displays = [0, 100, 200, 300, 400].map(t => ({ t_ms: t, bytes: 10 }));
    expect(iopubRates(displays, LIMITS)).toMatchObject({
      peakMessagesPerS: 5,
      shortestGapMs: 100
    });
  });

  it('fails without a live update', () => {
    expect(iopubRates([], LIMITS)).toEqual({
      failed: 'the cell sent no live update'
    });
  });
});
