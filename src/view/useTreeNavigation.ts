/**
 * State of one trace's tree: collapsed spans, the selected span, the
 * keyboard cursor, and revealing a span (expanding its ancestors and
 * scrolling to it).
 */
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { ISpanNode, ITrace } from '../trace';
import { ancestorIds, collapsibleIds, visibleRows } from './rows';

/** What {@link useTreeNavigation} gives the view. */
export interface ITreeNavigation {
  rows: ISpanNode[];
  collapsed: ReadonlySet<string>;
  selectedId: string | undefined;
  activeIndex: number;
  scrollRequest: number;
  toggle: (spanId: string) => void;
  expandAll: () => void;
  collapseAll: () => void;
  selectRow: (rowIndex: number, spanId: string) => void;
  activateRow: (rowIndex: number) => void;
  /** Expand the ancestors of a span, select it and scroll to it. */
  reveal: (spanId: string) => void;
  onKeyDown: (event: React.KeyboardEvent) => void;
}

interface IActiveRow {
  spanId: string | undefined;
  index: number;
}

/**
 * Tree state for `trace`; starts fully expanded with the first root selected.
 * `keep` (memoized by the caller: a new function re-filters) hides the rows it
 * refuses, so the cursor and the arrow keys walk only the rows shown; it
 * should keep the ancestors of what it keeps, or the tree loses its shape.
 */
export function useTreeNavigation(
  trace: ITrace,
  keep?: (node: ISpanNode) => boolean
): ITreeNavigation {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(
    () => new Set()
  );
  const [selectedId, setSelectedId] = useState<string | undefined>(
    trace.roots[0]?.span.spanId
  );
  // The cursor is kept by span, so rows a live update inserts above it do
  // not move it; its index is the fallback once its row is hidden or gone.
  const [active, setActive] = useState<IActiveRow>(() => ({
    spanId: trace.roots[0]?.span.spanId,
    index: 0
  }));
  const [scrollRequest, setScrollRequest] = useState(0);
  const [pendingReveal, setPendingReveal] = useState<string | undefined>();

  const rows = useMemo(() => {
    const visible = visibleRows(trace, collapsed);
    return keep ? visible.filter(keep) : visible;
  }, [trace, collapsed, keep]);
  const activeIndex = useMemo(() => {
    const found =
      active.spanId === undefined
        ? -1
        : rows.findIndex(node => node.span.spanId === active.spanId);
    return found >= 0 ? found : Math.min(active.index, rows.length - 1);
  }, [rows, active]);

  // Once a revealed span's ancestors are expanded, find its row and scroll there.
  useEffect(() => {
    if (pendingReveal === undefined) {
      return;
    }
    const index = rows.findIndex(node => node.span.spanId === pendingReveal);
    if (index >= 0) {
      setActive({ spanId: pendingReveal, index });
      setScrollRequest(request => request + 1);
    }
    setPendingReveal(undefined);
  }, [rows, pendingReveal]);

  const toggle = useCallback((spanId: string) => {
    setCollapsed(previous => {
      const next = new Set(previous);
      if (!next.delete(spanId)) {
        next.add(spanId);
      }
      return next;
    });
  }, []);

  const expandAll = useCallback(() => setCollapsed(new Set()), []);
  const collapseAll = useCallback(() => {
    setCollapsed(collapsibleIds(trace));
    setActive({ spanId: trace.roots[0]?.span.spanId, index: 0 });
  }, [trace]);

  // Given the row's span, so it stays one function while the rows change
  // (a live trace): rows memoized on their props are not drawn again.
  const selectRow = useCallback((rowIndex: number, spanId: string) => {
    setActive({ spanId, index: rowIndex });
    setSelectedId(spanId);
  }, []);

  const activateRow = useCallback(
    (rowIndex: number) => {
      const index = Math.min(Math.max(rowIndex, 0), rows.length - 1);
      setActive({ spanId: rows[index]?.span.spanId, index });
      setScrollRequest(request => request + 1);
    },
    [rows]
  );

  const reveal = useCallback(
    (spanId: string) => {
      const node = trace.nodeById.get(spanId);
      if (!node) {
        return;
      }
      const ancestors = ancestorIds(node);
      setCollapsed(previous =>
        ancestors.some(id => previous.has(id))
          ? new Set([...previous].filter(id => !ancestors.includes(id)))
          : previous
      );
      setSelectedId(spanId);
      setPendingReveal(spanId);
    },
    [trace]
  );

  const onKeyDown = useCallback(
    (event: React.KeyboardEvent) => {
      const node = rows[activeIndex];
      if (!node) {
        return;
      }
      const spanId = node.span.spanId;
      const expandable = node.children.length > 0;
      switch (event.key) {
        case 'ArrowDown':
          activateRow(activeIndex + 1);
          break;
        case 'ArrowUp':
          activateRow(activeIndex - 1);
          break;
        case 'Home':
          activateRow(0);
          break;
        case 'End':
          activateRow(rows.length - 1);
          break;
        case 'ArrowRight':
          if (expandable && collapsed.has(spanId)) {
            toggle(spanId);
          } else if (expandable) {
            activateRow(activeIndex + 1);
          }
          break;
        case 'ArrowLeft':
          if (expandable && !collapsed.has(spanId)) {
            toggle(spanId);
          } else if (node.parent) {
            activateRow(rows.lastIndexOf(node.parent, activeIndex));
          }
          break;
        case 'Enter':
        case ' ':
          selectRow(activeIndex, spanId);
          break;
        default:
          return;
      }
      event.preventDefault();
      event.stopPropagation();
    },
    [rows, activeIndex, collapsed, toggle, activateRow, selectRow]
  );

  return {
    rows,
    collapsed,
    selectedId,
    activeIndex,
    scrollRequest,
    toggle,
    expandAll,
    collapseAll,
    selectRow,
    activateRow,
    reveal,
    onKeyDown
  };
}
