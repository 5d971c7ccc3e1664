/**
 * Stand-in for src/trace/live.ts (H1) until it lands: the live object and
 * the stale rule. Replaced by imports from '../trace/live'.
 */

/** The `live` object of a trace entry, as written. */
export interface ILiveWire {
  status: 'running' | 'interrupted';
  updated_unix_ms: number;
  update_every_ms: number;
  sequence: number;
  spans_omitted?: number;
  interrupted_at_unix_nano?: number;
  reason?: string;
}

/** A running payload with no newer data for 3 heartbeats since it arrived. */
export function isStale(
  receivedAtMs: number,
  nowMs: number,
  live: ILiveWire
): boolean {
  return (
    live.status === 'running' &&
    nowMs - receivedAtMs >= 3 * live.update_every_ms
  );
}
