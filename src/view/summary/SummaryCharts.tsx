/**
 * The three charts of a trace summary, one bucket per band: traces and
 * errors with the error rate; latency p50, p90 and p99; stacked tokens.
 * Absent values draw nothing (a gap in a line, no bar), never a zero.
 */
import React, { useMemo } from 'react';
import {
  formatCount,
  formatDurationMs,
  formatPercent,
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
import { IValueAxis, SummaryChart } from './SummaryChart';

/** What every chart of one summary shares. */
export interface IChartsProps {
  summary: IQuerySummary;
  series: ISummarySeries;
  widthPx: number;
  tickLabel: (index: number) => string;
  bucketLabels: readonly string[];
  active: number | null;
  onActive: (index: number | null) => void;
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

/** The three charts. */
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
    onActive: props.onActive
  };
  const width = x.bandwidth();
  // A dot per present value: a run of one value shows as a point.
  const dots = (
    values: readonly (number | null)[],
    key: string,
    y: IValueAxis['scale']
  ) =>
    values.map((value, i) =>
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

  return (
    <>
      <SummaryChart
        {...shared}
        title="Traces and errors"
        left={axes.traces}
        right={axes.rate}
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
        {dots(series.errorRate, 'rate', axes.rate.scale)}
      </SummaryChart>
      <SummaryChart
        {...shared}
        title="Latency"
        left={axes.latency}
        legend={PERCENTILES.map(p => ({ label: p, series: p }))}
      >
        {PERCENTILES.map(p => (
          <path
            key={p}
            className={`${SUMMARY_CSS.line} ${seriesClass(p)}`}
            d={linePath(series.latencyMs[p], x, axes.latency.scale)}
          />
        ))}
        {PERCENTILES.map(p => dots(series.latencyMs[p], p, axes.latency.scale))}
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
    </>
  );
}
