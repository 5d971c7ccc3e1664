/**
 * What the summary's further charts draw, from the decoded summary: cost
 * stacks and cost per trace, the segments' lines, the quality lines, the
 * buckets that broke a budget, and the readout of a bucket. Pure: no DOM.
 *
 * #### Notes
 * Violations are read from the payload (the emitter found them); nothing
 * here decides whether a budget is broken. Series are aligned to the
 * summary's buckets by start time, so a part with a bucket missing or out
 * of order draws a gap there, never a shifted point.
 */
import {
  BudgetName,
  errorRate,
  formatCount,
  formatDurationMs,
  formatPercent,
  formatUsd,
  IBucketFigures,
  IQualitySeries,
  IQuerySummary,
  ISegment,
  ITimeBucket,
  IViolation
} from '../../trace';

/** A piece of a stacked cost bar: [from, to) in USD. */
export interface ICostSegment {
  kind: 'input' | 'output' | 'total';
  from: number;
  to: number;
}

/** Total cost over traces; null without traces or without a cost. */
export function costPerTrace(figures: IBucketFigures): number | null {
  const total = figures.cost?.total ?? null;
  const traces = figures.traces;
  return total === null || traces === null || traces === 0
    ? null
    : total / traces;
}

/** The stack of one bucket's cost: input then output, else the total alone. */
export function costStack(figures: IBucketFigures): ICostSegment[] {
  const cost = figures.cost;
  if (!cost) {
    return [];
  }
  if (cost.input === null && cost.output === null) {
    return cost.total === null
      ? []
      : [{ kind: 'total', from: 0, to: cost.total }];
  }
  const segments: ICostSegment[] = [];
  let from = 0;
  for (const kind of ['input', 'output'] as const) {
    const value = cost[kind];
    if (value !== null) {
      segments.push({ kind, from, to: from + value });
      from += value;
    }
  }
  return segments;
}

/** True when any bucket or the totals carry a cost. */
export function hasCost(summary: IQuerySummary): boolean {
  return (
    summary.totals.cost !== undefined ||
    summary.buckets.some(b => b.cost !== undefined)
  );
}

/** Largest value of a list (0 when none is above 0). */
export function maxOf(values: Iterable<number | null | undefined>): number {
  let max = 0;
  for (const value of values) {
    if (typeof value === 'number' && value > max) {
      max = value;
    }
  }
  return max;
}

/**
 * The index of each bucket of `part` in the summary's buckets, by start
 * time: `aligned(...)[i]` is the part's item for summary bucket i, or null.
 */
export function alignByStart<T extends { startTimeMs: number | null }>(
  summaryBuckets: readonly ITimeBucket[],
  part: readonly T[]
): (T | null)[] {
  const byStart = new Map<number, T>();
  for (const item of part) {
    if (item.startTimeMs !== null) {
      byStart.set(item.startTimeMs, item);
    }
  }
  return summaryBuckets.map(b =>
    b.startTimeMs === null ? null : (byStart.get(b.startTimeMs) ?? null)
  );
}

/** The JSON texts of values that make a name a yes/no one. */
const YES_NO: Record<string, boolean> = {
  true: true,
  false: false,
  '"yes"': true,
  '"no"': false
};

/**
 * 'share' for a name whose values are all booleans or "yes"/"no" (its mean
 * is the share of positive values), else 'mean'.
 */
export function qualityKind(quality: IQualitySeries): 'share' | 'mean' {
  const values = quality.values;
  return values &&
    values.length > 0 &&
    values.every(([key]) => key.toLowerCase() in YES_NO)
    ? 'share'
    : 'mean';
}

/** A quality figure as text: "73.7% positive of 19" or "mean 3.75 of 12". */
export function qualityText(
  quality: IQualitySeries,
  point: { count: number | null; mean: number | null }
): string {
  const count = point.count === null ? '–' : formatCount(point.count);
  if (point.mean === null) {
    return `no value of ${count}`;
  }
  return qualityKind(quality) === 'share'
    ? `${formatPercent(point.mean)} positive of ${count}`
    : `mean ${Number(point.mean.toPrecision(3))} of ${count}`;
}

