/**
 * The budgets the summary broke, one row per violation in the payload's
 * order: which budget, for what (traces, a span name or type, a segment),
 * when (a bucket or the range), its limit and the value that broke it.
 */
import React from 'react';
import {
  formatIntervalSeconds,
  formatUtcMs,
  IQuerySummary,
  IViolation
} from '../../trace';
import { SUMMARY_CSS } from './classes';
import { budgetValueText, segmentLabel, TRACE_BUDGET_LABELS } from './series';

function subjectText(v: IViolation, summary: IQuerySummary): string {
  const what =
    v.budget !== 'span_p90_ms'
      ? 'traces'
      : `${v.spanField === 'span_type' ? 'span type' : 'span name'} ${v.subject}`;
  return v.segment === undefined
    ? what
    : `${what} of segment ${segmentLabel({ value: v.segment }, summary)}`;
}

function whenText(v: IViolation, summary: IQuerySummary): string {
  return v.startTimeMs === undefined
    ? 'the range'
    : `${formatUtcMs(v.startTimeMs)} + ${formatIntervalSeconds(summary.query.intervalSeconds)}`;
}

/** The violations table; nothing when no budget was set. */
export function ViolationTable({
  summary
}: {
  summary: IQuerySummary;
}): React.ReactElement | null {
  const violations = summary.violations;
  if (violations === undefined && !summary.query.budgets) {
    return null;
  }
  return (
    <section className={SUMMARY_CSS.section} aria-label="Budgets">
      <h3 className={SUMMARY_CSS.sectionTitle}>Budgets</h3>
      {!violations || violations.length === 0 ? (
        <div className={SUMMARY_CSS.note}>
          {violations ? 'No budget broken.' : 'No violation was reported.'}
        </div>
      ) : (
        <table className={SUMMARY_CSS.table} aria-label="Broken budgets">
          <thead>
            <tr>
              <th scope="col">budget</th>
              <th scope="col">of</th>
              <th scope="col">when</th>
              <th scope="col">limit</th>
              <th scope="col">value</th>
            </tr>
          </thead>
          <tbody>
            {violations.map((v, i) => (
              <tr key={i} className={SUMMARY_CSS.broken}>
                <td>{TRACE_BUDGET_LABELS[v.budget]}</td>
                <td>{subjectText(v, summary)}</td>
                <td>{whenText(v, summary)}</td>
                <td className={SUMMARY_CSS.number}>
                  {budgetValueText(v.budget, v.limit)}
                </td>
                <td className={SUMMARY_CSS.number}>
                  {budgetValueText(v.budget, v.value)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
