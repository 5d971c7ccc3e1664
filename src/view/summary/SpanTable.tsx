/**
 * Where time and cost go: span names and span types ranked by their total
 * time, each with a bar of its share of the traces' time and of the cost,
 * its count, errors, p50 and p90, and its budget when one is set. A row's
 * button lists the traces that hold such a span.
 */
import React from 'react';
import {
  formatCount,
  formatDurationMs,
  formatPercent,
  formatUsd,
  IQuerySummary,
  ISpanRow
} from '../../trace';
import { SUMMARY_CSS } from './classes';
import { spanViolation } from './series';

/** A span row picked to list its traces. */
export interface ISpanPick {
  field: 'span_name' | 'span_type';
  key: string;
}

/** Props of {@link SpanTables}. */
export interface ISpanTablesProps {
  summary: IQuerySummary;
  onPick?: (pick: ISpanPick) => void;
}

function ShareBar({
  share,
  label
}: {
  share: number | null;
  label: string;
}): React.ReactElement {
  // Shares of nested spans may sum to over 1: the bar is capped, the text is not.
  const widthPercent = share === null ? 0 : Math.min(share, 1) * 100;
  return (
    <span className={SUMMARY_CSS.shareBar} title={label}>
      <span className={SUMMARY_CSS.shareTrack}>
        <span
          className={SUMMARY_CSS.shareFill}
          style={{ width: `${widthPercent}%` }}
        />
      </span>
      <span>{formatPercent(share)}</span>
    </span>
  );
}

function SpanTable(
  props: ISpanTablesProps & {
    field: 'span_name' | 'span_type';
    rows: readonly ISpanRow[];
  }
): React.ReactElement {
  const { summary, field, rows, onPick } = props;
  const noun = field === 'span_name' ? 'span name' : 'span type';
  const budgets = (summary.query.budgets?.spans ?? []).filter(
    b => b.field === field
  );
  return (
    <table
      className={SUMMARY_CSS.table}
      aria-label={`Time and cost by ${noun}`}
    >
      <thead>
        <tr>
          <th scope="col">{noun}</th>
          <th scope="col">share of time</th>
          <th scope="col">share of cost</th>
          <th scope="col">count</th>
          <th scope="col">errors</th>
          <th scope="col">p50</th>
          <th scope="col">p90</th>
          <th scope="col">total time</th>
          <th scope="col">cost</th>
          {budgets.length > 0 && <th scope="col">p90 budget</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => {
          const broken = spanViolation(summary, field, row.key);
          const budget = budgets.find(b => b.key === row.key);
          return (
            <tr key={i} className={broken ? SUMMARY_CSS.broken : ''}>
              <th scope="row">
                {onPick ? (
                  <button
                    type="button"
                    className={SUMMARY_CSS.rowButton}
                    title={`List the traces with a span of ${noun} ${row.key}`}
                    onClick={() => onPick({ field, key: row.key })}
                  >
                    {row.key}
                  </button>
                ) : (
                  row.key
                )}
              </th>
              <td>
                <ShareBar
                  share={row.shareTime}
                  label="share of the traces' time"
                />
              </td>
              <td>
                <ShareBar share={row.shareCost} label="share of the cost" />
              </td>
              <td className={SUMMARY_CSS.number}>{formatCount(row.count)}</td>
              <td className={SUMMARY_CSS.number}>{formatCount(row.errors)}</td>
              <td className={SUMMARY_CSS.number}>
                {formatDurationMs(row.latencyMs?.p50)}
              </td>
              <td className={SUMMARY_CSS.number}>
                {formatDurationMs(row.latencyMs?.p90)}
              </td>
              <td className={SUMMARY_CSS.number}>
                {formatDurationMs(row.totalMs)}
              </td>
              <td className={SUMMARY_CSS.number}>{formatUsd(row.cost)}</td>
              {budgets.length > 0 && (
                <td className={SUMMARY_CSS.number}>
                  {budget ? formatDurationMs(budget.p90Ms) : ''}
                  {broken ? ' (over)' : ''}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Both tables; nothing when the summary has no span figures. */
export function SpanTables(props: ISpanTablesProps): React.ReactElement | null {
  const spans = props.summary.spans;
  if (!spans) {
    return null;
  }
  return (
    <section
      className={SUMMARY_CSS.section}
      aria-label="Where time and cost go"
    >
      <h3 className={SUMMARY_CSS.sectionTitle}>Where time and cost go</h3>
      {spans.byName.length === 0 && spans.byType.length === 0 ? (
        <div className={SUMMARY_CSS.note}>No span in the range.</div>
      ) : (
        <>
          <SpanTable {...props} field="span_name" rows={spans.byName} />
          <SpanTable {...props} field="span_type" rows={spans.byType} />
        </>
      )}
    </section>
  );
}
