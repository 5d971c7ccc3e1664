/**
 * The charts of a trace summary, one bucket per band: traces and errors
 * with the error rate; latency p50, p90 and p99; stacked tokens; and, when
 * the summary has cost, stacked cost with the cost per trace. Budgets are
 * dashed lines with the buckets that broke them marked. Absent values draw
 * nothing (a gap in a line, no bar), never a zero.
 */
import React, { useMemo } from 'react';
import { ScaleBand } from 'd3-scale';
import {
  BudgetName,
  formatCount,
  formatDurationMs,
  formatPercent,
  formatUsd,
  IQuerySummary,
  ISummarySeries,
  PERCENTILES,
  TOKEN_KINDS
} from '../../trace';
import { SUMMARY_CSS, seriesClass } from './classes';
import {
  bucketCenter,
  bucketScale,
  CHART_MARGIN_PX,
  CHART_HEIGHT_PX,
  linePath,
  rateScale,
  valueScale
} from './scales';
import {
  brokenBuckets,
  costPerTrace,
  costStack,
  maxOf,
  rangeBroken
} from './series';
import { IChartBudget, IValueAxis, SummaryChart } from './SummaryChart';

/** What every chart of one summary shares. */
export interface IChartsProps {
  summary: IQuerySummary;
  series: ISummarySeries;
  widthPx: number;
  tickLabel: (index: number) => string;
  bucketLabels: readonly string[];
  active: number | null;
  onActive: (index: number | null) => void;
  onPick?: (index: number) => void;
}

const DOT_RADIUS_PX = 2.5;
const BASELINE_PX = CHART_HEIGHT_PX - CHART_MARGIN_PX.bottom;

function countAxis(max: number): IValueAxis {
  return { scale: valueScale(max), format: formatCount };
}

function bar(
  key: string,
  className: string,
  x: number,
  width: number,
  top: number
): React.ReactElement {
  return (
    <rect
      key={key}
      className={className}
      x={x}
      y={top}
      width={width}
      height={Math.max(BASELINE_PX - top, 0)}
    />
  );
}

/** The budget `budget` on a chart whose values `scale` maps; undefined when none is set. */
export function chartBudget(
  summary: IQuerySummary,
  budget: BudgetName,
  limit: number | undefined,
  scale: IValueAxis
): IChartBudget | undefined {
  if (limit === undefined) {
    return undefined;
  }
  return {
    y: scale.scale(limit),
    label: `budget ${scale.format(limit)}`,
    broken: brokenBuckets(summary, budget),
    rangeBroken: rangeBroken(summary, budget)
  };
}

/** A dot per present value: a run of one value shows as a point. */
export function dots(
  values: readonly (number | null)[],
  key: string,
  x: ScaleBand<number>,
  y: IValueAxis['scale']
): (React.ReactElement | null)[] {
  return values.map((value, i) =>
    value === null ? null : (
      <circle
        key={`${key}-${i}`}
        className={`${SUMMARY_CSS.dot} ${seriesClass(key)}`}
        cx={bucketCenter(x, i)}
        cy={y(value)}
        r={DOT_RADIUS_PX}
      />
    )
  );
}

