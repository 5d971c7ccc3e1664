/**
 * The flame graph's layout: one rectangle per span, an icicle with time on
 * the x axis and the root on the top row.
 *
 * #### Notes
 * Invariants (test/unit/trace/flame.spec.ts checks them over generated trees):
 * - every span of `trace.nodesInOrder` has exactly one rectangle, in that order;
 * - a rectangle lies within its parent's x range (a child that starts before
 *   its parent or runs past it is clipped) on a lower row;
 * - no two rectangles on one row overlap (half-open ranges `[x0Ms, x1Ms)`).
 *
 * Siblings are packed into lanes: a sibling takes the lowest lane free at its
 * start, so sequential siblings share a row and parallel ones are stacked.
 * A lane is as tall as the deepest subtree placed in it. Lanes are found with
 * two heaps (busy by end, free by index), so a fan-out of k parallel children
 * costs O(k log k), not O(k²). Every pass is iterative: near-linear in spans.
 */
import { LaneHeaps } from './flameLanes';
import { ISpanNode, ITrace } from './tree';

/** One span's rectangle. Times are ms from the trace's start. */
export interface IFlameRect {
  spanId: string;
  node: ISpanNode;
  x0Ms: number;
  x1Ms: number;
  /** 0 for the top-level spans, growing downwards. */
  row: number;
}

/** The rectangles of a trace, and indexes into them. */
export interface IFlameLayout {
  /** In `trace.nodesInOrder` order: a span's subtree is `rects[i, i + subtreeSize[i])`. */
  rects: IFlameRect[];
  /** Number of rectangles in each rectangle's subtree, itself included. */
  subtreeSize: Int32Array;
  /** Rows the layout takes (0 with no spans). */
  rowCount: number;
  /** Rectangle indexes per row, by start (a row's rectangles never overlap). */
  byRow: Int32Array[];
  /** Rectangle index by span id. */
  indexById: Map<string, number>;
  /** Width of the whole graph in ms. */
  totalMs: number;
}

/**
 * Lays out the flame graph of `trace` over `[0, totalMs]` (default: the
 * trace's extent). Uses `trace.nodesInOrder` (pre-order, children by start,
 * as buildTrace guarantees), each node's `startOffsetMs` and its span's end;
 * a running span runs to its parent's end (to `totalMs` at the top level).
 */
export function flameLayout(trace: ITrace, totalMs?: number): IFlameLayout {
  const nodes = trace.nodesInOrder;
  const count = nodes.length;
  const widthMs = Math.max(totalMs ?? (trace.endNs - trace.startNs) / 1e6, 0);
  // Parents by index: in pre-order a node's parent is on the ancestor stack
  const parentOf = new Int32Array(count);
  const ancestors: number[] = [];
  for (let i = 0; i < count; i++) {
    const parent = nodes[i].parent;
    while (
      ancestors.length > 0 &&
      nodes[ancestors[ancestors.length - 1]] !== parent
    ) {
      ancestors.pop();
    }
    parentOf[i] = ancestors.length > 0 ? ancestors[ancestors.length - 1] : -1;
    ancestors.push(i);
  }
  // x: pre-order, so a parent's clipped range is known before its children's
  const x0 = new Float64Array(count);
  const x1 = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const node = nodes[i];
    const parent = parentOf[i];
    const low = parent < 0 ? 0 : x0[parent];
    const high = parent < 0 ? widthMs : x1[parent];
    const start = Math.min(Math.max(node.startOffsetMs || 0, low), high);
    // From the end's own time, not start + duration: a sibling that starts
    // when this one ends must get the very same number
    const { endNs } = node.span;
    const end = endNs === null ? high : (endNs - trace.startNs) / 1e6;
    x0[i] = start;
    x1[i] = Math.min(Math.max(end, start), high);
  }
  // Each parent's children as a run of one array (slot `count` holds the top level),
  // in pre-order: by start, as the tree orders them
  const childStart = new Int32Array(count + 2);
  for (let i = 0; i < count; i++) {
    childStart[(parentOf[i] < 0 ? count : parentOf[i]) + 2]++;
  }
  for (let k = 2; k < count + 2; k++) {
    childStart[k] += childStart[k - 1];
  }
  const children = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    children[childStart[(parentOf[i] < 0 ? count : parentOf[i]) + 1]++] = i;
  }
  // childStart[p] .. childStart[p + 1] are now p's children
  const laneOf = new Int32Array(count);
  const laneCount = new Int32Array(count + 1);
  const heaps = new LaneHeaps(count + 1);
  for (let p = 0; p <= count; p++) {
    heaps.reset();
    for (let k = childStart[p]; k < childStart[p + 1]; k++) {
      laneOf[children[k]] = heaps.take(x0[children[k]], x1[children[k]]);
    }
    laneCount[p] = heaps.laneCount;
  }
  // Heights and lane offsets: reverse pre-order visits children before parents
  const height = new Int32Array(count);
  const subtreeSize = new Int32Array(count).fill(1);
  const laneOffset = new Int32Array(count);
  const tallest = new Int32Array(count + 1);
  const stackLanes = (p: number): number => {
    const from = childStart[p];
    const to = childStart[p + 1];
    tallest.fill(0, 0, laneCount[p]);
    for (let k = from; k < to; k++) {
      const lane = laneOf[children[k]];
      tallest[lane] = Math.max(tallest[lane], height[children[k]]);
    }
    // tallest becomes each lane's first row
    let sum = 0;
    for (let lane = 0; lane < laneCount[p]; lane++) {
      const rows = tallest[lane];
      tallest[lane] = sum;
      sum += rows;
    }
    for (let k = from; k < to; k++) {
      laneOffset[children[k]] = tallest[laneOf[children[k]]];
    }
    return sum;
  };
  for (let i = count - 1; i >= 0; i--) {
    height[i] = 1 + stackLanes(i);
    if (parentOf[i] >= 0) {
      subtreeSize[parentOf[i]] += subtreeSize[i];
    }
  }
  const rowCount = stackLanes(count);
  // Rows: pre-order again, a parent's row before its children's
  const rects: IFlameRect[] = new Array(count);
  const rowOf = new Int32Array(count);
  const indexById = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const parent = parentOf[i];
    rowOf[i] = (parent < 0 ? 0 : rowOf[parent] + 1) + laneOffset[i];
    const spanId = nodes[i].span.spanId;
    rects[i] = {
      spanId,
      node: nodes[i],
      x0Ms: x0[i],
      x1Ms: x1[i],
      row: rowOf[i]
    };
    indexById.set(spanId, i);
  }
  return {
    rects,
    subtreeSize,
    rowCount,
    byRow: indexRows(rects, rowCount),
    indexById,
    totalMs: widthMs
  };
}

