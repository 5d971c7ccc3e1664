/**
 * A live trace (its cell still running, or cut off) as the renderer reads
 * it: which spans run, which one runs now, how far running spans are drawn,
 * and whether updates stopped. Pure: the clock is always an argument.
 *
 * #### Notes
 * Span times come from the kernel's clock and `receivedAtMs` / `nowMs` from
 * the reader's, so a running trace's "now" is the update's own time plus
 * the reader's time since it arrived: the two clocks need not agree.
 */
import { ISpanNode, ITrace } from './tree';

/** The `live` object of a trace entry, as written (contract/trace.schema.json). */
export interface ILiveWire {
  status: 'running' | 'interrupted';
  /** The kernel's wall clock when this update was made, Unix ms. */
  updated_unix_ms: number;
  /** While running, the next update comes within this many ms (heartbeat). */
  update_every_ms: number;
  /** This output's update number; the first display is 1. */
  sequence: number;
  /** Ended spans left out of this update to keep it in its byte bound. */
  spans_omitted?: number;
  /** When the trace was cut off, Unix ns; set when `status` is 'interrupted'. */
  interrupted_at_unix_nano?: number;
  /** Why it was interrupted (exception type and message). */
  reason?: string;
}

/** Heartbeats missed before a running trace counts as stopped updating. */
export const LIVE_STALE_AFTER_BEATS = 3;

/**
 * How far, in ms, the kernel's clock may lag the reader's before a payload's
 * own age counts. Machines kept by NTP agree within a second; a minute keeps
 * a kernel with a drifting clock reading as running, and a notebook reopened
 * later (a dead kernel's last update) still reads as stopped.
 */
export const LIVE_CLOCK_SKEW_ALLOWANCE_MS = 60_000;

/**
 * True when a running trace stopped updating (the kernel died or hangs):
 * no newer update came within 3 x `update_every_ms` of receiving this one,
 * or the update itself (`updated_unix_ms`, the kernel's clock) is older than
 * that plus LIVE_CLOCK_SKEW_ALLOWANCE_MS, as in a saved notebook reopened.
 */
export function isStale(
  receivedAtMs: number,
  nowMs: number,
  live: ILiveWire
): boolean {
  if (live.status !== 'running') {
    return false;
  }
  const silentMs = LIVE_STALE_AFTER_BEATS * live.update_every_ms;
  return (
    nowMs - receivedAtMs > silentMs ||
    nowMs - live.updated_unix_ms > silentMs + LIVE_CLOCK_SKEW_ALLOWANCE_MS
  );
}

/** The spans still running (no end), in row order (pre-order depth first). */
export function runningSpans(trace: ITrace): ISpanNode[] {
  return trace.nodesInOrder.filter(node => node.span.inProgress);
}

/** Ids of the spans still running, in row order. */
export function runningSpanIds(trace: ITrace): string[] {
  return runningSpans(trace).map(node => node.span.spanId);
}

/**
 * The span running now: the running span that started last; among those
 * that started together, the deepest; then the last in row order. Null
 * when no span runs.
 */
export function runningNowSpan(trace: ITrace): ISpanNode | null {
  let now: ISpanNode | null = null;
  for (const node of runningSpans(trace)) {
    if (
      now === null ||
      node.span.startNs > now.span.startNs ||
      (node.span.startNs === now.span.startNs && node.depth >= now.depth)
    ) {
      now = node;
    }
  }
  return now;
}

/** Ids of the spans an interrupt cut off (those still running); [] unless interrupted. */
export function cutOffSpanIds(trace: ITrace, live: ILiveWire): string[] {
  return live.status === 'interrupted' ? runningSpanIds(trace) : [];
}

/**
 * The time, Unix ns, that running spans are drawn up to at `nowMs`:
 * while updates come, the update's time plus the time since it was
 * received; when stale, frozen at the update's time; when interrupted,
 * frozen at the cut. Never before the trace's latest known time.
 */
export function liveEndNs(
  trace: ITrace,
  live: ILiveWire,
  receivedAtMs: number,
  nowMs: number
): number {
  let endMs: number;
  if (live.status === 'interrupted') {
    endMs = (live.interrupted_at_unix_nano ?? trace.endNs) / 1e6;
  } else if (isStale(receivedAtMs, nowMs, live)) {
    endMs = live.updated_unix_ms;
  } else {
    endMs = live.updated_unix_ms + Math.max(0, nowMs - receivedAtMs);
  }
  return Math.max(trace.endNs, endMs * 1e6);
}

/** How long the trace has run at `nowMs`, in ms: from its first start to liveEndNs. */
export function liveElapsedMs(
  trace: ITrace,
  live: ILiveWire,
  receivedAtMs: number,
  nowMs: number
): number {
  return (liveEndNs(trace, live, receivedAtMs, nowMs) - trace.startNs) / 1e6;
}

/** How long a span has run by `endNs` (a liveEndNs), in ms; its own duration once it ended. */
export function spanElapsedMs(node: ISpanNode, endNs: number): number {
  const { startNs } = node.span;
  return Math.max(0, (node.span.endNs ?? endNs) - startNs) / 1e6;
}

/** The Unix ms a reader names for a trace that stopped: the cut, or the last update. */
export function liveStoppedAtMs(live: ILiveWire): number {
  return live.status === 'interrupted' &&
    live.interrupted_at_unix_nano !== undefined
    ? live.interrupted_at_unix_nano / 1e6
    : live.updated_unix_ms;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** A Unix time in ms as a UTC wall clock, "HH:MM:SS" ('–' when not finite). */
export function formatClockUtc(unixMs: number): string {
  if (!Number.isFinite(unixMs)) {
    return '–';
  }
  const seconds = Math.floor(Math.trunc(unixMs) / 1000);
  const ofDay = ((seconds % 86400) + 86400) % 86400;
  const hours = Math.floor(ofDay / 3600);
  const minutes = Math.floor((ofDay % 3600) / 60);
  return `${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(ofDay % 60)}`;
}
