/**
 * The frame of one summary chart: its title and legend, the axes (drawn by
 * d3-axis into their groups, as TimelineAxis does), the marks it is given,
 * a budget's dashed line and the buckets that broke it, and one focusable
 * hit area per bucket. Pointing at a bucket or focusing it (Tab, then the
 * arrow keys, Home and End) makes it the active bucket; clicking it, or
 * Enter or Space on it, picks it (the traces behind it are listed).
 */
import React, { useEffect, useRef } from 'react';
import { axisBottom, axisLeft, axisRight } from 'd3-axis';
import { ScaleBand, ScaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { SUMMARY_CSS, seriesClass } from './classes';
import { BudgetMarks } from './BudgetMarks';
import { CHART_HEIGHT_PX, CHART_MARGIN_PX, tickIndices } from './scales';

/** A value axis: its scale and how its ticks read. */
export interface IValueAxis {
  scale: ScaleLinear<number, number>;
  format: (value: number) => string;
}

/** One entry of a chart's legend. */
export interface ILegendEntry {
  label: string;
  /** A key of ours (a percentile, a token kind, a mark), never trace text. */
  series: string;
}

/** A budget drawn on a chart: its line and the buckets that broke it. */
export interface IChartBudget {
  /** The line's y, in the svg's coordinates. */
  y: number;
  /** What the line is, e.g. "budget 1.5 s". */
  label: string;
  /** Indices of the buckets that broke it. */
  broken: ReadonlySet<number>;
  /** True when the range as a whole broke it. */
  rangeBroken: boolean;
}

/** Props of {@link SummaryChart}. */
export interface ISummaryChartProps {
  title: string;
  widthPx: number;
  x: ScaleBand<number>;
  /** The label of bucket `index` on the time axis. */
  tickLabel: (index: number) => string;
  left: IValueAxis;
  right?: IValueAxis;
  legend: readonly ILegendEntry[];
  /** Each bucket's figures as text: its hit area's accessible name. */
  bucketLabels: readonly string[];
  active: number | null;
  onActive: (index: number | null) => void;
  /** Pick bucket `index` (click, Enter, Space); none: buckets are not picked. */
  onPick?: (index: number) => void;
  budget?: IChartBudget;
  /** The marks, drawn in the svg's coordinates. */
  children?: React.ReactNode;
}

const TICKS = 4;

/** One chart of the summary. */
export function SummaryChart(props: ISummaryChartProps): React.ReactElement {
  const { x, left, right, widthPx, tickLabel, active, onActive } = props;
  const { onPick, budget } = props;
  const axesRef = useRef<SVGGElement>(null);
  const hitsRef = useRef<SVGGElement>(null);
  const plotHeightPx =
    CHART_HEIGHT_PX - CHART_MARGIN_PX.top - CHART_MARGIN_PX.bottom;

  useEffect(() => {
    const group = axesRef.current;
    if (!group) {
      return;
    }
    const root = select(group);
    root.selectAll('*').remove();
    root
      .append('g')
      .attr(
        'transform',
        `translate(0, ${CHART_HEIGHT_PX - CHART_MARGIN_PX.bottom})`
      )
      .call(
        axisBottom(x)
          .tickValues(tickIndices(x))
          .tickFormat(index => tickLabel(index))
      );
    root
      .append('g')
      .attr('transform', `translate(${CHART_MARGIN_PX.left}, 0)`)
      .call(
        axisLeft(left.scale)
          .ticks(TICKS)
          .tickFormat(value => left.format(Number(value)))
      );
    if (right) {
      root
        .append('g')
        .attr('transform', `translate(${x.range()[1]}, 0)`)
        .call(
          axisRight(right.scale)
            .ticks(TICKS)
            .tickFormat(value => right.format(Number(value)))
        );
    }
  }, [x, left, right, tickLabel]);

  const focusBucket = (index: number) => {
    const count = x.domain().length;
    const target = Math.min(Math.max(index, 0), count - 1);
    hitsRef.current
      ?.querySelector<SVGRectElement>(`[data-bucket="${target}"]`)
      ?.focus();
  };
  const onKeyDown = (event: React.KeyboardEvent, index: number) => {
    const moves: Record<string, number> = {
      ArrowLeft: index - 1,
      ArrowRight: index + 1,
      Home: 0,
      End: x.domain().length - 1
    };
    if (event.key in moves) {
      event.preventDefault();
      focusBucket(moves[event.key]);
    } else if ((event.key === 'Enter' || event.key === ' ') && onPick) {
      event.preventDefault();
      onPick(index);
    }
  };
  const hitLabel = (label: string, index: number) =>
    label +
    (budget?.broken.has(index) ? `; over the ${budget.label}` : '') +
    (onPick ? '; press Enter to list its traces' : '');
  const tabStop = active ?? 0;
  const band = x.step();

  return (
    <figure className={SUMMARY_CSS.chart}>
      <figcaption className={SUMMARY_CSS.chartTitle}>
        {props.title}
        {budget?.rangeBroken && (
          <span className={SUMMARY_CSS.overBudget}>
            the range as a whole is over the {budget.label}
          </span>
        )}
        <span className={SUMMARY_CSS.legend}>
          {props.legend.map(entry => (
            <span key={entry.series}>
              <span
                className={`${SUMMARY_CSS.swatch} ${seriesClass(entry.series)}`}
              />
              {entry.label}
            </span>
          ))}
        </span>
      </figcaption>
      <svg
        width={Math.max(widthPx, 0)}
        height={CHART_HEIGHT_PX}
        onMouseLeave={() => onActive(null)}
      >
        {active !== null && (
          <rect
            className={SUMMARY_CSS.activeBand}
            x={(x(active) ?? 0) - (band - x.bandwidth()) / 2}
            y={CHART_MARGIN_PX.top}
            width={band}
            height={plotHeightPx}
          />
        )}
        <g className={SUMMARY_CSS.axis} ref={axesRef} />
        {props.children}
        {budget && (
          <BudgetMarks
            budget={budget}
            x={x}
            plotTopPx={CHART_MARGIN_PX.top}
            plotHeightPx={plotHeightPx}
          />
        )}
        <g ref={hitsRef}>
          {props.bucketLabels.map((label, index) => (
            <rect
              key={index}
              className={SUMMARY_CSS.hit}
              data-bucket={index}
              role={onPick ? 'button' : 'img'}
              aria-label={hitLabel(label, index)}
              tabIndex={index === tabStop ? 0 : -1}
              x={(x(index) ?? 0) - (band - x.bandwidth()) / 2}
              y={CHART_MARGIN_PX.top}
              width={band}
              height={plotHeightPx}
              onMouseEnter={() => onActive(index)}
              onFocus={() => onActive(index)}
              onClick={onPick ? () => onPick(index) : undefined}
              onKeyDown={event => onKeyDown(event, index)}
            />
          ))}
        </g>
      </svg>
    </figure>
  );
}