/** The charts of the whole query. */
export function SummaryCharts(props: IChartsProps): React.ReactElement {
  const { summary, series, widthPx } = props;
  const count = summary.buckets.length;
  const x = useMemo(() => bucketScale(count, widthPx), [count, widthPx]);
  const axes = useMemo(
    () => ({
      traces: countAxis(series.maxTraces),
      rate: { scale: rateScale(), format: formatPercent },
      latency: {
        scale: valueScale(series.maxLatencyMs),
        format: formatDurationMs
      },
      tokens: countAxis(series.maxTokens)
    }),
    [series]
  );
  const shared = {
    widthPx,
    x,
    tickLabel: props.tickLabel,
    bucketLabels: props.bucketLabels,
    active: props.active,
    onActive: props.onActive,
    onPick: props.onPick
  };
  const budgets = summary.query.budgets ?? {};
  const hasCostChart = summary.buckets.some(b => b.cost !== undefined);
  const width = x.bandwidth();
  return (
    <>
      <SummaryChart
        {...shared}
        title="Traces and errors"
        left={axes.traces}
        right={axes.rate}
        budget={chartBudget(
          summary,
          'error_rate',
          budgets.errorRate,
          axes.rate
        )}
        legend={[
          { label: 'traces', series: 'traces' },
          { label: 'errors', series: 'errors' },
          { label: 'error rate (right axis)', series: 'rate' }
        ]}
      >
        {summary.buckets.map((bucket, i) => (
          <g key={i}>
            {bucket.traces !== null &&
              bar(
                't',
                `${SUMMARY_CSS.bar} ${seriesClass('traces')}`,
                x(i) ?? 0,
                width,
                axes.traces.scale(bucket.traces)
              )}
            {bucket.errors !== null &&
              bucket.errors > 0 &&
              bar(
                'e',
                `${SUMMARY_CSS.errorBar} ${seriesClass('errors')}`,
                x(i) ?? 0,
                width,
                axes.traces.scale(bucket.errors)
              )}
          </g>
        ))}
        <path
          className={`${SUMMARY_CSS.rateLine} ${seriesClass('rate')}`}
          d={linePath(series.errorRate, x, axes.rate.scale)}
        />
        {dots(series.errorRate, 'rate', x, axes.rate.scale)}
      </SummaryChart>
      <SummaryChart
        {...shared}
        title="Latency"
        left={axes.latency}
        budget={chartBudget(
          summary,
          'latency_p90_ms',
          budgets.latencyP90Ms,
          axes.latency
        )}
        legend={PERCENTILES.map(p => ({ label: p, series: p }))}
      >
        {PERCENTILES.map(p => (
          <path
            key={p}
            className={`${SUMMARY_CSS.line} ${seriesClass(p)}`}
            d={linePath(series.latencyMs[p], x, axes.latency.scale)}
          />
        ))}
        {PERCENTILES.map(p =>
          dots(series.latencyMs[p], p, x, axes.latency.scale)
        )}
      </SummaryChart>
      <SummaryChart
        {...shared}
        title="Tokens"
        left={axes.tokens}
        legend={TOKEN_KINDS.map(({ key, label }) => ({ label, series: key }))}
      >
        {series.tokenStacks.map((segments, i) => (
          <g key={i}>
            {segments.map(segment => (
              <rect
                key={segment.kind}
                className={`${SUMMARY_CSS.bar} ${seriesClass(segment.kind)}`}
                x={x(i) ?? 0}
                y={axes.tokens.scale(segment.to)}
                width={width}
                height={Math.max(
                  axes.tokens.scale(segment.from) -
                    axes.tokens.scale(segment.to),
                  0
                )}
              />
            ))}
          </g>
        ))}
      </SummaryChart>
      {hasCostChart && <CostChart {...props} shared={shared} x={x} />}
    </>
  );
}

/** Stacked cost per bucket (left axis) and the cost per trace (right axis). */
function CostChart(
  props: IChartsProps & {
    shared: Omit<
      React.ComponentProps<typeof SummaryChart>,
      'title' | 'left' | 'legend'
    >;
    x: ScaleBand<number>;
  }
): React.ReactElement {
  const { summary, x } = props;
  const stacks = useMemo(() => summary.buckets.map(costStack), [summary]);
  const perTrace = useMemo(() => summary.buckets.map(costPerTrace), [summary]);
  const budget = summary.query.budgets?.costPerTrace;
  const left: IValueAxis = {
    scale: valueScale(maxOf(stacks.map(s => s[s.length - 1]?.to))),
    format: formatUsd
  };
  const right: IValueAxis = {
    scale: valueScale(Math.max(maxOf(perTrace), budget ?? 0)),
    format: formatUsd
  };
  return (
    <SummaryChart
      {...props.shared}
      title="Cost"
      left={left}
      right={right}
      budget={chartBudget(summary, 'cost_per_trace', budget, right)}
      legend={[
        { label: 'input', series: 'costInput' },
        { label: 'output', series: 'costOutput' },
        { label: 'total (input and output unknown)', series: 'costTotal' },
        { label: 'cost per trace (right axis)', series: 'perTrace' }
      ]}
    >
      {stacks.map((segments, i) => (
        <g key={i}>
          {segments.map(segment => (
            <rect
              key={segment.kind}
              className={`${SUMMARY_CSS.bar} ${seriesClass(costSeriesKey(segment.kind))}`}
              x={x(i) ?? 0}
              y={left.scale(segment.to)}
              width={x.bandwidth()}
              height={Math.max(
                left.scale(segment.from) - left.scale(segment.to),
                0
              )}
            />
          ))}
        </g>
      ))}
      <path
        className={`${SUMMARY_CSS.rateLine} ${seriesClass('perTrace')}`}
        d={linePath(perTrace, x, right.scale)}
      />
      {dots(perTrace, 'perTrace', x, right.scale)}
    </SummaryChart>
  );
}

function costSeriesKey(kind: 'input' | 'output' | 'total'): string {
  return `cost${kind[0].toUpperCase()}${kind.slice(1)}`;
}