/** A segment's value as shown: the value, or what the traces lack. */
export function segmentLabel(
  segment: Pick<ISegment, 'value'>,
  summary: IQuerySummary
): string {
  if (segment.value !== null) {
    return segment.value;
  }
  const groupBy = summary.query.groupBy;
  return groupBy ? `(no ${groupBy.kind} ${groupBy.key})` : '(no value)';
}

/** The few figures that compare segments: traces, errors, p90, cost per trace. */
export function shortFiguresText(figures: IBucketFigures): string {
  const traces = figures.traces;
  const parts = [
    traces === null
      ? 'traces –'
      : `${formatCount(traces)} trace${traces === 1 ? '' : 's'}`,
    `error rate ${formatPercent(errorRate(figures))}`,
    `p90 ${formatDurationMs(figures.latencyMs?.p90)}`
  ];
  if (figures.cost) {
    parts.push(`cost per trace ${formatUsd(costPerTrace(figures))}`);
  }
  return parts.join(', ');
}

/** The trace budgets, each with its name in words. */
export const TRACE_BUDGET_LABELS: Record<BudgetName, string> = {
  error_rate: 'error rate',
  latency_p90_ms: 'latency p90',
  cost_per_trace: 'cost per trace',
  span_p90_ms: 'span p90'
};

/** A budget's limit or value as text, in the budget's unit. */
export function budgetValueText(budget: BudgetName, value: number): string {
  switch (budget) {
    case 'error_rate':
      return formatPercent(value);
    case 'cost_per_trace':
      return formatUsd(value);
    default:
      return formatDurationMs(value);
  }
}

/** The violations of the whole query (no segment) for one trace budget. */
function wholeQuery(
  violations: readonly IViolation[] | undefined,
  budget: BudgetName
): IViolation[] {
  return (violations ?? []).filter(
    v => v.budget === budget && v.segment === undefined
  );
}

/** The indices of the summary's buckets that broke `budget`. */
export function brokenBuckets(
  summary: IQuerySummary,
  budget: BudgetName
): Set<number> {
  const starts = new Set(
    wholeQuery(summary.violations, budget)
      .map(v => v.startTimeMs)
      .filter((start): start is number => start !== undefined)
  );
  const indices = new Set<number>();
  summary.buckets.forEach((b, i) => {
    if (b.startTimeMs !== null && starts.has(b.startTimeMs)) {
      indices.add(i);
    }
  });
  return indices;
}

/** True when the range as a whole (whole query) broke `budget`. */
export function rangeBroken(
  summary: IQuerySummary,
  budget: BudgetName
): boolean {
  return wholeQuery(summary.violations, budget).some(
    v => v.startTimeMs === undefined
  );
}

/** The span budget violation of a span row, if any. */
export function spanViolation(
  summary: IQuerySummary,
  field: 'span_name' | 'span_type',
  key: string
): IViolation | undefined {
  return (summary.violations ?? []).find(
    v =>
      v.budget === 'span_p90_ms' && v.spanField === field && v.subject === key
  );
}

/**
 * The readout of bucket `index`: the whole query's figures, then each
 * segment's and each assessment name's, one line each.
 */
export function bucketReadout(
  summary: IQuerySummary,
  index: number,
  wholeText: string
): string[] {
  const lines = [wholeText];
  const start = summary.buckets[index]?.startTimeMs ?? null;
  for (const segment of summary.segments ?? []) {
    const bucket = segment.buckets.find(b => b.startTimeMs === start);
    if (bucket && start !== null) {
      lines.push(
        `${segmentLabel(segment, summary)}: ${shortFiguresText(bucket)}`
      );
    }
  }
  for (const quality of summary.quality ?? []) {
    const point = quality.buckets.find(b => b.startTimeMs === start);
    if (point && start !== null) {
      lines.push(`${quality.name}: ${qualityText(quality, point)}`);
    }
  }
  return lines;
}
