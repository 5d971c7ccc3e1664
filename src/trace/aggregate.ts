/**
 * Aggregates over many traces, as MLflow's QueryTraceMetrics computes them:
 * epoch-aligned time buckets, percentiles by linear interpolation and token
 * sums. Pure; the twin of the Python package's `summary.py` and
 * `_summary_search.py`, which must give the same figures for the same traces.
 *
 * #### Notes
 * Checked against MLflow 3.17.2 (`store/tracking/utils/sql_trace_metrics_utils.py`,
 * `store/db/utils.py`): a bucket starts at `floor(timestamp_ms / interval_ms)
 * * interval_ms`; the range is inclusive at both ends; a percentile sorts the
 * values, takes `index = p / 100 * (n - 1)` and returns `v[lo] + frac *
 * (v[lo + 1] - v[lo])` in float64; a token count a trace did not record is
 * NULL and left out of the sum, so a sum over no recorded count is null.
 */
import { isRecord } from './attributes';
import { ITraceInfoV3 } from './wire';
import { pyRepr } from './format';

/** Most buckets one summary holds (the contract's `maxItems`). */
export const MAX_SUMMARY_BUCKETS = 1000;

/** The latency percentiles a summary reports, by their payload names. */
export const SUMMARY_PERCENTILES = { p50: 50, p90: 90, p99: 99 } as const;

/** Latency percentiles in ms, as the payload writes them. */
export interface ISummaryLatencyJson {
  p50: number;
  p90: number;
  p99: number;
}

/** Token sums, as the payload writes them; null where no trace recorded the count. */
export interface ISummaryTokensJson {
  input: number | null;
  output: number | null;
  cache_read: number | null;
  cache_write: number | null;
}

/** Span cost sums in USD, as the payload writes them; null where no span recorded it. */
export interface ISummaryCostJson {
  input: number | null;
  output: number | null;
  total: number | null;
}

/** The figures of a bucket or of the whole range, as the payload writes them. */
export interface ISummaryFiguresJson {
  traces: number;
  /** Traces whose state is ERROR. */
  errors: number;
  latency_ms: ISummaryLatencyJson | null;
  tokens: ISummaryTokensJson;
  /** The emitters always write it; payloads from before it lack it. */
  cost?: ISummaryCostJson;
}

/** One time bucket's figures, as the payload writes them. */
export interface ISummaryBucketJson extends ISummaryFiguresJson {
  /** Epoch ms, a multiple of the interval. */
  start_time_ms: number;
}

/** The payload's token names and the keys of MLflow's trace token usage. */
export const TOKEN_USAGE_KEYS: Readonly<
  Record<keyof ISummaryTokensJson, string>
> = {
  input: 'input_tokens',
  output: 'output_tokens',
  cache_read: 'cache_read_input_tokens',
  cache_write: 'cache_creation_input_tokens'
};

const TOKEN_NAMES = Object.keys(
  TOKEN_USAGE_KEYS
) as (keyof ISummaryTokensJson)[];

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400
};

/**
 * Whole seconds of an interval given as seconds or as `'15m'`, `'1h'`,
 * `'1d'` (units s, m, min, h, d; none is seconds); an Error otherwise.
 */
export function parseIntervalSeconds(interval: number | string): number {
  const shown = typeof interval === 'string' ? pyRepr(interval) : interval;
  let seconds: number;
  if (typeof interval === 'string') {
    const found = /^\s*(\d+)\s*(s|m|min|h|d)?\s*$/.exec(interval);
    if (!found) {
      throw new Error(
        `interval ${shown}: write seconds or e.g. '15m', '1h', '1d'`
      );
    }
    seconds = Number(found[1]) * UNIT_SECONDS[found[2] ?? 's'];
  } else if (typeof interval === 'number') {
    seconds = interval;
  } else {
    throw new Error(
      `interval ${String(interval)}: write seconds or e.g. '15m', '1h', '1d'`
    );
  }
  if (!(seconds >= 1) || !Number.isSafeInteger(seconds)) {
    throw new Error(`interval ${shown}: a whole number of seconds, at least 1`);
  }
  return seconds;
}

