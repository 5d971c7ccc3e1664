/**
 * Where time and cost go: one row per span name or span type over a
 * summary's range, as MLflow's SPANS view computes it. Pure; the twin of the
 * Python package's `_summary_spans.py`.
 *
 * #### Notes
 * Checked against MLflow 3.17.2 (`sql_trace_metrics_utils.py`, the span
 * rows its `log_spans` writes): an unfinished span counts but has no
 * latency; its status is `OK`, `ERROR` or `UNSET`; a span without
 * `mlflow.spanType` has no type and no by-type row; each of `input_cost`,
 * `output_cost`, `total_cost` of `mlflow.llm.cost` is kept when it is a
 * finite number, never derived from the others. Count and latency are
 * bounded by the trace's request time, cost by the span's own start time.
 * A span's duration is `(end_ns - start_ns) / 1e6` ms, as the Python twin
 * takes it (the server floors it to whole ms: the same for whole-ms spans).
 * Rounding as the twin: total_ms to 3 decimals, cost to 9, shares to 6,
 * each share from the rounded figures.
 */
import { decodeAttribute, isRecord } from './attributes';
import {
  emptyCost,
  fsum,
  ISummaryCostJson,
  percentile,
  roundFigure,
  roundShare,
  roundUsd
} from './aggregate';

/** Most rows of each ranking (rows of budgeted spans come on top). */
export const MAX_SPAN_ROWS = 12;

/** One row of `spans.by_name` / `spans.by_type`, as the payload writes it. */
export interface ISpanRowJson {
  key: string;
  count: number;
  errors: number;
  total_ms: number;
  share_time: number | null;
  latency_ms: { p50: number; p90: number } | null;
  cost: number | null;
  share_cost: number | null;
}

/** `spans` of the payload. */
export interface ISpanRowsJson {
  by_name: ISpanRowJson[];
  by_type: ISpanRowJson[];
}

/** What a summary reads of one span dict. */
export interface ISpanFacts {
  name: string;
  /** `mlflow.spanType`; null when absent. */
  type: string | null;
  error: boolean;
  /** Floor of the start in epoch ms; null when unreadable. */
  startMs: number | null;
  /** (end - start) in ms; null for an unfinished span. */
  latencyMs: number | null;
  cost: ISummaryCostJson;
}

const NS_PER_MS = 1_000_000n;

/** Nanoseconds as an exact BigInt (numbers above 2^53 arrive as digit strings); null otherwise. */
function nanos(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return BigInt(value);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    return BigInt(value);
  }
  return null;
}

