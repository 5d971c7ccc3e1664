/**
 * The span tree and the timeline, one row per visible span, in one
 * virtualized scroller so both scroll together. The DOM holds only the rows
 * in view plus a small overscan, whatever the span count.
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatDurationMs, ICriticalPath, ISpanNode } from '../trace';
import { CSS } from './classes';
import { criticalPercentText, criticalRowLabel } from './critical';
import { ILiveView, openDurationMs } from './live';
import { IHoveredSpan, SpanRow } from './SpanRow';
import { TimelineAxis } from './TimelineAxis';
import { TimeWindow } from './timeline';
import { useElementWidth } from './useElementWidth';

/** Height of every row: uniform rows keep virtualization exact. */
export const ROW_HEIGHT_PX = 24;
// Rows are drawn in the scroll event itself, so a few suffice
const OVERSCAN_ROWS = 3;
const rowHeight = () => ROW_HEIGHT_PX;

/** Props of {@link SpanRows}. */
export interface ISpanRowsProps {
  rows: ISpanNode[];
  collapsed: ReadonlySet<string>;
  /** Ids of spans with a failed span below them (`failedBelowIds`). */
  failedBelow: ReadonlySet<string>;
  selectedId: string | undefined;
  activeIndex: number;
  matches: ReadonlySet<string>;
  currentMatchId: string | undefined;
  /** Bumped to scroll `activeIndex` into view. */
  scrollRequest: number;
  window: TimeWindow;
  totalMs: number;
  onZoom: (window: TimeWindow) => void;
  onToggle: (spanId: string) => void;
  onSelectRow: (rowIndex: number, spanId: string) => void;
  onKeyDown: (event: React.KeyboardEvent) => void;
  /** Set for a live trace: its open spans are drawn to the view's moment and marked. */
  live?: ILiveView;
  /** Spans with assessments: their rows carry a mark. */
  assessed?: ReadonlySet<string>;
  /**
   * The trace's critical path: its rows carry a mark, their bars its part.
   * Not drawn while a live trace runs: its end, and so its path, is not known.
   */
  critical?: ICriticalPath;
}

interface IHover extends IHoveredSpan {
  xPx: number;
  yPx: number;
}

/** The tree and timeline rows. */
export function SpanRows(props: ISpanRowsProps): React.ReactElement {
  const { rows } = props;
  const paneRef = useRef<HTMLDivElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const axisRef = useRef<HTMLDivElement>(null);
  const axisWidthPx = useElementWidth(axisRef, 400);
  const [hover, setHover] = useState<IHover | null>(null);

  // Stable between renders: the virtualizer re-measures every row (O(n))
  // whenever these functions change identity, which would make each scroll
  // frame cost as much as the whole trace.
  const getItemKey = useCallback(
    (index: number) => rows[index].span.spanId,
    [rows]
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: rowHeight,
    overscan: OVERSCAN_ROWS,
    getItemKey,
    initialRect: { width: 800, height: 400 }
  });

  useEffect(() => {
    if (props.activeIndex >= 0 && props.activeIndex < rows.length) {
      virtualizer.scrollToIndex(props.activeIndex, { align: 'auto' });
    }
    // Only an explicit request scrolls; selection by click must not jump.
  }, [props.scrollRequest]);

  const onHover = useCallback(
    (hovered: IHoveredSpan | null, event?: React.MouseEvent) => {
      const box = paneRef.current?.getBoundingClientRect();
      setHover(
        hovered && event && box
          ? {
              ...hovered,
              xPx: event.clientX - box.left,
              yPx: event.clientY - box.top
            }
          : null
      );
    },
    []
  );

  const { live } = props;
  const critical = live?.phase === 'running' ? undefined : props.critical;
  const activeRow = rows[props.activeIndex];
  const virtualItems = virtualizer.getVirtualItems();
  return (
    <div className={CSS.rowsPane} ref={paneRef}>
      <div className="jp-MlflowTrace-axisRow">
        <div className={CSS.axisSpacer} />
        <div className="jp-MlflowTrace-axisCell" ref={axisRef}>
          <TimelineAxis
            window={props.window}
            totalMs={props.totalMs}
            widthPx={axisWidthPx}
            onZoom={props.onZoom}
          />
        </div>
      </div>
      <div className={CSS.scroller} ref={scrollerRef}>
        <div
          role="tree"
          aria-label="Spans"
          tabIndex={0}
          aria-activedescendant={
            activeRow
              ? `jp-MlflowTrace-row-${activeRow.span.spanId}`
              : undefined
          }
          className="jp-MlflowTrace-tree"
          style={{ height: virtualizer.getTotalSize() }}
          onKeyDown={props.onKeyDown}
        >
          {virtualItems.map(item => {
            const node = rows[item.index];
            const spanId = node.span.spanId;
            const expanded = !props.collapsed.has(spanId);
            const open = live?.openIds.has(spanId) ? live : undefined;
            return (
              <SpanRow
                key={item.key}
                span={node.span}
                depth={node.depth}
                hasChildren={node.children.length > 0}
                startOffsetMs={node.startOffsetMs}
                durationMs={open ? openDurationMs(node, open) : node.durationMs}
                livePhase={open?.phase}
                rowIndex={item.index}
                topPx={item.start}
                heightPx={ROW_HEIGHT_PX}
                expanded={expanded}
                failedBelow={!expanded && props.failedBelow.has(spanId)}
                assessed={props.assessed?.has(spanId) ?? false}
                criticalPercent={criticalPercentText(critical, spanId)}
                criticalStartMs={critical?.windowBySpan.get(spanId)?.[0]}
                criticalEndMs={critical?.windowBySpan.get(spanId)?.[1]}
                selected={spanId === props.selectedId}
                active={item.index === props.activeIndex}
                match={props.matches.has(spanId)}
                currentMatch={spanId === props.currentMatchId}
                window={props.window}
                onToggle={props.onToggle}
                onClick={props.onSelectRow}
                onHover={onHover}
              />
            );
          })}
        </div>
      </div>
      {hover && (
        <div
          className={CSS.tooltip}
          role="tooltip"
          style={{ left: hover.xPx + 12, top: hover.yPx + 12 }}
        >
          <div>
            <strong>{hover.span.name}</strong>
          </div>
          <div>type {hover.span.spanType}</div>
          <div>starts at +{formatDurationMs(hover.startOffsetMs)}</div>
          <div>duration {formatDurationMs(hover.durationMs)}</div>
          {critical?.spanIds.has(hover.span.spanId) && (
            <div>
              {criticalRowLabel(
                criticalPercentText(critical, hover.span.spanId)!
              )}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
