/**
 * The search behind a picked bucket or span row of a trace summary: the
 * summary's own filter, AND the bucket's (or the range's) request times,
 * AND, for a span row, its span name or type; the slowest traces first.
 * Pure: the model runs it through the client.
 *
 * #### Notes
 * MLflow 3.17.2's search filter (utils/search_utils.py, SearchTraceUtils)
 * takes `span.name` and `span.type` with `=` and `attributes.timestamp_ms`
 * with `>=` and `<=`; it has no parentheses and no OR, so the parts are
 * joined with AND. Its strings are quoted with ' or " and never unescaped,
 * so a value holding both quotes, or ending in a backslash, has no exact
 * filter: then the range's traces are listed and a note says so.
 */
import { formatIntervalSeconds, formatUtcMs, IQuerySummary } from '../trace';
import type { SummaryPick } from '../view';

/** Slowest first. */
export const DRILL_ORDER_BY = ['execution_time DESC'];

/** Traces per page of a drill-down list. */
export const DRILL_PAGE_SIZE = 100;

/** A drill-down search and how to caption it. */
export interface IDrillQuery {
  experimentIds: string[];
  filter: string;
  /** What the list holds, in words. */
  caption: string;
  /** What the list could not narrow to, if anything. */
  notes: string[];
}

/** The value as a filter string literal; null when no quote can carry it. */
export function filterLiteral(value: string): string | null {
  if (value.endsWith('\\')) {
    return null;
  }
  if (!value.includes("'")) {
    return `'${value}'`;
  }
  return value.includes('"') ? null : `"${value}"`;
}

/** The time range of bucket `index`, clipped to the query's range; null if it has no start. */
export function bucketRange(
  summary: IQuerySummary,
  index: number
): { fromMs: number; toMs: number } | null {
  const start = summary.buckets[index]?.startTimeMs;
  if (typeof start !== 'number') {
    return null;
  }
  const { query } = summary;
  return {
    fromMs: Math.max(start, query.startTimeMs),
    toMs: Math.min(start + query.intervalSeconds * 1000 - 1, query.endTimeMs)
  };
}

/** The search behind `pick`; null when the pick names no bucket with a start. */
export function drillQuery(
  summary: IQuerySummary,
  pick: SummaryPick
): IDrillQuery | null {
  const { query } = summary;
  const range =
    pick.kind === 'bucket'
      ? bucketRange(summary, pick.index)
      : { fromMs: query.startTimeMs, toMs: query.endTimeMs };
  if (!range) {
    return null;
  }
  const parts = query.filter?.trim() ? [query.filter.trim()] : [];
  parts.push(
    `attributes.timestamp_ms >= ${range.fromMs}`,
    `attributes.timestamp_ms <= ${range.toMs}`
  );
  const notes: string[] = [];
  let caption =
    pick.kind === 'bucket'
      ? `Traces of ${formatUtcMs(range.fromMs)} + ${formatIntervalSeconds(query.intervalSeconds)}`
      : `Traces of the range`;
  if (pick.kind === 'span') {
    const noun = pick.field === 'span_name' ? 'span name' : 'span type';
    const literal = filterLiteral(pick.key);
    if (literal === null) {
      notes.push(
        `A search filter cannot carry this ${noun} (it holds both quote characters or ends in a backslash): these are all the range's traces, not only those with such a span.`
      );
    } else {
      parts.push(
        `${pick.field === 'span_name' ? 'span.name' : 'span.type'} = ${literal}`
      );
      caption = `Traces with a span of ${noun} ${pick.key}`;
    }
  }
  return {
    experimentIds: query.experimentIds,
    filter: parts.join(' AND '),
    caption: `${caption}, slowest first`,
    notes
  };
}
