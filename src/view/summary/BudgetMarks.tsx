/**
 * A budget on a chart: a dashed line at its limit, labelled, and a mark
 * over each bucket that broke it.
 */
import React from 'react';
import { ScaleBand } from 'd3-scale';
import { SUMMARY_CSS } from './classes';
import type { IChartBudget } from './SummaryChart';

const MARK_HEIGHT_PX = 4;

/** Props of {@link BudgetMarks}. */
export interface IBudgetMarksProps {
  budget: IChartBudget;
  x: ScaleBand<number>;
  plotTopPx: number;
  plotHeightPx: number;
}

/** The budget line and the broken buckets' marks. */
export function BudgetMarks(props: IBudgetMarksProps): React.ReactElement {
  const { budget, x, plotTopPx, plotHeightPx } = props;
  const [left, right] = x.range();
  const band = x.step();
  const top = Math.min(Math.max(budget.y, plotTopPx), plotTopPx + plotHeightPx);
  return (
    <g>
      {Array.from(budget.broken, index => (
        <g key={index} data-broken={index}>
          <rect
            className={SUMMARY_CSS.brokenBand}
            x={(x(index) ?? 0) - (band - x.bandwidth()) / 2}
            y={plotTopPx}
            width={band}
            height={plotHeightPx}
          />
          <rect
            className={SUMMARY_CSS.brokenMark}
            x={(x(index) ?? 0) - (band - x.bandwidth()) / 2}
            y={plotTopPx - MARK_HEIGHT_PX}
            width={band}
            height={MARK_HEIGHT_PX}
          />
        </g>
      ))}
      <line
        className={SUMMARY_CSS.budgetLine}
        x1={left}
        x2={right}
        y1={top}
        y2={top}
      />
      <text className={SUMMARY_CSS.budgetLabel} x={left + 4} y={top - 3}>
        {budget.label}
      </text>
    </g>
  );
}
