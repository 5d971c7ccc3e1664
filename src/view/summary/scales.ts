/**
 * The d3 scales of the summary charts and the paths of their lines, from
 * the model's series and the chart's width. Pure: no DOM.
 */
import { scaleBand, ScaleBand, scaleLinear, ScaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

/** Space around a chart's plot for its axes, in px. */
export const CHART_MARGIN_PX = { top: 8, right: 52, bottom: 22, left: 56 };

/** Height of one chart, axes included, in px. */
export const CHART_HEIGHT_PX = 150;

// Tick labels closer than this would overlap ("08:00" is about 32 px).
const MIN_TICK_GAP_PX = 56;

/** One band per bucket index across the plot. */
export function bucketScale(count: number, widthPx: number): ScaleBand<number> {
  const right = Math.max(
    widthPx - CHART_MARGIN_PX.right,
    CHART_MARGIN_PX.left + 1
  );
  return scaleBand<number>()
    .domain(Array.from({ length: count }, (_, i) => i))
    .range([CHART_MARGIN_PX.left, right])
    .paddingInner(0.2)
    .paddingOuter(0.1);
}

/** Values from 0 to `max` (rounded up to nice ticks; 1 when nothing is above 0), bottom to top. */
export function valueScale(max: number): ScaleLinear<number, number> {
  return scaleLinear()
    .domain([0, max > 0 ? max : 1])
    .nice(4)
    .range([CHART_HEIGHT_PX - CHART_MARGIN_PX.bottom, CHART_MARGIN_PX.top]);
}

/** The error rate, 0 to 100 %, bottom to top. */
export function rateScale(): ScaleLinear<number, number> {
  return scaleLinear()
    .domain([0, 1])
    .range([CHART_HEIGHT_PX - CHART_MARGIN_PX.bottom, CHART_MARGIN_PX.top]);
}

/** The x of a bucket's centre. */
export function bucketCenter(x: ScaleBand<number>, index: number): number {
  return (x(index) ?? 0) + x.bandwidth() / 2;
}

/** The bucket indices to label, spaced so the labels do not overlap. */
export function tickIndices(x: ScaleBand<number>): number[] {
  const every = Math.max(1, Math.ceil(MIN_TICK_GAP_PX / Math.max(x.step(), 1)));
  return x.domain().filter(i => i % every === 0);
}

/**
 * An SVG path through the present values at the bucket centres, broken at
 * every absent one (a gap, never a drop to zero); '' when none is present.
 * A run of one value is a point, drawn by the caller's dots.
 */
export function linePath(
  values: readonly (number | null)[],
  x: ScaleBand<number>,
  y: ScaleLinear<number, number>
): string {
  const path = line<number | null>()
    .defined(value => value !== null)
    .x((_value, i) => bucketCenter(x, i))
    .y(value => y(value!));
  return path(values as (number | null)[]) ?? '';
}
