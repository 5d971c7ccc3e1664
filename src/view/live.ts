/**
 * What the view of a live trace draws at one moment: its phase (running,
 * stopped updating, interrupted), the time its open spans are drawn up to,
 * and which spans are open. Pure: the clock is an argument.
 */
import { ISpanNode, ITrace } from '../trace';
import { ILiveWire, isStale } from './liveModel';

/** Where a live trace stands: still running, stopped updating (stale), or cut off. */
export type LivePhase = 'running' | 'stale' | 'interrupted';

/** A live trace's state as drawn at one moment. */
export interface ILiveView {
  phase: LivePhase;
  /** The time open spans are drawn up to, in ms from the trace start. */
  nowOffsetMs: number;
  /** Unix ms the header names: the last update (stale) or the cut (interrupted). */
  atMs: number;
  /** Spans with no end: running, stalled or cut off, by phase. */
  openIds: ReadonlySet<string>;
  /** The innermost running span (the one started last among the deepest). */
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
  innermost: ISpanNode | undefined;
}

const openCache = new WeakMap<ITrace, IOpenSpans>();

/** The open spans of `trace` and the innermost of them; memoized per trace. */
function openSpans(trace: ITrace): IOpenSpans {
  let open = openCache.get(trace);
  if (!open) {
    const ids = new Set<string>();
    let innermost: ISpanNode | undefined;
    for (const node of trace.nodesInOrder) {
      if (!node.span.inProgress) {
        continue;
      }
      ids.add(node.span.spanId);
      if (
        !innermost ||
        node.depth > innermost.depth ||
        (node.depth === innermost.depth &&
          node.span.startNs >= innermost.span.startNs)
      ) {
        innermost = node;
      }
    }
    open = { ids, innermost };
    openCache.set(trace, open);
  }
  return open;
}

/**
 * The view of `trace` with its `live` object, received at `receivedAtMs`
 * (browser clock), at `nowMs` (browser clock).
 *
 * #### Notes
 * Span times come from the kernel's clock, so a running trace's "now" is the
 * update's own time (`updated_unix_ms`) plus the browser time since it
 * arrived: clocks of kernel and browser need not agree.
 */
export function liveView(
  trace: ITrace,
  live: ILiveWire,
  receivedAtMs: number,
  nowMs: number
): ILiveView {
  const startMs = trace.startNs / 1e6;
  const extentMs = (trace.endNs - trace.startNs) / 1e6;
  const open = openSpans(trace);
  const stale = live.status === 'running' && isStale(receivedAtMs, nowMs, live);
  const phase: LivePhase =
    live.status === 'interrupted' ? 'interrupted' : stale ? 'stale' : 'running';
  let atMs = live.updated_unix_ms;
  if (phase === 'interrupted' && live.interrupted_at_unix_nano !== undefined) {
    atMs = live.interrupted_at_unix_nano / 1e6;
  }
  const drawnToMs =
    phase === 'running'
      ? live.updated_unix_ms + Math.max(0, nowMs - receivedAtMs)
      : atMs;
  return {
    phase,
    nowOffsetMs: Math.max(extentMs, drawnToMs - startMs),
    atMs,
    openIds: open.ids,
    runningNow: phase === 'running' ? open.innermost : undefined,
    reason: live.reason,
    spansOmitted: live.spans_omitted ?? 0,
    sequence: live.sequence
  };
}

/** How long an open span has run at `view`'s moment, in ms. */
export function openDurationMs(node: ISpanNode, view: ILiveView): number {
  return Math.max(0, view.nowOffsetMs - node.startOffsetMs);
}
