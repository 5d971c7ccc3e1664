/**
 * What the view of a live trace draws at one moment: its phase (running,
 * stopped updating, interrupted), the time its open spans are drawn up to,
 * and which spans are open. Pure: the clock is an argument.
 */
import {
  formatCount,
  ILiveWire,
  ISpanNode,
  isStale,
  ITrace,
  liveEndNs,
  liveStoppedAtMs,
  runningNowSpan,
  runningSpanIds
} from '../trace';
import { CSS } from './classes';

/** Where a live trace stands: still running, stopped updating (stale), or cut off. */
export type LivePhase = 'running' | 'stale' | 'interrupted';

/** How the view names a live trace, and marks its open spans, in one phase. */
export interface ILivePhaseText {
  /** The modifier class of an open span's row and bar. */
  className: string;
  /** An open span's row mark (badge, aria-label, title). */
  rowLabel: string;
  /** An open span's status in the details pane. */
  spanStatus: string;
  /** The trace's state badge; undefined keeps the info's state. */
  traceState: string | undefined;
}

/**
 * The words of each phase, in one place. The fallbacks of the same payload
 * (src/bundle/format.ts liveNote, openSpanStatus) say RUNNING, CUT OFF and
 * "left out"; a stalled span does not claim to run.
 */
export const LIVE_PHASE_TEXT: Readonly<Record<LivePhase, ILivePhaseText>> = {
  running: {
    className: CSS.modRunning,
    rowLabel: 'running',
    spanStatus: 'RUNNING',
    traceState: undefined
  },
  interrupted: {
    className: CSS.modCutOff,
    rowLabel: 'cut off',
    spanStatus: 'CUT OFF',
    traceState: 'INTERRUPTED'
  },
  stale: {
    className: CSS.modStalled,
    rowLabel: 'no end: stopped updating',
    spanStatus: 'NO END (stopped updating)',
    traceState: 'PARTIAL'
  }
};

/** "N ended spans left out" (of an update, to keep it in its byte bound), as the fallbacks say it. */
export function spansOmittedText(count: number): string {
  return `${formatCount(count)} ended span${count === 1 ? '' : 's'} left out`;
}

/** A live trace's state as drawn at one moment. */
export interface ILiveView {
  phase: LivePhase;
  /** The time open spans are drawn up to, in ms from the trace start. */
  nowOffsetMs: number;
  /** Unix ms the header names: the last update (stale) or the cut (interrupted). */
  atMs: number;
  /** Spans with no end: running, stalled or cut off, by phase. */
  openIds: ReadonlySet<string>;
  /** The span running now (running phase only). */
  runningNow: ISpanNode | undefined;
  /** Why it was interrupted, as the kernel wrote it. */
  reason: string | undefined;
  /** Ended spans the kernel left out of this update. */
  spansOmitted: number;
  /** The update's number. */
  sequence: number;
}

interface IOpenSpans {
  ids: ReadonlySet<string>;
  now: ISpanNode | undefined;
}

// Per trace, so the clock's ticks do not walk the spans again
const openCache = new WeakMap<ITrace, IOpenSpans>();

function openSpans(trace: ITrace): IOpenSpans {
  let open = openCache.get(trace);
  if (!open) {
    open = {
      ids: new Set(runningSpanIds(trace)),
      now: runningNowSpan(trace) ?? undefined
    };
    openCache.set(trace, open);
  }
  return open;
}

/**
 * The view of `trace` with its `live` object, received at `receivedAtMs`,
 * at `nowMs` (both the browser's clock; the rules are ../trace/live.ts).
 */
export function liveView(
  trace: ITrace,
  live: ILiveWire,
  receivedAtMs: number,
  nowMs: number
): ILiveView {
  const open = openSpans(trace);
  const phase: LivePhase =
    live.status === 'interrupted'
      ? 'interrupted'
      : isStale(receivedAtMs, nowMs, live)
        ? 'stale'
        : 'running';
  // Nothing open (the root ended, the final trace not sent yet): nothing grows.
  const endNs = open.ids.size
    ? liveEndNs(trace, live, receivedAtMs, nowMs)
    : trace.endNs;
  return {
    phase,
    nowOffsetMs: (endNs - trace.startNs) / 1e6,
    atMs: liveStoppedAtMs(live),
    openIds: open.ids,
    runningNow: phase === 'running' ? open.now : undefined,
    reason: live.reason,
    spansOmitted: live.spans_omitted ?? 0,
    sequence: live.sequence
  };
}

/** How long an open span has run at `view`'s moment, in ms. */
export function openDurationMs(node: ISpanNode, view: ILiveView): number {
  return Math.max(0, view.nowOffsetMs - node.startOffsetMs);
}