/** Rectangle indexes per row, by start: views into one buffer, filled by row (counting sort). */
function indexRows(rects: IFlameRect[], rowCount: number): Int32Array[] {
  const rowStart = new Int32Array(rowCount + 1);
  for (const rect of rects) {
    rowStart[rect.row + 1]++;
  }
  for (let row = 0; row < rowCount; row++) {
    rowStart[row + 1] += rowStart[row];
  }
  const order = new Int32Array(rects.length);
  const filled = rowStart.slice(0, rowCount);
  rects.forEach((rect, i) => {
    order[filled[rect.row]++] = i;
  });
  // Ties: the narrower first, so the last one starting at x is the one holding x
  const byStart = (a: number, b: number) =>
    rects[a].x0Ms - rects[b].x0Ms || rects[a].x1Ms - rects[b].x1Ms || a - b;
  const rows: Int32Array[] = new Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    rows[row] = order.subarray(rowStart[row], rowStart[row + 1]);
    if (rows[row].length > 1) {
      rows[row].sort(byStart);
    }
  }
  return rows;
}

/** What a zoomed flame graph shows: one span's subtree over its time. */
export interface IFlameWindow {
  /** The rectangles shown: `[first, end)` of `layout.rects`. */
  first: number;
  end: number;
  x0Ms: number;
  x1Ms: number;
  /** The zoomed span's row, drawn at the top. */
  topRow: number;
  /** Rows below the top row that the subtree takes, the top row included. */
  rowCount: number;
}

/** The window of the span `spanId`, or of the whole graph when it is absent or unknown. */
export function flameWindow(
  layout: IFlameLayout,
  spanId: string | undefined
): IFlameWindow {
  const index = spanId === undefined ? undefined : layout.indexById.get(spanId);
  if (index === undefined) {
    return {
      first: 0,
      end: layout.rects.length,
      x0Ms: 0,
      x1Ms: layout.totalMs,
      topRow: 0,
      rowCount: layout.rowCount
    };
  }
  const end = index + layout.subtreeSize[index];
  let bottom = 0;
  for (let i = index; i < end; i++) {
    bottom = Math.max(bottom, layout.rects[i].row);
  }
  const rect = layout.rects[index];
  return {
    first: index,
    end,
    x0Ms: rect.x0Ms,
    x1Ms: rect.x1Ms,
    topRow: rect.row,
    rowCount: bottom - rect.row + 1
  };
}

/** The spans from the top level down to `node`, `node` last: the breadcrumbs of a zoom. */
export function flameBreadcrumbs(node: ISpanNode): ISpanNode[] {
  const path: ISpanNode[] = [];
  for (let at: ISpanNode | null = node; at !== null; at = at.parent) {
    path.push(at);
  }
  return path.reverse();
}

/**
 * The index of the rectangle on `row` that holds `xMs` within `window`, or
 * -1. Binary search over the row's rectangles by start.
 */
export function flameRectAt(
  layout: IFlameLayout,
  window: IFlameWindow,
  row: number,
  xMs: number
): number {
  const indexes = layout.byRow[row];
  if (indexes === undefined) {
    return -1;
  }
  let low = 0;
  let high = indexes.length;
  // The last rectangle starting at or before xMs
  while (low < high) {
    const mid = (low + high) >> 1;
    if (layout.rects[indexes[mid]].x0Ms <= xMs) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  const index = low > 0 ? indexes[low - 1] : -1;
  if (index < window.first || index >= window.end) {
    return -1;
  }
  const rect = layout.rects[index];
  return xMs < rect.x1Ms || (xMs === rect.x1Ms && rect.x0Ms === rect.x1Ms)
    ? index
    : -1;
}
