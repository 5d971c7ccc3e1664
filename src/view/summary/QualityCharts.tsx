/**
 * Quality over time: one small chart per assessment name, its mean per
 * bucket; for a yes/no name (booleans, "yes"/"no") the mean is the share
 * of positive values, drawn from 0 to 100 %.
 */
import React, { useMemo } from 'react';
import { formatPercent, IQualitySeries } from '../../trace';
import { SUMMARY_CSS, seriesClass } from './classes';
import { bucketScale, linePath, rateScale, valueScale } from './scales';
import { alignByStart, maxOf, qualityKind, qualityText } from './series';
import { IChartsProps, dots } from './SummaryCharts';
import { IValueAxis, SummaryChart } from './SummaryChart';

// Below this width the small charts stack in one column.
const TWO_COLUMNS_MIN_PX = 720;
const COLUMN_GAP_PX = 16;

function meanFormat(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** The quality charts; nothing when the summary has no assessment. */
export function QualityCharts(props: IChartsProps): React.ReactElement | null {
  const { summary } = props;
  const columns = props.widthPx >= TWO_COLUMNS_MIN_PX ? 2 : 1;
  // One px short of the share, so rounding never wraps the second column.
  const widthPx =
    Math.floor((props.widthPx - COLUMN_GAP_PX * (columns - 1)) / columns) -
    (columns - 1);
  const count = summary.buckets.length;
  const x = useMemo(() => bucketScale(count, widthPx), [count, widthPx]);
  const quality = summary.quality ?? [];
  if (quality.length === 0) {
    return null;
  }
  return (
    <section className={SUMMARY_CSS.section} aria-label="Quality">
      <h3 className={SUMMARY_CSS.sectionTitle}>Quality (assessments)</h3>
      <div className={SUMMARY_CSS.smallCharts}>
        {quality.map((q, i) => (
          <QualityChart
            key={i}
            {...props}
            quality={q}
            widthPx={widthPx}
            x={x}
          />
        ))}
      </div>
    </section>
  );
}

function QualityChart(
  props: IChartsProps & {
    quality: IQualitySeries;
    x: ReturnType<typeof bucketScale>;
  }
): React.ReactElement {
  const { quality, x, summary } = props;
  const means = alignByStart(summary.buckets, quality.buckets).map(
    p => p?.mean ?? null
  );
  const share = qualityKind(quality) === 'share';
  const axis: IValueAxis = share
    ? { scale: rateScale(), format: formatPercent }
    : { scale: valueScale(maxOf(means)), format: meanFormat };
  const series = share ? 'positive' : 'mean';
  return (
    <SummaryChart
      title={`${quality.name}: ${qualityText(quality, quality)}`}
      widthPx={props.widthPx}
      x={x}
      tickLabel={props.tickLabel}
      left={axis}
      legend={[{ label: share ? 'share positive' : 'mean', series }]}
      bucketLabels={props.bucketLabels}
      active={props.active}
      onActive={props.onActive}
      onPick={props.onPick}
    >
      <path
        className={`${SUMMARY_CSS.line} ${seriesClass(series)}`}
        d={linePath(means, x, axis.scale)}
      />
      {dots(means, series, x, axis.scale)}
    </SummaryChart>
  );
}
