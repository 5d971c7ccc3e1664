/**
 * The flame graph's free horizontal zoom and pan: a time range inside the
 * zoom window (one span's subtree, src/trace/flame.ts), narrowed by the
 * wheel and moved by dragging. Pure functions of the window and the range.
 *
 * #### Notes
 * A range never leaves its window, never grows past it, and is never
 * narrower than {@link MIN_RANGE_FRACTION} of it (floating point keeps
 * rectangles apart to about that scale at 100k spans over hours).
 */
import { IFlameWindow } from './flame';

/** A time range in ms from the trace's start, `x0Ms < x1Ms`. */
export interface IFlameRange {
  x0Ms: number;
  x1Ms: number;
}

/** The narrowest range, as a fraction of its window's width. */
export const MIN_RANGE_FRACTION = 1e-6;

/** `range` moved and shrunk as little as needed to lie within `window`. */
export function clampFlameRange(
  window: IFlameWindow,
  range: IFlameRange
): IFlameRange {
  const full = window.x1Ms - window.x0Ms;
  const width = Math.min(
    Math.max(range.x1Ms - range.x0Ms, full * MIN_RANGE_FRACTION),
    full
  );
  const x0Ms = Math.min(Math.max(range.x0Ms, window.x0Ms), window.x1Ms - width);
  return { x0Ms, x1Ms: x0Ms + width };
}

/**
 * `range` zoomed by `factor` (below 1 zooms in, above 1 out) around
 * `anchorMs`, which stays where it was on screen; within `window`.
 */
export function zoomFlameRange(
  window: IFlameWindow,
  range: IFlameRange,
  factor: number,
  anchorMs: number
): IFlameRange {
  const anchor = Math.min(Math.max(anchorMs, range.x0Ms), range.x1Ms);
  return clampFlameRange(window, {
    x0Ms: anchor - (anchor - range.x0Ms) * factor,
    x1Ms: anchor + (range.x1Ms - anchor) * factor
  });
}

/** `range` moved by `deltaMs` (positive: later), stopping at `window`'s edges. */
export function panFlameRange(
  window: IFlameWindow,
  range: IFlameRange,
  deltaMs: number
): IFlameRange {
  return clampFlameRange(window, {
    x0Ms: range.x0Ms + deltaMs,
    x1Ms: range.x1Ms + deltaMs
  });
}

/** Whether `range` shows all of `window`. */
export function isWholeFlameWindow(
  window: IFlameWindow,
  range: IFlameRange
): boolean {
  return range.x0Ms <= window.x0Ms && range.x1Ms >= window.x1Ms;
}

/** `window` seen through `range`: the same spans and rows, `range`'s times. */
export function flameView(
  window: IFlameWindow,
  range: IFlameRange | undefined
): IFlameWindow {
  if (range === undefined || window.x1Ms <= window.x0Ms) {
    return window;
  }
  const { x0Ms, x1Ms } = clampFlameRange(window, range);
  return { ...window, x0Ms, x1Ms };
}
