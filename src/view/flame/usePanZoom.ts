/**
 * The flame graph's free zoom and pan over time: Ctrl/⌘ + wheel zooms around
 * the pointer, a sideways wheel (or Shift + wheel) and dragging pan, and
 * the keys + - ← → 0 do the same on the focused canvas. A plain vertical
 * wheel is left alone, so the notebook still scrolls.
 *
 * #### Notes
 * The range belongs to one zoom window: a new window (a span zoomed into,
 * or the trace grown) starts whole. The wheel listener is registered by
 * hand because React's is passive and could not keep the page from zooming.
 * A change from a wheel or a drag is rendered at once (flushSync), so the
 * canvas draws it in the frame of its event, not a frame later.
 */
import React, {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState
} from 'react';
import { flushSync } from 'react-dom';
import {
  flameView,
  IFlameRange,
  IFlameWindow,
  isWholeFlameWindow,
  panFlameRange,
  zoomFlameRange
} from '../../trace';

/** Pointer travel (CSS px) after which a press is a drag, not a click. */
const DRAG_PX = 3;

/** Wheel zoom per pixel of wheel travel. */
const WHEEL_ZOOM_PER_PX = 0.002;

/** A key's zoom step and pan step (fraction of the range). */
const KEY_ZOOM = 0.8;
const KEY_PAN = 0.1;

/** What {@link useFlamePanZoom} gives the flame graph. */
export interface IFlamePanZoom {
  /** The window as drawn: the zoom window through the free range. */
  view: IFlameWindow;
  /** Whether the view shows less than all of its window. */
  narrowed: boolean;
  reset: () => void;
  /** Handlers for the canvas. */
  onPointerDown: (event: React.PointerEvent) => void;
  onKeyDown: (event: React.KeyboardEvent) => void;
  /** Whether a click ends a drag (and so selects nothing). */
  endsDrag: () => boolean;
}

/** Wheel travel in CSS px, whatever unit the event counts in. */
function wheelPx(delta: number, mode: number, pagePx: number): number {
  return mode === 1 ? delta * 16 : mode === 2 ? delta * pagePx : delta;
}

/** The free zoom and pan of `window`, drawn `widthPx` wide on `canvas`. */
export function useFlamePanZoom(
  canvasRef: React.RefObject<HTMLCanvasElement>,
  window: IFlameWindow,
  widthPx: number
): IFlamePanZoom {
  const [state, setState] = useState<{
    window: IFlameWindow;
    range: IFlameRange;
  }>();
  const range =
    state?.window === window
      ? state.range
      : { x0Ms: window.x0Ms, x1Ms: window.x1Ms };
  // One object per window and range: the drawing and the list key on it
  const view = useMemo(
    () => flameView(window, range),
    [window, range.x0Ms, range.x1Ms]
  );
  // The latest, for listeners registered once
  const latest = useRef({ window, range, widthPx });
  latest.current = { window, range, widthPx };
  const drag = useRef<{
    startPx: number;
    start: IFlameRange;
    moved: boolean;
  }>();
  const dragged = useRef(false);

  const set = useCallback((next: IFlameRange) => {
    flushSync(() => setState({ window: latest.current.window, range: next }));
  }, []);
  const msPerPx = () => {
    const { range, widthPx } = latest.current;
    return (range.x1Ms - range.x0Ms) / Math.max(widthPx, 1);
  };
  const zoomAt = (factor: number, fraction: number) => {
    const { window, range } = latest.current;
    const anchorMs = range.x0Ms + fraction * (range.x1Ms - range.x0Ms);
    set(zoomFlameRange(window, range, factor, anchorMs));
  };
  const panPx = (px: number) => {
    const { window, range } = latest.current;
    set(panFlameRange(window, range, px * msPerPx()));
  };

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) {
      return;
    }
    const onWheel = (event: WheelEvent) => {
      const widthPx = Math.max(latest.current.widthPx, 1);
      const dx = wheelPx(event.deltaX, event.deltaMode, widthPx);
      const dy = wheelPx(event.deltaY, event.deltaMode, widthPx);
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        const left = canvas.getBoundingClientRect().left;
        const fraction = (event.clientX - left) / widthPx;
        zoomAt(Math.exp(dy * WHEEL_ZOOM_PER_PX), fraction);
      } else if (event.shiftKey || Math.abs(dx) > Math.abs(dy)) {
        event.preventDefault();
        panPx(event.shiftKey && dx === 0 ? dy : dx);
      }
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, []);

  const onPointerDown = (event: React.PointerEvent) => {
    if (event.button !== 0) {
      return;
    }
    const canvas = event.currentTarget as HTMLElement;
    drag.current = { startPx: event.clientX, start: range, moved: false };
    dragged.current = false;
    const onMove = (move: PointerEvent) => {
      const at = drag.current;
      if (!at) {
        return;
      }
      const dx = move.clientX - at.startPx;
      at.moved ||= Math.abs(dx) > DRAG_PX;
      if (at.moved) {
        const { window } = latest.current;
        set(panFlameRange(window, at.start, -dx * msPerPx()));
      }
    };
    const onUp = () => {
      dragged.current = drag.current?.moved ?? false;
      drag.current = undefined;
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointercancel', onUp);
    };
    canvas.setPointerCapture?.(event.pointerId);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointercancel', onUp);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const step = KEY_PAN * Math.max(widthPx, 1);
    const act: Record<string, () => void> = {
      '+': () => zoomAt(KEY_ZOOM, 0.5),
      '=': () => zoomAt(KEY_ZOOM, 0.5),
      '-': () => zoomAt(1 / KEY_ZOOM, 0.5),
      ArrowLeft: () => panPx(-step),
      ArrowRight: () => panPx(step),
      '0': () => set({ x0Ms: window.x0Ms, x1Ms: window.x1Ms })
    };
    const action = act[event.key];
    if (action && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      action();
    }
  };

  return {
    view,
    narrowed: !isWholeFlameWindow(window, view),
    reset: () => setState(undefined),
    onPointerDown,
    onKeyDown,
    endsDrag: () => {
      const was = dragged.current;
      dragged.current = false;
      return was;
    }
  };
}
