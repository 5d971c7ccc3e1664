/**
 * The flame graph of a trace: an icicle of the span tree with time on x,
 * drawn on a canvas (HiDPI), coloured by span type, errors marked, search
 * matches highlighted. Clicking a span selects it and zooms into it; the
 * breadcrumbs zoom out; Ctrl/⌘ + wheel, dragging and the keys zoom and pan
 * over time (./usePanZoom.ts); hovering tells the span's figures. Beside the
 * canvas, a list of what is drawn for screen readers and the keyboard.
 *
 * #### Notes
 * The layout (src/trace/flame.ts) is memoized on the trace and its extent;
 * a frame draws only the rows in view and rectangles at least half a pixel
 * wide, at most once per animation frame. Where there is no canvas (jsdom)
 * nothing is drawn and the list still renders.
 */
import React, {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState
} from 'react';
import {
  flameLayout,
  flameRectAt,
  flameWindow,
  ISpanNode,
  ITrace,
  SPAN_TYPES
} from '../../trace';
import { typeClass } from '../classes';
import { useElementWidth } from '../useElementWidth';
import { FLAME_CSS } from './classes';
import { drawFlame, FLAME_ROW_PX, IFlameMarks } from './draw';
import { FlameBreadcrumbs } from './FlameBreadcrumbs';
import { FlameList } from './FlameList';
import { flameHoverLines } from './hoverText';
import { usePalette } from './palette';
import { useFrameDraw } from './useFrameDraw';
import { useFlamePanZoom } from './usePanZoom';

/** The canvas is at most this tall (CSS px); taller graphs scroll. */
const MAX_VIEW_PX = 420;

/** Props of {@link FlameGraph}. */
export interface IFlameGraphProps {
  trace: ITrace;
  /** The extent drawn, ms from the trace's start (a live trace's grows). */
  totalMs: number;
  selectedId: string | undefined;
  /** Search matches while a query is set. */
  matches: ReadonlySet<string> | undefined;
  currentMatchId: string | undefined;
  /** The spans on the critical path, marked. */
  critical?: ReadonlySet<string>;
  /** The spans the explorer's filters keep (critical path only, log level); the rest are dimmed. */
  shown?: (node: ISpanNode) => boolean;
  onSelect: (spanId: string) => void;
}

/** The rectangle under the pointer, and the pointer within the flame graph (for the tooltip). */
interface IHover {
  index: number;
  leftPx: number;
  topPx: number;
}

/** A 2D context for `canvas`, or null where canvases are not implemented. */
function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return canvas.getContext('2d');
  } catch {
    return null;
  }
}

