/**
 * The critical path of a trace: the chain of spans that sets its
 * end-to-end time, and each span's share of it.
 *
 * #### Notes
 * Walked back from the end (the idea of Jaeger's critical path): at each
 * span, among its children that end at or before the cursor, the one that
 * ends last is on the path; the time between its end and the cursor is the
 * span's own; the walk goes into that child with the cursor at its end, then
 * carries on in the span before the child's start. Children that overlap the
 * chosen one (ending after the cursor) are not waited on and are left off.
 *
 * Each child is clipped to its parent's window on the path: a child running
 * past its parent's end, or starting before it (clock skew), counts only
 * within it; a child wholly outside, or of zero length there, is left off.
 * Several roots are walked as children of the trace's extent; time when no
 * root on the path runs is a segment with no span.
 *
 * Iterative (an explicit stack), so a 100k-deep chain cannot overflow; only
 * spans on the path have their children sorted: O(n log n) at worst.
 */
import { formatPercent } from './format';
import { ISpanNode, ITrace } from './tree';

/** A stretch of the critical path, ms from the trace's start. */
export interface ICriticalSegment {
  /** The span whose own time this is; null when no root span runs. */
  spanId: string | null;
  startMs: number;
  endMs: number;
}

/** The critical path of one trace. */
export interface ICriticalPath {
  /** In time order; they cover [startMs, endMs] without gaps or overlaps. */
  segments: ICriticalSegment[];
  /** Each path span's own time on the path, ms (0 when its children fill it). */
  shareMsBySpan: Map<string, number>;
  /** The spans on the path: each one's parent is on it too, or it is a root. */
  spanIds: Set<string>;
  /** Each path span's clipped window on the path, [start, end] ms. */
  windowBySpan: Map<string, readonly [number, number]>;
  /** Earliest root start and latest root end, ms from the trace's start. */
  startMs: number;
  endMs: number;
  /** endMs - startMs. */
  totalMs: number;
  /** Time the path gives to no span (between the roots it walks), ms. */
  idleMs: number;
}

/** One span (or the trace's extent, `node` null) being walked. */
interface IFrame {
  node: ISpanNode | null;
  /** Ordered by start (as `buildTrace` orders children and roots). */
  children: ISpanNode[];
  /** Its clipped window. */
  lowMs: number;
  highMs: number;
  /** Walking back: everything after it is done. */
  cursorMs: number;
  /** Own time on the path so far. */
  ownMs: number;
  /** Only children before this index may still be picked. */
  limit: number;
  /** Each child's end clipped to the window; -Infinity when empty there. */
  endsMs: Float64Array | null;
  /** The latest of `endsMs[0..j]`, for each j. */
  prefixMaxMs: Float64Array | null;
  /** Children looked at so far; past a budget the rest is sorted. */
  scanned: number;
  /** Once sorted: child indexes by clipped end, latest first; the next to try. */
  byEnd: number[] | null;
  next: number;
}

/** Up to this many children are scanned plainly; more get the arrays of {@link pick}. */
const FEW_CHILDREN = 8;

function endMsOf(node: ISpanNode): number {
  return node.startOffsetMs + node.durationMs;
}

function frameOf(
  node: ISpanNode | null,
  children: ISpanNode[],
  lowMs: number,
  highMs: number
): IFrame {
  return {
    node,
    children,
    lowMs,
    highMs,
    cursorMs: highMs,
    ownMs: 0,
    limit: children.length,
    endsMs: null,
    prefixMaxMs: null,
    scanned: 0,
    byEnd: null,
    next: 0
  };
}

/** A child's end clipped to the frame, or -Infinity when it is empty there. */
function clippedEndMs(frame: IFrame, child: ISpanNode): number {
  const endMs = Math.min(endMsOf(child), frame.highMs);
  return endMs > Math.max(child.startOffsetMs, frame.lowMs) ? endMs : -Infinity;
}

/**
 * The index of the child to walk next: the latest clipped end at or before
 * the cursor (of equal ends, the earlier start), or -1.
 *
 * #### Notes
 * Once a child is picked the cursor moves to its start, so only children
 * starting before it can follow: the search narrows to a prefix of the
 * start-ordered children. The prefix is scanned from its end and the scan
 * stops where the prefix maximum of ends cannot beat the best so far, which
 * makes sequential children O(1) each; when scans pass a linear budget (wide
 * overlapping fan-outs), the rest is sorted once: O(k log k) at worst.
 */
function pick(frame: IFrame): number {
  const { children, cursorMs } = frame;
  if (frame.limit === 0) {
    return -1;
  }
  if (children.length <= FEW_CHILDREN) {
    // A plain scan of the prefix: cheaper than the arrays below for a few
    let bestMs = -Infinity;
    let best = -1;
    for (let j = frame.limit - 1; j >= 0; j--) {
      const endMs = clippedEndMs(frame, children[j]);
      if (endMs <= cursorMs && endMs >= bestMs && endMs !== -Infinity) {
        bestMs = endMs;
        best = j;
      }
    }
    frame.limit = Math.max(best, 0);
    return best;
  }
  if (!frame.endsMs) {
    const endsMs = new Float64Array(children.length);
    const prefixMaxMs = new Float64Array(children.length);
    let maxMs = -Infinity;
    for (let i = 0; i < children.length; i++) {
      endsMs[i] = clippedEndMs(frame, children[i]);
      maxMs = Math.max(maxMs, endsMs[i]);
      prefixMaxMs[i] = maxMs;
    }
    frame.endsMs = endsMs;
    frame.prefixMaxMs = prefixMaxMs;
  }
  const endsMs = frame.endsMs;
  if (!frame.byEnd && frame.scanned + frame.limit > 4 * children.length + 32) {
    const byEnd: number[] = [];
    for (let i = 0; i < frame.limit; i++) {
      if (endsMs[i] !== -Infinity) {
        byEnd.push(i);
      }
    }
    byEnd.sort((a, b) => endsMs[b] - endsMs[a] || a - b);
    frame.byEnd = byEnd;
  }
  if (frame.byEnd) {
    while (frame.next < frame.byEnd.length) {
      const index = frame.byEnd[frame.next++];
      if (endsMs[index] <= cursorMs) {
        return index;
      }
    }
    return -1;
  }
  const prefixMaxMs = frame.prefixMaxMs!;
  let bestMs = -Infinity;
  let best = -1;
  for (let j = frame.limit - 1; j >= 0 && prefixMaxMs[j] >= bestMs; j--) {
    frame.scanned++;
    const endMs = endsMs[j];
    if (endMs <= cursorMs && endMs >= bestMs && endMs !== -Infinity) {
      bestMs = endMs;
      best = j;
    }
  }
  frame.limit = Math.max(best, 0);
  return best;
}