/** A recorded cost figure: a finite number. */
function costFigure(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function spanCost(rawAttributes: unknown): ISummaryCostJson {
  const cost = emptyCost();
  const record = decodeAttribute(rawAttributes, 'mlflow.llm.cost');
  if (isRecord(record)) {
    cost.input = costFigure(record.input_cost);
    cost.output = costFigure(record.output_cost);
    cost.total = costFigure(record.total_cost);
  }
  return cost;
}

function statusCode(raw: Record<string, unknown>): string {
  const status = isRecord(raw.status) ? raw.status.code : raw.status;
  return typeof status === 'string' ? status.replace(/^STATUS_CODE_/, '') : '';
}

/**
 * The facts of one span dict as the tracking server returns it; integers
 * must have been parsed exactly (parseJsonExact), or times are off by up to
 * 256 ns and whole-ms latencies by one.
 */
export function spanFacts(raw: unknown): ISpanFacts {
  const span = isRecord(raw) ? raw : {};
  const start = nanos(span.start_time_unix_nano);
  const end = nanos(span.end_time_unix_nano);
  const type = decodeAttribute(span.attributes, 'mlflow.spanType');
  return {
    name: typeof span.name === 'string' ? span.name : '',
    type: typeof type === 'string' ? type : null,
    error: statusCode(span) === 'ERROR',
    startMs: start === null ? null : Number(start / NS_PER_MS),
    latencyMs:
      start === null || end === null || end === 0n
        ? null
        : Number(end - start) / 1e6,
    cost: spanCost(span.attributes)
  };
}

/** What one row needs, unrounded: from the spans or from the server's answers. */
export interface ISpanRowFigures {
  count: number;
  errors: number;
  /** Mean latency of the finished spans; null when none finished. */
  avgMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  /** Summed total_cost of the spans starting in the range; null when none recorded it. */
  cost: number | null;
}

/** A row of no span. */
export function emptyRowFigures(): ISpanRowFigures {
  return {
    count: 0,
    errors: 0,
    avgMs: null,
    p50Ms: null,
    p90Ms: null,
    cost: null
  };
}

/**
 * Row figures per key of the spans (by name or type) of the traces in
 * range; `inRange(startMs)` says whether a span's cost counts.
 */
export function spanRowFigures(
  spans: Iterable<ISpanFacts>,
  keyOf: (span: ISpanFacts) => string | null,
  inRange: (startMs: number) => boolean
): Map<string, ISpanRowFigures> {
  const latencies = new Map<string, number[]>();
  const rows = new Map<string, ISpanRowFigures>();
  for (const span of spans) {
    const key = keyOf(span);
    if (key === null) {
      continue;
    }
    let row = rows.get(key);
    if (row === undefined) {
      row = emptyRowFigures();
      rows.set(key, row);
      latencies.set(key, []);
    }
    row.count += 1;
    row.errors += span.error ? 1 : 0;
    if (span.latencyMs !== null) {
      latencies.get(key)?.push(span.latencyMs);
    }
    const cost = span.cost.total;
    if (cost !== null && span.startMs !== null && inRange(span.startMs)) {
      row.cost = (row.cost ?? 0) + cost;
    }
  }
  for (const [key, row] of rows) {
    const values = Float64Array.from(latencies.get(key) ?? []).sort();
    if (values.length > 0) {
      row.avgMs = fsum(values) / values.length;
      row.p50Ms = percentile(values, 50);
      row.p90Ms = percentile(values, 90);
    }
  }
  return rows;
}

/** total_ms of a row, unrounded: the mean latency times the count, as the server's AVG gives it. */
export function rowTotalMs(figures: ISpanRowFigures): number {
  return figures.avgMs === null ? 0 : figures.avgMs * figures.count;
}

/**
 * The keys a ranking shows: the MAX_SPAN_ROWS with the largest total_ms
 * (ties: key ascending), then every budgeted key not among them, in that
 * order (a budgeted key no span has gets a row of count 0).
 */
export function rankedKeys(
  rows: ReadonlyMap<string, ISpanRowFigures>,
  budgeted: readonly string[] = []
): string[] {
  const ranked = Array.from(rows.keys()).sort((a, b) => {
    const ta = roundFigure(rowTotalMs(rows.get(a) as ISpanRowFigures));
    const tb = roundFigure(rowTotalMs(rows.get(b) as ISpanRowFigures));
    return tb - ta || (a < b ? -1 : a > b ? 1 : 0);
  });
  const keys = ranked.slice(0, MAX_SPAN_ROWS);
  for (const key of budgeted) {
    if (!keys.includes(key)) {
      keys.push(key);
    }
  }
  return keys;
}

/**
 * A row as the payload writes it. `traceTimeMs`: the traces' summed
 * execution time in range (null: unknown); `totalCost`: the range's total
 * span cost as the payload writes it (null: no span recorded one, and then
 * no row has a cost).
 */
export function spanRowJson(
  key: string,
  figures: ISpanRowFigures,
  traceTimeMs: number | null,
  totalCost: number | null
): ISpanRowJson {
  const totalMs = roundFigure(rowTotalMs(figures));
  const cost =
    totalCost === null || figures.cost === null ? null : roundUsd(figures.cost);
  return {
    key,
    count: figures.count,
    errors: figures.errors,
    total_ms: totalMs,
    share_time: traceTimeMs ? roundShare(totalMs / traceTimeMs) : null,
    latency_ms:
      figures.p50Ms === null || figures.p90Ms === null
        ? null
        : { p50: roundFigure(figures.p50Ms), p90: roundFigure(figures.p90Ms) },
    cost,
    share_cost:
      cost === null || !totalCost ? null : roundShare(cost / totalCost)
  };
}

/** The rows of one ranking, as the payload writes them. */
export function spanRowsJson(
  rows: ReadonlyMap<string, ISpanRowFigures>,
  budgeted: readonly string[],
  traceTimeMs: number | null,
  totalCost: number | null
): ISpanRowJson[] {
  return rankedKeys(rows, budgeted).map(key =>
    spanRowJson(key, rows.get(key) ?? emptyRowFigures(), traceTimeMs, totalCost)
  );
}
