/**
 * The flame graph for screen readers and the keyboard: a list of the spans
 * drawn in the current zoom (those at least half a pixel wide), in tree
 * order, up to a bound; a button per span selects it. Visually hidden until
 * it holds the focus. It follows the canvas a render behind (a deferred
 * value), so its work never delays a frame of the canvas.
 */
import React, { useDeferredValue, useMemo } from 'react';
import { IFlameLayout, IFlameWindow } from '../../trace';
import { CSS } from '../classes';
import { FLAME_CSS } from './classes';
import { flameXPx, MIN_DRAWN_PX } from './draw';
import { flameItemText } from './hoverText';

/** At most this many spans are listed; zooming in lists the rest. */
export const MAX_LISTED = 200;

/** Props of {@link FlameList}. */
export interface IFlameListProps {
  layout: IFlameLayout;
  window: IFlameWindow;
  widthPx: number;
  selectedId: string | undefined;
  matches: ReadonlySet<string> | undefined;
  onSelect: (spanId: string) => void;
}

/** Indexes of the rectangles drawn in `window`, in tree order, and how many there are in all. */
export function drawnIndexes(
  layout: IFlameLayout,
  window: IFlameWindow,
  widthPx: number,
  limit: number
): { indexes: number[]; total: number } {
  const indexes: number[] = [];
  let total = 0;
  for (let i = window.first; i < window.end; i++) {
    const rect = layout.rects[i];
    const widePx =
      flameXPx(window, widthPx, Math.min(rect.x1Ms, window.x1Ms)) -
      flameXPx(window, widthPx, Math.max(rect.x0Ms, window.x0Ms));
    if (widePx >= MIN_DRAWN_PX) {
      total++;
      if (indexes.length < limit) {
        indexes.push(i);
      }
    }
  }
  return { indexes, total };
}

/** The list of what the flame graph draws. */
export function FlameList(props: IFlameListProps): React.ReactElement {
  const { layout, selectedId, matches, onSelect } = props;
  // Behind the canvas: a zoom or pan draws in its frame, the list follows
  const window = useDeferredValue(props.window);
  const widthPx = useDeferredValue(props.widthPx);
  const { indexes, total } = useMemo(
    () => drawnIndexes(layout, window, widthPx, MAX_LISTED),
    [layout, window, widthPx]
  );
  return (
    <div className={FLAME_CSS.list}>
      <ul aria-label="Spans in the flame graph">
        {indexes.map(index => {
          const { node, spanId } = layout.rects[index];
          return (
            <li key={spanId} style={{ paddingLeft: node.depth * 8 }}>
              <button
                className={`${CSS.button} ${spanId === selectedId ? CSS.modSelected : ''}`}
                aria-pressed={spanId === selectedId}
                data-span-id={spanId}
                onClick={() => onSelect(spanId)}
              >
                {flameItemText(node, matches?.has(spanId) ?? false)}
              </button>
            </li>
          );
        })}
      </ul>
      {total > indexes.length && (
        <p>
          {total - indexes.length} more spans are drawn; zoom in to list them.
        </p>
      )}
    </div>
  );
}