/** The epoch-aligned buckets from the one holding `startMs` to the one holding `endMs`. */
export class SummaryGrid {
  /** A grid; an Error when the range is empty or needs over MAX_SUMMARY_BUCKETS buckets. */
  constructor(startMs: number, endMs: number, intervalSeconds: number) {
    if (!(startMs >= 0) || !(endMs >= startMs)) {
      throw new Error(
        `the range ${startMs}..${endMs} ms is empty or before 1970`
      );
    }
    this.startMs = startMs;
    this.endMs = endMs;
    this.intervalMs = intervalSeconds * 1000;
    this.firstMs = Math.floor(startMs / this.intervalMs) * this.intervalMs;
    this.count =
      Math.floor(endMs / this.intervalMs) -
      Math.floor(startMs / this.intervalMs) +
      1;
    if (this.count > MAX_SUMMARY_BUCKETS) {
      const least = Math.ceil(
        (endMs - startMs + 1) / 1000 / (MAX_SUMMARY_BUCKETS - 1)
      );
      throw new Error(
        `${this.count} buckets of ${intervalSeconds} s from ${startMs} to ${endMs} ms: ` +
          `at most ${MAX_SUMMARY_BUCKETS}; use an interval of at least ${least} s ` +
          'or a shorter range'
      );
    }
  }

  /** The start of every bucket, in order. */
  starts(): number[] {
    return Array.from(
      { length: this.count },
      (_, i) => this.firstMs + i * this.intervalMs
    );
  }

  /** The index of the bucket holding `timestampMs` (out of 0..count-1 when outside). */
  index(timestampMs: number): number {
    return Math.floor((timestampMs - this.firstMs) / this.intervalMs);
  }

  readonly startMs: number;
  /** Inclusive. */
  readonly endMs: number;
  readonly intervalMs: number;
  /** The first bucket's start. */
  readonly firstMs: number;
  readonly count: number;
}

/**
 * The exactly rounded sum of `values`, as Python's `math.fsum` (Shewchuk's
 * partials), so means over the same values agree to the last bit.
 */
export function fsum(values: Iterable<number>): number {
  const partials: number[] = [];
  for (let x of values) {
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) {
        [x, y] = [y, x];
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) {
        partials[i++] = lo;
      }
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  let n = partials.length;
  if (n === 0) {
    return 0;
  }
  let hi = partials[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) {
      break;
    }
  }
  // round half to even across the remaining partials, as fsum does
  if (
    n > 0 &&
    ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))
  ) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) {
      hi = x;
    }
  }
  return hi;
}

/**
 * The `p`th percentile (0..100) of values sorted ascending, by linear
 * interpolation between closest ranks; null when there are none.
 */
