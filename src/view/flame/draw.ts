/**
 * Drawing the flame graph on a 2D canvas context: the rows in view of one
 * zoom window, rectangles narrower than half a pixel skipped, so a frame
 * costs what is visible, not the trace.
 */
import {
  IFlameLayout,
  IFlameWindow,
  ISpanNode,
  spanTypeCategory
} from '../../trace';
import { IFlamePalette } from './palette';

/** Height of one row of the flame graph, in CSS px. */
export const FLAME_ROW_PX = 18;

/** Rectangles narrower than this (CSS px) are not drawn. */
export const MIN_DRAWN_PX = 0.5;

/** Names are written in rectangles at least this wide (CSS px). */
const MIN_LABEL_PX = 36;

/** What to mark beyond type and error. */
export interface IFlameMarks {
  selectedId: string | undefined;
  /** Search matches; when set, other rectangles are dimmed. */
  matches: ReadonlySet<string> | undefined;
  currentMatchId: string | undefined;
  /** Spans on the critical path: a band along their top. */
  critical: ReadonlySet<string> | undefined;
  /** The spans the explorer's filters keep; the rest are dimmed. */
  shown: ((node: ISpanNode) => boolean) | undefined;
  hoveredIndex: number;
}

/** The part of the graph on the canvas: its size and the first row in view. */
export interface IFlameViewport {
  widthPx: number;
  heightPx: number;
  /** Rows scrolled past, from the window's top row. */
  scrollTopPx: number;
}

/** x in CSS px of a time in ms, for `window` over `widthPx`. */
export function flameXPx(
  window: IFlameWindow,
  widthPx: number,
  xMs: number
): number {
  const spanMs = window.x1Ms - window.x0Ms;
  return spanMs > 0 ? ((xMs - window.x0Ms) / spanMs) * widthPx : 0;
}

/** The first index in a row (sorted by start, no overlaps) that ends after `xMs`. */
function firstEndingAfter(
  layout: IFlameLayout,
  row: Int32Array,
  xMs: number,
  from = 0
): number {
  let low = from;
  let high = row.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (layout.rects[row[mid]].x1Ms <= xMs) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/** Draws `window` of `layout` into `context` (already scaled to CSS px). Returns the rectangles drawn. */
export function drawFlame(
  context: CanvasRenderingContext2D,
  layout: IFlameLayout,
  window: IFlameWindow,
  viewport: IFlameViewport,
  palette: IFlamePalette,
  marks: IFlameMarks
): number {
  const { widthPx, heightPx, scrollTopPx } = viewport;
  const spanMs = window.x1Ms - window.x0Ms;
  context.clearRect(0, 0, widthPx, heightPx);
  context.font = palette.font;
  context.textBaseline = 'middle';
  const firstRow = Math.floor(scrollTopPx / FLAME_ROW_PX);
  const lastRow = Math.min(
    window.rowCount - 1,
    Math.floor((scrollTopPx + heightPx) / FLAME_ROW_PX)
  );
  let drawn = 0;
  for (let r = firstRow; r <= lastRow; r++) {
    const row = layout.byRow[window.topRow + r];
    if (row === undefined) {
      continue;
    }
    const yPx = r * FLAME_ROW_PX - scrollTopPx;
    for (
      let k = firstEndingAfter(layout, row, window.x0Ms);
      k < row.length;
      k++
    ) {
      const index = row[k];
      const rect = layout.rects[index];
      if (rect.x0Ms >= window.x1Ms) {
        break;
      }
      if (index < window.first || index >= window.end) {
        continue;
      }
      const x0Px = flameXPx(window, widthPx, rect.x0Ms);
      const x1Px = flameXPx(window, widthPx, rect.x1Ms);
      if (x1Px - x0Px < MIN_DRAWN_PX) {
        // Past every rectangle ending within half a pixel of this one's start:
        // each is narrower than that, so a row costs its pixels, not its spans
        const skipToMs =
          window.x0Ms + ((x0Px + MIN_DRAWN_PX) / widthPx) * spanMs;
        k = Math.max(k, firstEndingAfter(layout, row, skipToMs, k + 1) - 1);
        continue;
      }
      drawn++;
      drawRect(context, index, x0Px, x1Px - x0Px, yPx, layout, palette, marks);
    }
  }
  return drawn;
}

function drawRect(
  context: CanvasRenderingContext2D,
  index: number,
  xPx: number,
  widthPx: number,
  yPx: number,
  layout: IFlameLayout,
  palette: IFlamePalette,
  marks: IFlameMarks
): void {
  const { span } = layout.rects[index].node;
  const heightPx = FLAME_ROW_PX - 1;
  const onPath = marks.critical?.has(span.spanId) ?? false;
  const dimmed =
    (marks.matches !== undefined && !marks.matches.has(span.spanId)) ||
    (marks.shown !== undefined && !marks.shown(layout.rects[index].node));
  context.globalAlpha = dimmed ? 0.3 : 1;
  context.fillStyle =
    palette.types[spanTypeCategory(span.spanType)] ?? palette.types.UNKNOWN;
  context.fillRect(xPx, yPx, Math.max(widthPx - 1, 0.5), heightPx);
  if (span.error) {
    // A red band along the bottom, visible however narrow the rectangle
    context.fillStyle = palette.error;
    context.fillRect(xPx, yPx + heightPx - 4, Math.max(widthPx - 1, 0.5), 4);
  }
  if (onPath) {
    context.fillStyle = palette.critical;
    context.fillRect(xPx, yPx, Math.max(widthPx - 1, 0.5), 2);
  }
  if (widthPx >= MIN_LABEL_PX) {
    context.save();
    context.beginPath();
    context.rect(xPx + 3, yPx, widthPx - 6, heightPx);
    context.clip();
    context.fillStyle = palette.text;
    context.fillText(span.name, xPx + 3, yPx + heightPx / 2);
    context.restore();
  }
  context.globalAlpha = 1;
  const outline =
    span.spanId === marks.selectedId
      ? palette.selected
      : span.spanId === marks.currentMatchId
        ? palette.match
        : index === marks.hoveredIndex
          ? palette.text
          : undefined;
  if (outline !== undefined) {
    context.strokeStyle = outline;
    context.lineWidth = 2;
    context.strokeRect(
      xPx + 1,
      yPx + 1,
      Math.max(widthPx - 3, 0.5),
      heightPx - 2
    );
  }
}