/** The flame graph of `trace`. */
export function FlameGraph(props: IFlameGraphProps): React.ReactElement {
  const { trace, totalMs, selectedId, matches, currentMatchId, onSelect } =
    props;
  const { critical, shown } = props;
  const rootRef = useRef<HTMLDivElement>(null);
  const probesRef = useRef<HTMLDivElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const widthPx = useElementWidth(scrollerRef, 800);
  const palette = usePalette(rootRef, probesRef);
  const [zoomId, setZoomId] = useState<string | undefined>();
  const [hover, setHover] = useState<IHover | null>(null);

  const layout = useMemo(() => flameLayout(trace, totalMs), [trace, totalMs]);
  const zoomWindow = useMemo(
    () => flameWindow(layout, zoomId),
    [layout, zoomId]
  );
  const panZoom = useFlamePanZoom(canvasRef, zoomWindow, widthPx);
  const window = panZoom.view;
  const zoomed =
    zoomId !== undefined && layout.indexById.has(zoomId)
      ? trace.nodeById.get(zoomId)
      : undefined;
  // A span selected elsewhere (search, the tree) outside the zoom: zoom out to show it
  useEffect(() => {
    const index =
      selectedId === undefined ? undefined : layout.indexById.get(selectedId);
    if (index !== undefined && (index < window.first || index >= window.end)) {
      setZoomId(undefined);
    }
    // Only when the selection changes: a zoom by the user stays
  }, [selectedId]);
  const viewHeightPx = Math.max(
    FLAME_ROW_PX,
    Math.min(window.rowCount * FLAME_ROW_PX, MAX_VIEW_PX)
  );

  // The latest of everything a frame draws, read when the frame runs
  const frame = useRef({ layout, window, palette, widthPx, viewHeightPx });
  frame.current = { layout, window, palette, widthPx, viewHeightPx };
  const marks = useRef<IFlameMarks>({
    selectedId,
    matches,
    currentMatchId,
    critical,
    shown,
    hoveredIndex: -1
  });
  marks.current = {
    selectedId,
    matches,
    currentMatchId,
    critical,
    shown,
    hoveredIndex: hover?.index ?? -1
  };
  /** Draws the latest state; false when it cannot yet (no canvas, or the theme not read). */
  const draw = useCallback((): boolean => {
    const canvas = canvasRef.current;
    const context = canvas && context2d(canvas);
    const { layout, window, palette, widthPx, viewHeightPx } = frame.current;
    if (!canvas || !context || !palette) {
      return false;
    }
    const ratio = globalThis.devicePixelRatio || 1;
    const width = Math.round(widthPx * ratio);
    const height = Math.round(viewHeightPx * ratio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    // Counted for the benchmark and the UI tests, which wait for a frame
    canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawFlame(
      context,
      layout,
      window,
      {
        widthPx,
        heightPx: viewHeightPx,
        scrollTopPx: scrollerRef.current?.scrollTop ?? 0
      },
      palette,
      marks.current
    );
    return true;
  }, []);

  // At once, and at most once per animation frame however many changes come in it
  const requestDraw = useFrameDraw(draw);

  useLayoutEffect(requestDraw, [
    requestDraw,
    layout,
    window,
    palette,
    widthPx,
    viewHeightPx,
    selectedId,
    matches,
    currentMatchId,
    critical,
    shown,
    hover?.index
  ]);

  // A new zoom starts at its top row
  useLayoutEffect(() => {
    if (scrollerRef.current) {
      scrollerRef.current.scrollTop = 0;
    }
  }, [zoomWindow]);

  const indexAt = (event: React.MouseEvent): IHover | null => {
    const canvas = canvasRef.current;
    if (!canvas) {
      return null;
    }
    const box = canvas.getBoundingClientRect();
    const xPx = event.clientX - box.left;
    const yPx = event.clientY - box.top;
    const scrollTopPx = scrollerRef.current?.scrollTop ?? 0;
    const row = window.topRow + Math.floor((yPx + scrollTopPx) / FLAME_ROW_PX);
    const xMs =
      window.x0Ms + (xPx / Math.max(widthPx, 1)) * (window.x1Ms - window.x0Ms);
    const index = flameRectAt(layout, window, row, xMs);
    const root = rootRef.current?.getBoundingClientRect() ?? box;
    return index < 0
      ? null
      : {
          index,
          leftPx: event.clientX - root.left,
          topPx: event.clientY - root.top
        };
  };

  const zoomTo = (spanId: string | undefined) => {
    setHover(null);
    setZoomId(spanId);
    panZoom.reset();
  };
  const hovered = hover ? layout.rects[hover.index]?.node : undefined;
  return (
    <div className={FLAME_CSS.flame} ref={rootRef}>
      <FlameBreadcrumbs
        zoomed={zoomed}
        narrowed={panZoom.narrowed}
        onZoom={zoomTo}
      />
      <div
        className={FLAME_CSS.scroller}
        ref={scrollerRef}
        style={{ height: viewHeightPx }}
        onScroll={requestDraw}
      >
        <canvas
          ref={canvasRef}
          className={FLAME_CSS.canvas}
          style={{ width: widthPx, height: viewHeightPx }}
          role="img"
          tabIndex={0}
          aria-label={`Flame graph of ${layout.rects.length} spans`}
          aria-description="Ctrl or Command with the wheel, or + and -, zoom; drag, Shift with the wheel, or the arrow keys pan; 0 shows all"
          onPointerDown={panZoom.onPointerDown}
          onKeyDown={panZoom.onKeyDown}
          onMouseMove={event => setHover(indexAt(event))}
          onMouseLeave={() => setHover(null)}
          onClick={event => {
            const at = panZoom.endsDrag() ? null : indexAt(event);
            if (at) {
              const { spanId } = layout.rects[at.index];
              onSelect(spanId);
              zoomTo(spanId);
            }
          }}
        />
        <div
          style={{
            height: Math.max(0, window.rowCount * FLAME_ROW_PX - viewHeightPx)
          }}
        />
      </div>
      {hover && hovered && (
        <div
          className={FLAME_CSS.tooltip}
          role="tooltip"
          style={{
            // Kept inside the output: at most its max-width from the right edge
            left: Math.min(hover.leftPx + 12, Math.max(0, widthPx - 360)),
            top: hover.topPx + 16
          }}
        >
          {flameHoverLines(hovered).map((line, i) => (
            <div key={i}>{line}</div>
          ))}
        </div>
      )}
      <FlameList
        layout={layout}
        window={window}
        widthPx={widthPx}
        selectedId={selectedId}
        matches={matches}
        onSelect={onSelect}
      />
      <div className={FLAME_CSS.probes} ref={probesRef} aria-hidden={true}>
        {SPAN_TYPES.map(type => (
          <span key={type} data-type={type} className={typeClass(type)} />
        ))}
      </div>
    </div>
  );
}
