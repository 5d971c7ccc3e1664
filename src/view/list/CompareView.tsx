/**
 * Two traces side by side: spans aligned by name path, with duration, status,
 * token and cost deltas, each side's cost and models, spans present in one trace marked, and a diff of the
 * inputs and outputs of the selected pair.
 */
import React, { useCallback, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  compareTraces,
  formatCount,
  formatDurationMs,
  formatUsd,
  IAlignedSpan,
  ITrace,
  modelsText,
  summarizeTrace
} from '../../trace';
import { CSS } from '../classes';
import { PairDiff } from './PairDiff';

/** Props of {@link CompareView}. */
export interface ICompareViewProps {
  left: ITrace;
  right: ITrace;
}

/** Height of every aligned row: uniform rows keep virtualization exact. */
const ROW_HEIGHT_PX = 24;
const OVERSCAN_ROWS = 8;
const rowHeight = () => ROW_HEIGHT_PX;

function signed(value: number | null, format: (n: number) => string): string {
  if (value === null) {
    return '';
  }
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${format(Math.abs(value))}`;
}

/** The comparison of two traces. */
export function CompareView({
  left,
  right
}: ICompareViewProps): React.ReactElement {
  const comparison = useMemo(() => compareTraces(left, right), [left, right]);
  const [selectedKey, setSelectedKey] = useState<string | undefined>(
    comparison.rows[0]?.key
  );
  const selected = comparison.rows.find(row => row.key === selectedKey);
  const [leftSummary, rightSummary] = [
    summarizeTrace(left),
    summarizeTrace(right)
  ];
  return (
    <div className="jp-MlflowTraceCompare">
      <div className={CSS.facts}>
        <span className={CSS.fact}>
          A: {leftSummary.name} {leftSummary.traceId}
        </span>
        <span className={CSS.fact}>
          B: {rightSummary.name} {rightSummary.traceId}
        </span>
        <span className={CSS.fact} aria-label="Total duration delta">
          duration {signed(comparison.totalDurationDeltaMs, formatDurationMs)}
        </span>
        <span className={CSS.fact} aria-label="Total token delta">
          tokens {signed(comparison.totalTokenDelta, formatCount) || 'n/a'}
        </span>
        <span className={CSS.fact} aria-label="Total cost">
          cost A {formatUsd(leftSummary.cost?.total)} · B{' '}
          {formatUsd(rightSummary.cost?.total)}
          {comparison.totalCostDelta !== null &&
            ` (${signed(comparison.totalCostDelta, formatUsd)})`}
        </span>
        {(leftSummary.models.length > 0 || rightSummary.models.length > 0) && (
          <span className={CSS.fact} aria-label="Models">
            models A {modelsText(leftSummary.models) || '–'} · B{' '}
            {modelsText(rightSummary.models) || '–'}
          </span>
        )}
        <span className={CSS.fact}>
          {comparison.onlyLeft} only in A · {comparison.onlyRight} only in B
        </span>
      </div>
      <div className={CSS.body}>
        <AlignedTable
          rows={comparison.rows}
          selectedKey={selectedKey}
          onSelect={setSelectedKey}
        />
        {selected && <PairDiff row={selected} />}
      </div>
    </div>
  );
}

/** The aligned rows, virtualized: the DOM holds only the rows in view. */
function AlignedTable(props: {
  rows: IAlignedSpan[];
  selectedKey: string | undefined;
  onSelect: (key: string) => void;
}): React.ReactElement {
  const { rows } = props;
  const scrollerRef = useRef<HTMLDivElement>(null);
  // Stable between renders, or the virtualizer re-measures every row.
  const getItemKey = useCallback((index: number) => rows[index].key, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: rowHeight,
    overscan: OVERSCAN_ROWS,
    getItemKey,
    initialRect: { width: 800, height: 400 }
  });
  return (
    <div
      role="table"
      aria-label="Aligned spans"
      aria-rowcount={rows.length + 1}
      className="jp-MlflowTraceCompare-table"
      ref={scrollerRef}
    >
      <div
        role="row"
        aria-rowindex={1}
        className="jp-MlflowTraceCompare-row jp-MlflowTraceList-head"
      >
        {['Span', 'A', 'B', 'Δ duration', 'Status', 'Δ tokens', 'Δ cost'].map(
          title => (
            <span key={title} role="columnheader">
              {title}
            </span>
          )
        )}
      </div>
      <div
        role="rowgroup"
        className="jp-MlflowTraceCompare-rows"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map(item => (
          <AlignedRow
            key={item.key}
            row={rows[item.index]}
            rowIndex={item.index}
            topPx={item.start}
            selected={rows[item.index].key === props.selectedKey}
            onSelect={props.onSelect}
          />
        ))}
      </div>
    </div>
  );
}

function AlignedRow(props: {
  row: IAlignedSpan;
  rowIndex: number;
  topPx: number;
  selected: boolean;
  onSelect: (key: string) => void;
}): React.ReactElement {
  const { row } = props;
  const presence = !row.left
    ? 'jp-mod-onlyRight'
    : !row.right
      ? 'jp-mod-onlyLeft'
      : '';
  const status = (node: IAlignedSpan['left']) => node?.span.status ?? '—';
  return (
    <div
      role="row"
      aria-rowindex={props.rowIndex + 2}
      data-key={row.key}
      aria-selected={props.selected}
      style={{ top: props.topPx, height: ROW_HEIGHT_PX }}
      className={`jp-MlflowTraceCompare-row ${presence} ${props.selected ? CSS.modSelected : ''}`}
      onClick={() => props.onSelect(row.key)}
    >
      <span role="cell" style={{ paddingLeft: 4 + row.depth * 12 }}>
        {row.name}
        {!row.left && <span className={CSS.tag}> only in B</span>}
        {!row.right && <span className={CSS.tag}> only in A</span>}
      </span>
      <span role="cell">
        {row.left ? formatDurationMs(row.left.durationMs) : ''}
      </span>
      <span role="cell">
        {row.right ? formatDurationMs(row.right.durationMs) : ''}
      </span>
      <span role="cell" className="jp-MlflowTraceCompare-delta">
        {signed(row.durationDeltaMs, formatDurationMs)}
      </span>
      <span role="cell" className={row.statusChanged ? CSS.modError : ''}>
        {row.statusChanged
          ? `${status(row.left)} → ${status(row.right)}`
          : status(row.left ?? row.right)}
      </span>
      <span role="cell">{signed(row.tokenDelta, formatCount)}</span>
      <span role="cell">{signed(row.costDelta, formatUsd)}</span>
    </div>
  );
}
