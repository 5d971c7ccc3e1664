/** Types of bench/live-iopub.cjs, for its unit tests. */

/** One trace display as bench/live_kernel.py records it. */
export interface IDisplay {
  t_ms: number;
  bytes: number;
  [extra: string]: unknown;
}

/** The emitters' limits (src/bundle/livesnapshot.ts). */
export interface ILimits {
  LIVE_MIN_INTERVAL_MS: number;
  LIVE_MAX_BYTES_PER_S: number;
}

export interface IRates {
  messages: number;
  seconds: number;
  totalBytes: number;
  largestBytes: number;
  meanMessagesPerS: number;
  meanBytesPerS: number;
  peakMessagesPerS: number;
  peakBytesPerS: number;
  boundBytesPerS: number;
  boundMessagesPerS: number;
  shortestGapMs: number;
}

export function iopubRates(
  displays: IDisplay[],
  limits: ILimits,
  windowMs?: number
): IRates | { failed: string };
