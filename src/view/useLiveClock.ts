/**
 * The clock of a live trace's view: the browser time, ticking about once a
 * second while the trace runs and has not gone stale; still otherwise.
 */
import { useEffect, useState } from 'react';
import { ILiveWire, isStale } from '../trace';

/** Between two ticks of a running trace's clock. */
export const LIVE_TICK_MS = 1000;

/**
 * Browser time (Unix ms) for drawing `live`, received at `receivedAtMs`.
 *
 * #### Notes
 * One interval per view, set only while running and not stale, cleared when
 * that ends or the view unmounts (the widget's dispose unmounts it). Never
 * earlier than the update's arrival, so a new update starts from its own time.
 */
export function useLiveClock(
  live: ILiveWire | undefined,
  receivedAtMs: number | undefined
): number {
  const [tickMs, setTickMs] = useState(() => Date.now());
  const nowMs = Math.max(tickMs, receivedAtMs ?? 0);
  const ticking =
    live?.status === 'running' &&
    receivedAtMs !== undefined &&
    !isStale(receivedAtMs, nowMs, live);
  useEffect(() => {
    if (!ticking) {
      return;
    }
    const timer = setInterval(() => setTickMs(Date.now()), LIVE_TICK_MS);
    return () => clearInterval(timer);
  }, [ticking]);
  return nowMs;
}