export function percentile(
  sorted: ArrayLike<number>,
  p: number
): number | null {
  const n = sorted.length;
  if (n === 0) {
    return null;
  }
  const index = (p / 100) * (n - 1);
  const lo = Math.floor(index);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (index - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * `value` rounded to `digits` decimals exactly as Python's `round(value,
 * digits)` rounds, half to even on the value's exact binary expansion, so
 * both emitters and both paths write the same number.
 */
export function roundDecimals(value: number, digits: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) {
    return value;
  }
  const sign = value < 0 ? '-' : '';
  // toFixed(100) spells the double's exact decimal expansion for |value| >= 2^-47
  const [whole, fraction] = Math.abs(value).toFixed(100).split('.');
  const kept = `${whole}${fraction.slice(0, digits)}`;
  const rest = fraction.slice(digits).replace(/0+$/, '');
  let rounded = BigInt(kept);
  const last = Number(kept[kept.length - 1]);
  if (rest > '5' || (rest === '5' && last % 2 === 1)) {
    rounded += 1n;
  }
  const text = rounded.toString().padStart(digits + 1, '0');
  return Number(`${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`);
}

/** A latency or duration as the payload writes it: to three decimals (a microsecond). */
export function roundFigure(value: number): number {
  return roundDecimals(value, 3);
}

/** A share (0..1) or a mean score as the payload writes it: to six decimals. */
export function roundShare(value: number): number {
  return roundDecimals(value, 6);
}

/** US dollars as the payload writes them: to nine decimals. */
export function roundUsd(value: number): number {
  return roundDecimals(value, 9);
}

/** p50, p90 and p99 of the values (any order), rounded; null when there are none. */
export function latencyPercentiles(
  values: readonly number[]
): ISummaryLatencyJson | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => roundFigure(percentile(sorted, p) as number);
  return {
    p50: at(SUMMARY_PERCENTILES.p50),
    p90: at(SUMMARY_PERCENTILES.p90),
    p99: at(SUMMARY_PERCENTILES.p99)
  };
}

/** Figures of no trace: counts 0, latency and token sums null. */
export function emptyFigures(): ISummaryFiguresJson {
  return {
    traces: 0,
    errors: 0,
    latency_ms: null,
    tokens: { input: null, output: null, cache_read: null, cache_write: null }
  };
}

/** What a summary reads of one trace's info. */
export interface ITraceFacts {
  /** `request_time` in epoch ms; null when absent or malformed. */
  timestampMs: number | null;
  /** `execution_duration` in ms; null when absent (a trace in progress). */
  latencyMs: number | null;
  error: boolean;
  /** The counts of `mlflow.trace.tokenUsage` that are whole and not negative. */
  tokens: Partial<Record<keyof ISummaryTokensJson, number>>;
}

/**
 * Milliseconds of a protobuf Duration ("0.300s", "1s"), read through its
 * decimal digits rather than by multiplying a float by 1000.
 */
export function durationStringMs(value: unknown): number | null {
  if (typeof value !== 'string') {
    return null;
  }
  const match = /^\s*(\d+)(?:\.(\d+))?s\s*$/.exec(value);
  if (!match) {
    return null;
  }
  const fraction = (match[2] ?? '').padEnd(3, '0');
  const rest = fraction.slice(3);
  return Number(`${match[1]}${fraction.slice(0, 3)}${rest ? `.${rest}` : ''}`);
}

/** A recorded token count, as MLflow promotes it to its token columns. */
function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? value
    : null;
}

function tokenUsageOf(info: ITraceInfoV3): ITraceFacts['tokens'] {
  const raw = info.trace_metadata?.['mlflow.trace.tokenUsage'];
  let usage: unknown;
  try {
    usage = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    usage = undefined; // malformed: no tokens, as the server reads it
  }
  const tokens: ITraceFacts['tokens'] = {};
  if (isRecord(usage)) {
    for (const name of TOKEN_NAMES) {
      const count = tokenCount(usage[TOKEN_USAGE_KEYS[name]]);
      if (count !== null) {
        tokens[name] = count;
      }
    }
  }
  return tokens;
}

/** The figures a summary reads of one trace info from a search. */
export function traceFacts(info: ITraceInfoV3): ITraceFacts {
  const time =
    typeof info.request_time === 'string' ? Date.parse(info.request_time) : NaN;
  return {
    timestampMs: Number.isFinite(time) ? time : null,
    latencyMs: durationStringMs(info.execution_duration),
    error: info.state === 'ERROR',
    tokens: tokenUsageOf(info)
  };
}

/** The traces of one bucket, or of the whole range. */
export class SummaryTally {
  /** Counts one trace. */
  add(facts: ITraceFacts): void {
    this.traces += 1;
    this.errors += facts.error ? 1 : 0;
    if (facts.latencyMs !== null) {
      this._latencies.push(facts.latencyMs);
    }
    for (const name of TOKEN_NAMES) {
      const count = facts.tokens[name];
      if (count !== undefined) {
        this._tokens[name] = (this._tokens[name] ?? 0) + count;
      }
    }
  }

  /** The figures of the traces counted so far. */
  figures(): ISummaryFiguresJson {
    return {
      traces: this.traces,
      errors: this.errors,
      latency_ms: latencyPercentiles(this._latencies),
      tokens: { ...this._tokens }
    };
  }

  traces = 0;
  errors = 0;
  private _latencies: number[] = [];
  private _tokens: ISummaryTokensJson = emptyFigures().tokens;
}

/** Per-bucket tallies and the total, filled one trace at a time. */
export class SummaryTallies {
  /** Empty tallies for every bucket of `grid`. */
  constructor(grid: SummaryGrid) {
    this.grid = grid;
    this._buckets = Array.from(
      { length: grid.count },
      () => new SummaryTally()
    );
  }

  /** Counts a trace in its bucket and the total; one outside the range is left out. */
  add(facts: ITraceFacts): void {
    const t = facts.timestampMs;
    if (t === null || t < this.grid.startMs || t > this.grid.endMs) {
      return;
    }
    this._buckets[this.grid.index(t)].add(facts);
    this.total.add(facts);
  }

  /** Every bucket's figures with its start, in order. */
  buckets(): ISummaryBucketJson[] {
    return this._buckets.map((tally, i) => ({
      start_time_ms: this.grid.firstMs + i * this.grid.intervalMs,
      ...tally.figures()
    }));
  }

  readonly grid: SummaryGrid;
  readonly total = new SummaryTally();
  private _buckets: SummaryTally[];
}

/**
 * Every bucket of the grid and the totals over trace infos, as the server's
 * QueryTraceMetrics computes them.
 */
export function aggregateTraceInfos(
  infos: Iterable<ITraceInfoV3>,
  grid: SummaryGrid
): { buckets: ISummaryBucketJson[]; totals: ISummaryFiguresJson } {
  const tallies = new SummaryTallies(grid);
  for (const info of infos) {
    tallies.add(traceFacts(info));
  }
  return { buckets: tallies.buckets(), totals: tallies.total.figures() };
}

/** The payload's cost names and MLflow's span cost keys (the SPANS view's metrics). */
export const COST_KEYS: Readonly<Record<keyof ISummaryCostJson, string>> = {
  input: 'input_cost',
  output: 'output_cost',
  total: 'total_cost'
};

const COST_NAMES = Object.keys(COST_KEYS) as (keyof ISummaryCostJson)[];

/** A cost no span recorded: every sum null. */
export function emptyCost(): ISummaryCostJson {
  return { input: null, output: null, total: null };
}

/** Sums of span costs (null until a span records one), rounded as the payload writes them. */
export class CostSum {
  /** Adds one span's recorded costs (null: not recorded). */
  add(cost: ISummaryCostJson): void {
    for (const name of COST_NAMES) {
      const value = cost[name];
      if (value !== null) {
        this.raw[name] = (this.raw[name] ?? 0) + value;
      }
    }
  }

  /** The sums, rounded to nine decimals. */
  json(): ISummaryCostJson {
    const out = emptyCost();
    for (const name of COST_NAMES) {
      const value = this.raw[name];
      out[name] = value === null ? null : roundUsd(value);
    }
    return out;
  }

  /** Unrounded sums. */
  readonly raw: ISummaryCostJson = emptyCost();
}

/**
 * Span costs per bucket and over the range, by each span's start time (as
 * MLflow's SPANS view buckets and bounds cost), whatever its trace's time.
 */
export class CostTallies {
  /** Empty sums for every bucket of `grid`. */
  constructor(grid: SummaryGrid) {
    this.grid = grid;
    this.buckets = Array.from({ length: grid.count }, () => new CostSum());
  }

  /** Adds a span's costs in the bucket of `startMs`; one starting outside the range is left out. */
  add(startMs: number, cost: ISummaryCostJson): void {
    if (startMs < this.grid.startMs || startMs > this.grid.endMs) {
      return;
    }
    this.buckets[this.grid.index(startMs)].add(cost);
    this.total.add(cost);
  }

  readonly grid: SummaryGrid;
  readonly buckets: CostSum[];
  readonly total = new CostSum();
}
