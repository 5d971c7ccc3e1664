/**
 * The model of a trace summary (application/vnd.mlflow.trace-summary+json):
 * a query's figures per epoch-aligned time bucket and over its range, the
 * series and domains the charts draw, and the text of each bucket's figures.
 * Pure: no DOM, no scales (the view makes those from these domains).
 *
 * #### Notes
 * null is "absent", never zero: a bucket without traces has no latency, a
 * token count no trace recorded has no sum. Lines break at absent values and
 * bars are not drawn for them. Counts are null only for a bucket whose count
 * was invalid (the decoder names it).
 */
import {
  formatCount,
  formatDurationMs,
  formatIntervalSeconds,
  formatPercent,
  formatUsd,
  formatUtcMs
} from './format';

/** Latency percentiles in ms. */
export interface ILatencyPercentilesMs {
  p50: number;
  p90: number;
  p99: number;
}

/** Token sums; null where no trace recorded the count. */
export interface ITokenSums {
  input: number | null;
  output: number | null;
  cacheRead: number | null;
  cacheWrite: number | null;
}

/** The figures of one bucket or of the whole range. */
export interface IBucketFigures {
  /** null only when the bundle's count was invalid. */
  traces: number | null;
  errors: number | null;
  latencyMs: ILatencyPercentilesMs | null;
  tokens: ITokenSums;
  /** Span cost in USD; absent when the bundle carries none. */
  cost?: ICostSums;
}

/** Span cost in USD; null where no span recorded it. */
export interface ICostSums {
  input: number | null;
  output: number | null;
  total: number | null;
}

/** One time bucket: [startTimeMs, startTimeMs + interval). */
export interface ITimeBucket extends IBucketFigures {
  /** null only when the bundle's start time was invalid. */
  startTimeMs: number | null;
}

/** The query a summary answers. */
export interface ISummaryQuery {
  experimentIds: string[];
  filter?: string;
  startTimeMs: number;
  /** Inclusive. */
  endTimeMs: number;
  intervalSeconds: number;
  /** The tag or metadata key the segments split by. */
  groupBy?: { kind: 'tag' | 'metadata'; key: string };
  budgets?: ISummaryBudgets;
}

/** One span budget: a p90 limit for a span name or a span type. */
export interface ISpanBudget {
  field: 'span_name' | 'span_type';
  key: string;
  p90Ms: number;
}

/** The limits the charts mark. */
export interface ISummaryBudgets {
  errorRate?: number;
  latencyP90Ms?: number;
  costPerTrace?: number;
  spans?: ISpanBudget[];
}

/** The budgets a violation can name. */
export type BudgetName =
  'error_rate' | 'latency_p90_ms' | 'cost_per_trace' | 'span_p90_ms';

/** One broken budget, as the emitter found it. */
export interface IViolation {
  budget: BudgetName;
  /** 'traces', or the span name or type. */
  subject: string;
  spanField?: 'span_name' | 'span_type';
  /** The segment's value (null: key absent); undefined for the whole query. */
  segment?: string | null;
  /** The bucket that broke it; undefined for the range. */
  startTimeMs?: number;
  limit: number;
  value: number;
}

/** One assessment name's count and mean in a bucket. */
export interface IQualityPoint {
  startTimeMs: number | null;
  count: number | null;
  mean: number | null;
}

/** One assessment name over the range and per bucket. */
export interface IQualitySeries {
  name: string;
  count: number | null;
  mean: number | null;
  /** Counts by the JSON text of each value, when the values are few. */
  values?: [string, number][];
  buckets: IQualityPoint[];
}

/** The traces whose group-by key has one value. */
export interface ISegment {
  /** null: the traces without the key. */
  value: string | null;
  buckets: ITimeBucket[];
  totals: IBucketFigures;
}

/** One span name or type over the range. */
export interface ISpanRow {
  key: string;
  count: number;
  errors: number;
  totalMs: number;
  shareTime: number | null;
  latencyMs: { p50: number; p90: number } | null;
  cost: number | null;
  shareCost: number | null;
}

/** Where time and cost go, by span name and by span type. */
export interface ISpanBreakdown {
  byName: ISpanRow[];
  byType: ISpanRow[];
}

/** A decoded trace summary. */
export interface IQuerySummary {
  query: ISummaryQuery;
  /** null when the bundle's source was invalid. */
  source: 'server' | 'search' | null;
  sourceNote?: string;
  buckets: ITimeBucket[];
  totals: IBucketFigures;
  quality?: IQualitySeries[];
  segments?: ISegment[];
  segmentsNote?: string;
  spans?: ISpanBreakdown;
  violations?: IViolation[];
}

