/**
 * The lanes of the flame graph's siblings (./flame.ts): each sibling, by
 * start, takes the lowest lane free at its start. Two binary heaps in
 * reusable typed buffers keep that O(k log k) for k siblings.
 */
/**
 * Two binary min-heaps over lanes, in reusable buffers: lanes in use keyed
 * by where their last block ends, free lanes keyed by their index.
 */
export class LaneHeaps {
  constructor(capacity: number) {
    this.laneEnd = new Float64Array(capacity);
    this._busy = new Int32Array(capacity);
    this._free = new Int32Array(capacity);
  }

  /** Where each lane's last block ends. */
  readonly laneEnd: Float64Array;
  laneCount = 0;

  reset(): void {
    this.laneCount = 0;
    this._busySize = 0;
    this._freeSize = 0;
  }

  /** The lowest lane free at `startMs` (a new one when none is), now busy until `endMs`. */
  take(startMs: number, endMs: number): number {
    const ends = this.laneEnd;
    while (this._busySize > 0 && ends[this._busy[0]] <= startMs) {
      const lane = this._busy[0];
      this._busySize = pop(this._busy, this._busySize, ends);
      this._freeSize = push(this._free, this._freeSize, lane, null);
    }
    let lane: number;
    if (this._freeSize > 0) {
      lane = this._free[0];
      this._freeSize = pop(this._free, this._freeSize, null);
    } else {
      lane = this.laneCount++;
    }
    ends[lane] = endMs;
    this._busySize = push(this._busy, this._busySize, lane, ends);
    return lane;
  }

  private _busy: Int32Array;
  private _busySize = 0;
  private _free: Int32Array;
  private _freeSize = 0;
}

/** Heap order of `item`: by `keys[item]`, or by the item itself when `keys` is null. */
function keyOf(item: number, keys: Float64Array | null): number {
  return keys === null ? item : keys[item];
}

/** Pushes `item` on the heap `items[0, size)`; returns the new size. */
function push(
  items: Int32Array,
  size: number,
  item: number,
  keys: Float64Array | null
): number {
  let i = size;
  items[i] = item;
  while (i > 0) {
    const up = (i - 1) >> 1;
    if (keyOf(items[up], keys) <= keyOf(items[i], keys)) {
      break;
    }
    const swap = items[up];
    items[up] = items[i];
    items[i] = swap;
    i = up;
  }
  return size + 1;
}

/** Removes the top of the heap `items[0, size)`; returns the new size. */
function pop(
  items: Int32Array,
  size: number,
  keys: Float64Array | null
): number {
  const last = size - 1;
  items[0] = items[last];
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    let least = i;
    if (left < last && keyOf(items[left], keys) < keyOf(items[least], keys)) {
      least = left;
    }
    if (
      left + 1 < last &&
      keyOf(items[left + 1], keys) < keyOf(items[least], keys)
    ) {
      least = left + 1;
    }
    if (least === i) {
      return last;
    }
    const swap = items[least];
    items[least] = items[i];
    items[i] = swap;
    i = least;
  }
}
