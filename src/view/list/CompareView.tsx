/**
 * Two traces side by side: spans aligned by name path, with duration, status
 * and token deltas, spans present in one trace marked, and a diff of the
 * inputs and outputs of the selected pair.
 */
import React, { useMemo, useState } from 'react';
import { diffLines } from 'diff';
import {
  compareTraces,
  formatCount,
  formatDurationMs,
  IAlignedSpan,
  ITrace,
  summarizeTrace
} from '../../trace';
import { CSS } from '../classes';
import { toDisplayText } from '../format';

/** Props of {@link CompareView}. */
export interface ICompareViewProps {
  left: ITrace;
  right: ITrace;
}

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
        <span className={CSS.fact}>
          {comparison.onlyLeft} only in A · {comparison.onlyRight} only in B
        </span>
      </div>
      <div className={CSS.body}>
        <div
          role="table"
          aria-label="Aligned spans"
          className="jp-MlflowTraceCompare-table"
        >
          <div
            role="row"
            className="jp-MlflowTraceCompare-row jp-MlflowTraceList-head"
          >
            {['Span', 'A', 'B', 'Δ duration', 'Status', 'Δ tokens'].map(
              title => (
                <span key={title} role="columnheader">
                  {title}
                </span>
              )
            )}
          </div>
          {comparison.rows.map(row => (
            <AlignedRow
              key={row.key}
              row={row}
              selected={row.key === selectedKey}
              onSelect={setSelectedKey}
            />
          ))}
        </div>
        {selected && <PairDiff row={selected} />}
      </div>
    </div>
  );
}

function AlignedRow(props: {
  row: IAlignedSpan;
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
      data-key={row.key}
      aria-selected={props.selected}
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
    </div>
  );
}

/** A line diff of the pair's inputs and outputs, as text. */
function PairDiff({ row }: { row: IAlignedSpan }): React.ReactElement {
  const parts = (key: 'inputs' | 'outputs') =>
    diffLines(
      toDisplayText(row.left?.span[key]) + '\n',
      toDisplayText(row.right?.span[key]) + '\n'
    );
  return (
    <div className={CSS.details} aria-label="Span diff">
      <h3 className="jp-MlflowTrace-detailsTitle">{row.name}</h3>
      {(['inputs', 'outputs'] as const).map(key => (
        <details key={key} className={CSS.section} open>
          <summary>{key === 'inputs' ? 'Inputs' : 'Outputs'}</summary>
          <pre className="jp-MlflowTraceCompare-diff">
            {parts(key).map((part, index) => (
              <span
                key={index}
                className={
                  part.added
                    ? 'jp-mod-added'
                    : part.removed
                      ? 'jp-mod-removed'
                      : ''
                }
              >
                {part.value
                  .replace(/\n$/, '')
                  .split('\n')
                  .map(
                    line =>
                      `${part.added ? '+ ' : part.removed ? '- ' : '  '}${line}\n`
                  )
                  .join('')}
              </span>
            ))}
          </pre>
        </details>
      ))}
    </div>
  );
}