/** The critical path of `trace`, computed once per trace (memoized). */
export function criticalPath(trace: ITrace): ICriticalPath {
  let path = cache.get(trace);
  if (!path) {
    path = computeCriticalPath(trace);
    cache.set(trace, path);
  }
  return path;
}

const cache = new WeakMap<ITrace, ICriticalPath>();

function computeCriticalPath(trace: ITrace): ICriticalPath {
  const { roots } = trace;
  let startMs = roots.length ? Infinity : 0;
  let endMs = roots.length ? -Infinity : 0;
  for (const root of roots) {
    startMs = Math.min(startMs, root.startOffsetMs);
    endMs = Math.max(endMs, endMsOf(root));
  }
  const path: ICriticalPath = {
    segments: [],
    shareMsBySpan: new Map(),
    spanIds: new Set(),
    windowBySpan: new Map(),
    startMs,
    endMs,
    totalMs: endMs - startMs,
    idleMs: 0
  };
  if (roots.length === 0) {
    return path;
  }
  const reversed: ICriticalSegment[] = [];
  const stack: IFrame[] = [];
  const enter = (node: ISpanNode, lowMs: number, highMs: number) => {
    const spanId = node.span.spanId;
    path.spanIds.add(spanId);
    path.windowBySpan.set(spanId, [lowMs, highMs]);
    if (node.children.length > 0) {
      stack.push(frameOf(node, node.children, lowMs, highMs));
      return;
    }
    // A leaf (a third of a path) owns its whole window: no frame to walk
    if (highMs > lowMs) {
      reversed.push({ spanId, startMs: lowMs, endMs: highMs });
    }
    path.shareMsBySpan.set(spanId, highMs - lowMs);
  };
  const own = (frame: IFrame, fromMs: number, toMs: number) => {
    if (toMs <= fromMs) {
      return;
    }
    const spanId = frame.node ? frame.node.span.spanId : null;
    reversed.push({ spanId, startMs: fromMs, endMs: toMs });
    frame.ownMs += toMs - fromMs;
  };
  const leave = (frame: IFrame) => {
    stack.pop();
    if (frame.node) {
      path.shareMsBySpan.set(frame.node.span.spanId, frame.ownMs);
    } else {
      path.idleMs = frame.ownMs;
    }
  };
  if (roots.length === 1) {
    enter(roots[0], startMs, endMs);
  } else {
    stack.push(frameOf(null, roots, startMs, endMs));
  }
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const index = pick(frame);
    const child = index >= 0 ? frame.children[index] : undefined;
    if (!child) {
      own(frame, frame.lowMs, frame.cursorMs);
      leave(frame);
      continue;
    }
    const childEndMs = Math.min(endMsOf(child), frame.highMs);
    const childStartMs = Math.max(child.startOffsetMs, frame.lowMs);
    own(frame, childEndMs, frame.cursorMs);
    frame.cursorMs = childStartMs;
    enter(child, childStartMs, childEndMs);
  }
  path.segments = reversed.reverse();
  return path;
}

/** A name's share of the critical path. */
export interface ICriticalContributor {
  name: string;
  /** Fraction of the path's total time (0..1). */
  share: number;
  /** How many path spans of this name it sums. */
  spanCount: number;
}

/**
 * The `n` names with the largest own time on the path, largest first.
 *
 * #### Notes
 * Spans of one name are summed (an agent's loop calls "llm" many times: the
 * question is how much of the time went to the model), ties by name. Names
 * with no own time are left out.
 */
export function topContributors(
  path: ICriticalPath,
  trace: ITrace,
  n = 3
): ICriticalContributor[] {
  if (!(path.totalMs > 0)) {
    return [];
  }
  const byName = new Map<string, ICriticalContributor>();
  for (const [spanId, shareMs] of path.shareMsBySpan) {
    const name = trace.nodeById.get(spanId)?.span.name ?? spanId;
    const entry = byName.get(name) ?? { name, share: 0, spanCount: 0 };
    entry.share += shareMs / path.totalMs;
    entry.spanCount += 1;
    byName.set(name, entry);
  }
  return [...byName.values()]
    .filter(entry => entry.share > 0)
    .sort((a, b) => b.share - a.share || (a.name < b.name ? -1 : 1))
    .slice(0, n);
}

/** "retrieve 61%, llm 30%, agent 9%"; '' when nothing contributes. */
export function contributorsText(
  contributors: readonly ICriticalContributor[]
): string {
  return contributors
    .map(entry => `${entry.name} ${formatPercent(entry.share)}`)
    .join(', ');
}
