/**
 * The segments side by side (query.group_by): one colour per segment, with
 * its value in the legend, on four charts (traces, error rate, latency p90,
 * cost per trace), and a table of each segment's figures over the range.
 */
import React, { useMemo } from 'react';
import {
  errorRate,
  formatCount,
  formatDurationMs,
  formatPercent,
  formatUsd,
  IBucketFigures,
  IQuerySummary,
  ITimeBucket
} from '../../trace';
import { SUMMARY_CSS, segmentSeries, seriesClass } from './classes';
import { bucketScale, linePath, rateScale, valueScale } from './scales';
import { alignByStart, costPerTrace, maxOf, segmentLabel } from './series';
import { IChartsProps, dots } from './SummaryCharts';
import { IValueAxis, SummaryChart } from './SummaryChart';

interface ISegmentMeasure {
  title: string;
  key: string;
  value: (figures: IBucketFigures) => number | null;
  format: (value: number) => string;
  /** A fixed axis (rates); else 0 to the largest value. */
  fixed?: boolean;
  /** The budget of the measure, drawn as a line (segments break it over the range only). */
  budget?: 'errorRate' | 'latencyP90Ms' | 'costPerTrace';
}

const MEASURES: ISegmentMeasure[] = [
  {
    title: 'Traces by segment',
    key: 'traces',
    value: f => f.traces,
    format: formatCount
  },
  {
    title: 'Error rate by segment',
    key: 'rate',
    value: errorRate,
    format: formatPercent,
    fixed: true,
    budget: 'errorRate'
  },
  {
    title: 'Latency p90 by segment',
    key: 'p90',
    value: f => f.latencyMs?.p90 ?? null,
    format: formatDurationMs,
    budget: 'latencyP90Ms'
  },
  {
    title: 'Cost per trace by segment',
    key: 'costPerTrace',
    value: costPerTrace,
    format: formatUsd,
    budget: 'costPerTrace'
  }
];

const NO_BUCKET: ReadonlySet<number> = new Set();

/** The segment charts and table; nothing when the summary has no segments. */
export function SegmentCharts(props: IChartsProps): React.ReactElement | null {
  const { summary, widthPx } = props;
  const segments = summary.segments ?? [];
  const count = summary.buckets.length;
  const x = useMemo(() => bucketScale(count, widthPx), [count, widthPx]);
  const aligned = useMemo(
    () =>
      (summary.segments ?? []).map(s =>
        alignByStart<ITimeBucket>(summary.buckets, s.buckets)
      ),
    [summary]
  );
  if (segments.length === 0) {
    return null;
  }
  const hasCost = segments.some(s => s.totals.cost !== undefined);
  const legend = segments.map((segment, i) => ({
    label: segmentLabel(segment, summary),
    series: segmentSeries(i)
  }));
  return (
    <section className={SUMMARY_CSS.section} aria-label="Segments">
      <h3 className={SUMMARY_CSS.sectionTitle}>
        Segments by {summary.query.groupBy?.kind ?? 'value'}{' '}
        {summary.query.groupBy?.key ?? ''}
      </h3>
      {summary.segmentsNote && (
        <div className={SUMMARY_CSS.note}>{summary.segmentsNote}</div>
      )}
      <SegmentTable summary={summary} />
      {MEASURES.filter(m => hasCost || m.key !== 'costPerTrace').map(
        measure => {
          const values = aligned.map(buckets =>
            buckets.map(b => (b ? measure.value(b) : null))
          );
          const limit = measure.budget
            ? summary.query.budgets?.[measure.budget]
            : undefined;
          const axis: IValueAxis = {
            scale: measure.fixed
              ? rateScale()
              : valueScale(Math.max(maxOf(values.flat()), limit ?? 0)),
            format: measure.format
          };
          return (
            <SummaryChart
              key={measure.key}
              title={measure.title}
              widthPx={widthPx}
              x={x}
              tickLabel={props.tickLabel}
              left={axis}
              legend={legend}
              bucketLabels={props.bucketLabels}
              active={props.active}
              onActive={props.onActive}
              onPick={props.onPick}
              budget={
                limit === undefined
                  ? undefined
                  : {
                      y: axis.scale(limit),
                      label: `budget ${measure.format(limit)}`,
                      broken: NO_BUCKET,
                      rangeBroken: false
                    }
              }
            >
              {values.map((series, i) => (
                <g key={i}>
                  <path
                    className={`${SUMMARY_CSS.line} ${seriesClass(segmentSeries(i))}`}
                    d={linePath(series, x, axis.scale)}
                  />
                  {dots(series, segmentSeries(i), x, axis.scale)}
                </g>
              ))}
            </SummaryChart>
          );
        }
      )}
    </section>
  );
}

/** Each segment's figures over the range, one row each, the biggest first. */
function SegmentTable({
  summary
}: {
  summary: IQuerySummary;
}): React.ReactElement {
  const segments = summary.segments ?? [];
  const hasCost = segments.some(s => s.totals.cost !== undefined);
  return (
    <table className={SUMMARY_CSS.table}>
      <thead>
        <tr>
          <th scope="col">{summary.query.groupBy?.key ?? 'value'}</th>
          <th scope="col">traces</th>
          <th scope="col">errors</th>
          <th scope="col">error rate</th>
          <th scope="col">p50</th>
          <th scope="col">p90</th>
          <th scope="col">p99</th>
          {hasCost && <th scope="col">cost</th>}
          {hasCost && <th scope="col">cost per trace</th>}
        </tr>
      </thead>
      <tbody>
        {segments.map((segment, i) => {
          const t = segment.totals;
          const broken = (summary.violations ?? []).some(
            v => v.segment !== undefined && v.segment === segment.value
          );
          return (
            <tr key={i} className={broken ? SUMMARY_CSS.broken : ''}>
              <th
                scope="row"
                className={segment.value === null ? SUMMARY_CSS.noValue : ''}
              >
                <span
                  className={`${SUMMARY_CSS.swatch} ${seriesClass(segmentSeries(i))}`}
                />
                {segmentLabel(segment, summary)}
              </th>
              <td className={SUMMARY_CSS.number}>
                {t.traces === null ? '–' : formatCount(t.traces)}
              </td>
              <td className={SUMMARY_CSS.number}>
                {t.errors === null ? '–' : formatCount(t.errors)}
              </td>
              <td className={SUMMARY_CSS.number}>
                {formatPercent(errorRate(t))}
              </td>
              {(['p50', 'p90', 'p99'] as const).map(p => (
                <td key={p} className={SUMMARY_CSS.number}>
                  {formatDurationMs(t.latencyMs?.[p])}
                </td>
              ))}
              {hasCost && (
                <td className={SUMMARY_CSS.number}>
                  {formatUsd(t.cost?.total)}
                </td>
              )}
              {hasCost && (
                <td className={SUMMARY_CSS.number}>
                  {formatUsd(costPerTrace(t))}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
