/**
 * Timeline geometry: where a span's bar sits for a visible time window.
 * Pure; times are milliseconds from the trace start.
 */
import { scaleLinear } from 'd3-scale';
import { ISpanNode } from '../trace';

/** A visible time window, in ms from the trace start. */
export type TimeWindow = readonly [number, number];

/** A bar's position as percentages of the timeline width. */
export interface IBarGeometry {
  leftPct: number;
  widthPct: number;
  /** False when the span lies wholly outside the window. */
  visible: boolean;
}

// Spans shorter than this still get a visible sliver.
const MIN_WIDTH_PCT = 0.2;

/** The whole trace: from its first start to its last end. */
export function fullWindow(totalMs: number): TimeWindow {
  return [0, Math.max(totalMs, 1e-6)];
}

// Steps of a growing extent: each at most 1.5 times the one before
const EXTENT_STEPS = [1, 1.5, 2, 3, 4, 5, 6, 8, 10];

/**
 * The extent a live timeline shows for `elapsedMs`: the next step of
 * 1, 1.5, 2, 3, 4, 5, 6, 8 × 10ⁿ ms at or above it, so the scale (and every
 * bar drawn on it) changes only when the trace outgrows a step, not on each
 * tick of its clock.
 */
export function liveExtentMs(elapsedMs: number): number {
  if (!(elapsedMs > 1)) {
    return 1;
  }
  const decade = 10 ** Math.floor(Math.log10(elapsedMs));
  const step = EXTENT_STEPS.find(s => s * decade >= elapsedMs) ?? 10;
  return step * decade;
}

// One scale per window, shared by every row drawn for it
const scales = new WeakMap<TimeWindow, (ms: number) => number>();

function percentScale(window: TimeWindow): (ms: number) => number {
  let scale = scales.get(window);
  if (!scale) {
    scale = scaleLinear().domain(window).range([0, 100]);
    scales.set(window, scale);
  }
  return scale;
}

/** Position of `node`'s bar within `window`, clipped to the timeline. */
export function barGeometry(node: ISpanNode, window: TimeWindow): IBarGeometry {
  return barGeometryMs(node.startOffsetMs, node.durationMs, window);
}

/** Position of a bar from `startOffsetMs` lasting `durationMs` within `window`. */
export function barGeometryMs(
  startOffsetMs: number,
  durationMs: number,
  window: TimeWindow
): IBarGeometry {
  const toPct = percentScale(window);
  const startPct = toPct(startOffsetMs);
  const endPct = toPct(startOffsetMs + durationMs);
  const visible = endPct >= 0 && startPct <= 100;
  const leftPct = Math.min(Math.max(startPct, 0), 100);
  const rightPct = Math.min(Math.max(endPct, 0), 100);
  return {
    leftPct: Math.min(leftPct, 100 - MIN_WIDTH_PCT),
    widthPct: Math.max(rightPct - leftPct, MIN_WIDTH_PCT),
    visible
  };
}

/** Zoom `window` by `factor` (< 1 zooms in) around `anchorMs`, kept inside the trace. */
export function zoomWindow(
  window: TimeWindow,
  factor: number,
  anchorMs: number,
  totalMs: number
): TimeWindow {
  const [start, end] = window;
  const minSpanMs = Math.max(totalMs * 1e-6, 1e-6);
  const span = Math.min(Math.max((end - start) * factor, minSpanMs), totalMs);
  const ratio = end > start ? (anchorMs - start) / (end - start) : 0.5;
  let newStart = anchorMs - ratio * span;
  newStart = Math.min(Math.max(newStart, 0), totalMs - span);
  return [newStart, newStart + span];
}
