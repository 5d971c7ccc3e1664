/**
 * The search path of a summary over traces already read (infos and span
 * facts): figures per bucket with span cost, quality, span rows and
 * segments, as the server path computes them from QueryTraceMetrics. Pure;
 * the twin of the Python package's `_summary_paths.search_path` and
 * `_summary_search.tally`.
 */
import {
  CostTallies,
  durationStringMs,
  fsum,
  ISummaryBucketJson,
  ISummaryFiguresJson,
  SummaryGrid,
  SummaryTallies,
  traceFacts
} from './aggregate';
import { budgetedSpans, IBudgetsJson } from './budgets';
import {
  IGroupByJson,
  SEGMENT_SAMPLE,
  segmentsNote,
  segmentValueOf,
  topSegmentValues
} from './groupby';
import { assessmentFacts, IQualityJson, QualityTallies } from './quality';
import {
  ISpanFacts,
  ISpanRowsJson,
  spanRowFigures,
  spanRowsJson
} from './spanrows';
import { ITraceInfoV3 } from './wire';

/** One trace the search found: its info and the facts of its spans. */
export interface ISearchedTrace {
  info: ITraceInfoV3;
  spans: readonly ISpanFacts[];
}

/** Figures of every bucket and of the range. */
export interface ITraceFigureSet {
  buckets: ISummaryBucketJson[];
  totals: ISummaryFiguresJson;
}

/** A segment of the payload. */
export interface ISegmentJson extends ITraceFigureSet {
  value: string | null;
}

/** Request time in ms of a trace inside the grid's range, else null. */
function timeInRange(info: ITraceInfoV3, grid: SummaryGrid): number | null {
  const t = traceFacts(info).timestampMs;
  return t === null || t < grid.startMs || t > grid.endMs ? null : t;
}

/**
 * Per-bucket and total figures of traces, span cost included (by each
 * span's start time, within the range); traces outside the range are left
 * out, their spans too.
 */
export function tallyTraces(
  traces: Iterable<ISearchedTrace>,
  grid: SummaryGrid
): ITraceFigureSet {
  const tallies = new SummaryTallies(grid);
  const cost = new CostTallies(grid);
  for (const trace of traces) {
    if (timeInRange(trace.info, grid) === null) {
      continue;
    }
    tallies.add(traceFacts(trace.info));
    for (const span of trace.spans) {
      if (span.startMs !== null) {
        cost.add(span.startMs, span.cost);
      }
    }
  }
  const buckets = tallies.buckets().map((bucket, i) => ({
    ...bucket,
    cost: cost.buckets[i].json()
  }));
  return {
    buckets,
    totals: { ...tallies.total.figures(), cost: cost.total.json() }
  };
}

/** Quality and span rows of the traces in range (the whole query only). */
export function searchParts(
  traces: readonly ISearchedTrace[],
  grid: SummaryGrid,
  totals: ISummaryFiguresJson,
  budgets: IBudgetsJson | undefined
): { quality: IQualityJson[]; spans: ISpanRowsJson } {
  const quality = new QualityTallies(grid);
  const spans: ISpanFacts[] = [];
  const traceTimes: number[] = [];
  for (const trace of traces) {
    const t = timeInRange(trace.info, grid);
    if (t === null) {
      continue;
    }
    quality.add(t, assessmentFacts(trace.info));
    const latency = durationStringMs(trace.info.execution_duration);
    if (latency !== null) {
      traceTimes.push(latency);
    }
    spans.push(...trace.spans);
  }
  const inRange = (ms: number) => ms >= grid.startMs && ms <= grid.endMs;
  const traceTimeMs = traceTimes.length > 0 ? fsum(traceTimes) : null;
  const totalCost = totals.cost?.total ?? null;
  const { names, types } = budgetedSpans(budgets);
  return {
    quality: quality.json(),
    spans: {
      by_name: spanRowsJson(
        spanRowFigures(spans, s => s.name, inRange),
        names,
        traceTimeMs,
        totalCost
      ),
      by_type: spanRowsJson(
        spanRowFigures(spans, s => s.type, inRange),
        types,
        traceTimeMs,
        totalCost
      )
    }
  };
}

/**
 * The segments of the traces found and their note: values from the
 * SEGMENT_SAMPLE newest traces (by request time), figures tallied per value.
 */
export function searchSegments(
  traces: readonly ISearchedTrace[],
  grid: SummaryGrid,
  groupBy: IGroupByJson,
  totalTraces: number
): { segments: ISegmentJson[]; segments_note: string } {
  const time = (t: ISearchedTrace) =>
    traceFacts(t.info).timestampMs ?? -Infinity;
  const sample = traces
    .slice()
    .sort((a, b) => time(b) - time(a))
    .slice(0, SEGMENT_SAMPLE)
    .map(t => t.info);
  const segments = topSegmentValues(sample, groupBy).map(value => ({
    value,
    ...tallyTraces(
      traces.filter(t => segmentValueOf(t.info, groupBy) === value),
      grid
    )
  }));
  return segmentsWithNote(groupBy, segments, sample.length, totalTraces);
}

/** The segments and the note saying how their values were found. */
export function segmentsWithNote(
  groupBy: IGroupByJson,
  segments: ISegmentJson[],
  read: number,
  totalTraces: number
): { segments: ISegmentJson[]; segments_note: string } {
  const segmented = segments.reduce((n, s) => n + s.totals.traces, 0);
  return {
    segments,
    segments_note: segmentsNote(groupBy, read, totalTraces, segmented)
  };
}