/** The latency percentiles, in the order they are drawn. */
export const PERCENTILES = ['p50', 'p90', 'p99'] as const;

/** One percentile's key. */
export type Percentile = (typeof PERCENTILES)[number];

/** The token counts, in the order they are stacked, with their labels. */
export const TOKEN_KINDS = [
  { key: 'input', label: 'input' },
  { key: 'output', label: 'output' },
  { key: 'cacheRead', label: 'cache read' },
  { key: 'cacheWrite', label: 'cache write' }
] as const;

/** One token count's key. */
export type TokenKind = (typeof TOKEN_KINDS)[number]['key'];

/** A piece of a stacked bar: [from, to) in tokens. */
export interface ITokenSegment {
  kind: TokenKind;
  from: number;
  to: number;
}

/** What the charts draw, derived once per summary. */
export interface ISummarySeries {
  /** Largest bucket trace count (0 when all are empty). */
  maxTraces: number;
  /** errors / traces per bucket; null for an empty bucket. */
  errorRate: (number | null)[];
  /** Each percentile per bucket; null where the bucket has no latency. */
  latencyMs: Record<Percentile, (number | null)[]>;
  /** Largest latency of any bucket (0 when none). */
  maxLatencyMs: number;
  /** Stacked token segments per bucket; absent counts have no segment. */
  tokenStacks: ITokenSegment[][];
  /** Largest stacked token sum of a bucket (0 when none). */
  maxTokens: number;
}

/** errors / traces; null when unknown or there are no traces. */
export function errorRate(figures: IBucketFigures): number | null {
  const { traces, errors } = figures;
  return traces === null || errors === null || traces === 0
    ? null
    : errors / traces;
}

/** The stacked segments of one bucket's token counts, skipping absent ones. */
export function tokenStack(tokens: ITokenSums): ITokenSegment[] {
  const segments: ITokenSegment[] = [];
  let from = 0;
  for (const { key } of TOKEN_KINDS) {
    const value = tokens[key];
    if (value !== null) {
      segments.push({ kind: key, from, to: from + value });
      from += value;
    }
  }
  return segments;
}

function maxOf(values: Iterable<number | null>): number {
  let max = 0;
  for (const value of values) {
    if (value !== null && value > max) {
      max = value;
    }
  }
  return max;
}

/** The series and domains of a summary's charts. */
export function summarySeries(summary: IQuerySummary): ISummarySeries {
  const buckets = summary.buckets;
  const latencyMs = {} as Record<Percentile, (number | null)[]>;
  for (const p of PERCENTILES) {
    latencyMs[p] = buckets.map(b => (b.latencyMs ? b.latencyMs[p] : null));
  }
  const tokenStacks = buckets.map(b => tokenStack(b.tokens));
  return {
    maxTraces: maxOf(buckets.map(b => b.traces)),
    errorRate: buckets.map(errorRate),
    latencyMs,
    maxLatencyMs: maxOf(PERCENTILES.flatMap(p => latencyMs[p])),
    tokenStacks,
    maxTokens: maxOf(tokenStacks.map(s => s[s.length - 1]?.to ?? null))
  };
}

function countText(count: number | null, noun: string): string {
  return count === null
    ? `${noun}s –`
    : `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * The figures as one line: "3 traces, 1 error (33.3%), p50 300 ms, p90 620
 * ms, p99 692 ms, tokens input 560, output 120, cache read 55, cache write –".
 */
export function figuresText(figures: IBucketFigures): string {
  const rate = errorRate(figures);
  const parts = [
    countText(figures.traces, 'trace'),
    countText(figures.errors, 'error') +
      (rate === null ? '' : ` (${formatPercent(rate)})`)
  ];
  const latency = figures.latencyMs;
  parts.push(
    PERCENTILES.map(
      p => `${p} ${latency ? formatDurationMs(latency[p]) : '–'}`
    ).join(', ')
  );
  const tokens = TOKEN_KINDS.map(({ key, label }) => {
    const value = figures.tokens[key];
    return `${label} ${value === null ? '–' : formatCount(value)}`;
  });
  parts.push(`tokens ${tokens.join(', ')}`);
  if (figures.cost) {
    parts.push(`cost ${formatUsd(figures.cost.total)}`);
  }
  return parts.join(', ');
}

/** A bucket's time span and figures, as its readout line. */
export function bucketText(
  bucket: ITimeBucket,
  intervalSeconds: number
): string {
  return (
    `${formatUtcMs(bucket.startTimeMs)} + ${formatIntervalSeconds(intervalSeconds)}: ` +
    figuresText(bucket)
  );
}
