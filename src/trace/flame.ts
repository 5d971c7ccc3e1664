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

/** A binary min-heap of numbers, ordered by `key`. */
class MinHeap {
  constructor(private readonly _key: (item: number) => number) {}

  get size(): number {
    return this._items.length;
  }

  peek(): number {
    return this._items[0];
  }

  push(item: number): void {
    const items = this._items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this._key(items[up]) <= this._key(items[i])) {
        break;
      }
      [items[up], items[i]] = [items[i], items[up]];
      i = up;
    }
  }

  pop(): number {
    const items = this._items;
    const top = items[0];
    const last = items.pop() as number;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (
          left < items.length &&
          this._key(items[left]) < this._key(items[least])
        ) {
          least = left;
        }
        if (
          right < items.length &&
          this._key(items[right]) < this._key(items[least])
        ) {
          least = right;
        }
        if (least === i) {
          break;
        }
        [items[least], items[i]] = [items[i], items[least]];
        i = least;
      }
    }
    return top;
  }

  private _items: number[] = [];
}

/**
 * Assigns lanes to siblings given by start (`x0` ascending): the lowest lane
 * whose last block ended by the sibling's start. Returns the lane count.
 */
function assignLanes(
  siblings: readonly number[],
  x0: Float64Array,
  x1: Float64Array,
  laneOf: Int32Array
): number {
  const laneEnd: number[] = [];
  const busy = new MinHeap(lane => laneEnd[lane]);
  const free = new MinHeap(lane => lane);
  for (const index of siblings) {
    while (busy.size > 0 && laneEnd[busy.peek()] <= x0[index]) {
      free.push(busy.pop());
    }
    const lane = free.size > 0 ? free.pop() : laneEnd.length;
    laneEnd[lane] = x1[index];
    laneOf[index] = lane;
    busy.push(lane);
  }
  return laneEnd.length;
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
  const widthMs = totalMs ?? (trace.endNs - trace.startNs) / 1e6;
  const indexOf = new Map<ISpanNode, number>();
  nodes.forEach((node, i) => indexOf.set(node, i));
  const parentOf = new Int32Array(count);
  const x0 = new Float64Array(count);
  const x1 = new Float64Array(count);
  // x: pre-order, so a parent's clipped range is known before its children's
  for (let i = 0; i < count; i++) {
    const node = nodes[i];
    const parent = node.parent === null ? -1 : (indexOf.get(node.parent) ?? -1);
    parentOf[i] = parent;
    const low = parent < 0 ? 0 : x0[parent];
    const high = parent < 0 ? Math.max(widthMs, 0) : x1[parent];
    const start = Math.min(Math.max(node.startOffsetMs || 0, low), high);
    // From the end's own time, not start + duration: a sibling that starts
    // when this one ends must get the very same number
    const { endNs } = node.span;
    const end = endNs === null ? high : (endNs - trace.startNs) / 1e6;
    x0[i] = start;
    x1[i] = Math.min(Math.max(end, start), high);
  }
  // Lanes among each set of siblings (the top-level spans are siblings too)
  const laneOf = new Int32Array(count);
  const laneCount = new Int32Array(count);
  const siblingsOf = (node: ISpanNode | null) =>
    (node === null ? trace.roots : node.children).map(
      child => indexOf.get(child) as number
    );
  const rootLanes = assignLanes(siblingsOf(null), x0, x1, laneOf);
  for (let i = 0; i < count; i++) {
    if (nodes[i].children.length > 0) {
      laneCount[i] = assignLanes(siblingsOf(nodes[i]), x0, x1, laneOf);
    }
  }
  // Heights and lane offsets: reverse pre-order visits children before parents
  const height = new Int32Array(count);
  const subtreeSize = new Int32Array(count);
  const laneOffset = new Int32Array(count);
  const offsetsOf = (children: readonly number[], lanes: number): number => {
    const tallest = new Int32Array(lanes);
    for (const child of children) {
      tallest[laneOf[child]] = Math.max(tallest[laneOf[child]], height[child]);
    }
    let sum = 0;
    const start = new Int32Array(lanes);
    for (let lane = 0; lane < lanes; lane++) {
      start[lane] = sum;
      sum += tallest[lane];
    }
    for (const child of children) {
      laneOffset[child] = start[laneOf[child]];
    }
    return sum;
  };
  for (let i = count - 1; i >= 0; i--) {
    let size = 1;
    for (const child of nodes[i].children) {
      size += subtreeSize[indexOf.get(child) as number];
    }
    subtreeSize[i] = size;
    height[i] =
      1 +
      (laneCount[i] > 0 ? offsetsOf(siblingsOf(nodes[i]), laneCount[i]) : 0);
  }
  const rowCount = count > 0 ? offsetsOf(siblingsOf(null), rootLanes) : 0;
  // Rows: pre-order again, a parent's row before its children's
  const rects: IFlameRect[] = new Array(count);
  const rowOf = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const parent = parentOf[i];
    rowOf[i] = (parent < 0 ? 0 : rowOf[parent] + 1) + laneOffset[i];
    rects[i] = {
      spanId: nodes[i].span.spanId,
      node: nodes[i],
      x0Ms: x0[i],
      x1Ms: x1[i],
      row: rowOf[i]
    };
  }
  return {
    rects,
    subtreeSize,
    rowCount,
    byRow: indexRows(rects, rowCount),
    indexById: new Map(rects.map((rect, i) => [rect.spanId, i])),
    totalMs: Math.max(widthMs, 0)
  };
}

function indexRows(rects: IFlameRect[], rowCount: number): Int32Array[] {
  const counts = new Int32Array(rowCount);
  for (const rect of rects) {
    counts[rect.row]++;
  }
  const rows = Array.from(counts, n => new Int32Array(n));
  const filled = new Int32Array(rowCount);
  rects.forEach((rect, i) => {
    rows[rect.row][filled[rect.row]++] = i;
  });
  for (const row of rows) {
    // Ties: the narrower first, so the last one starting at x is the one holding x
    row.sort(
      (a, b) =>
        rects[a].x0Ms - rects[b].x0Ms || rects[a].x1Ms - rects[b].x1Ms || a - b
    );
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
