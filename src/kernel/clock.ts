/**
 * The helper's span clock: one monotonic clock (performance.now()) anchored
 * to the wall clock, so that spans nest exactly as they ran.
 *
 * #### Notes
 * OpenTelemetry JS takes a span's start from `Date.now()`, whole
 * milliseconds, and its end from that start plus a `performance.now()`
 * duration: a child that starts in a later millisecond than its parent ends
 * up to 1 ms after it. Here both ends come from the same monotonic reading,
 * so child ⊆ parent holds to the nanosecond. The anchor is taken again only
 * when no span is open, so a kernel that slept or whose wall clock was set
 * does not drift, and the spans of one trace never straddle two anchors.
 */
import type { HrTime } from '@opentelemetry/api';

const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;

/** Times for spans that nest exactly; anchored anew whenever none is open. */
export class SpanClock {
  /** The start time of a span; re-anchors to the wall clock when none is open. */
  start(): HrTime {
    if (this._open === 0) {
      this._anchorEpochMs = Date.now();
      this._anchorPerfMs = performance.now();
    }
    this._open += 1;
    return this.now();
  }

  /** The end time of a span started with start(). */
  end(): HrTime {
    const time = this.now();
    this._open = Math.max(0, this._open - 1);
    return time;
  }

  /** The current time (for events), monotonic within an anchor. */
  now(): HrTime {
    // Seconds and nanoseconds apart: epoch ns exceed 2^53 and would round.
    const elapsedNs = Math.round(
      (performance.now() - this._anchorPerfMs) * NS_PER_MS
    );
    const epochS = Math.floor(this._anchorEpochMs / 1000);
    const totalNs =
      (this._anchorEpochMs - epochS * 1000) * NS_PER_MS + elapsedNs;
    const carryS = Math.floor(totalNs / NS_PER_S);
    return [epochS + carryS, totalNs - carryS * NS_PER_S];
  }

  /** Spans started and not yet ended. */
  get openSpans(): number {
    return this._open;
  }

  private _open = 0;
  private _anchorEpochMs = Date.now();
  private _anchorPerfMs = performance.now();
}

/** The clock of every span the helper makes. */
export const spanClock = new SpanClock();
