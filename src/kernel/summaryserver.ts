/**
 * The server path's parts beyond the figures: quality (the ASSESSMENTS
 * view), where time and cost go (the SPANS view) and segments (the figures
 * again with one more filter per value). The twin of the Python package's
 * `_summary_server.py` (`server_quality`, `server_spans`) and
 * `_summary_paths.server_path`.
 */
import { IMetricDataPoint, MetricAggregation, MlflowClient } from '../client';
import { roundShare, roundUsd } from '../trace/aggregate';
import { budgetedSpans, IBudgetsJson } from '../trace/budgets';
import { pyRepr } from '../trace/format';
import {
  IGroupByJson,
  SEGMENT_SAMPLE,
  topSegmentValues
} from '../trace/groupby';
import { equalsFilter } from '../trace/metricsfilter';
import {
  IQualityJson,
  IQualityPointJson,
  compareText,
  qualityJson
} from '../trace/quality';
import { ISegmentJson, segmentsWithNote } from '../trace/searchsummary';
import {
  emptyRowFigures,
  ISpanRowFigures,
  ISpanRowJson,
  ISpanRowsJson,
  rankedKeys,
  spanRowJson
} from '../trace/spanrows';
import { ITraceInfoV3 } from '../trace/wire';
import {
  MetricsAsker,
  NoServerMetricsError,
  SUMMARY_PAGE_SIZE,
  serverFigures
} from './summarypaths';

const COUNT: MetricAggregation[] = [{ type: 'COUNT' }];
const AVG: MetricAggregation[] = [{ type: 'AVG' }];
const LATENCY: MetricAggregation[] = [
  { type: 'AVG' },
  { type: 'PERCENTILE', percentile: 50 },
  { type: 'PERCENTILE', percentile: 90 }
];

/** One entry per assessment name, sorted by name. */
export async function serverQuality(
  asker: MetricsAsker
): Promise<IQualityJson[]> {
  const byName = { dimensions: ['assessment_name'] };
  const [counts, means, values, overall] = await Promise.all([
    asker.ask('ASSESSMENTS', 'assessment_count', COUNT, byName),
    asker.ask('ASSESSMENTS', 'assessment_value', AVG, byName),
    asker.ask('ASSESSMENTS', 'assessment_count', COUNT, {
      dimensions: ['assessment_name', 'assessment_value'],
      bucketed: false
    }),
    asker.ask('ASSESSMENTS', 'assessment_value', AVG, {
      ...byName,
      bucketed: false
    })
  ]);
  const grid = asker.grid;
  const names = new Map<string, IQualityPointJson[]>();
  for (const point of counts) {
    const name = point.dimensions.assessment_name;
    let points = names.get(name);
    if (points === undefined) {
      points = grid.starts().map(() => ({ count: 0, mean: null }));
      names.set(name, points);
    }
    points[asker.index(point)].count = Math.trunc(point.values.COUNT);
  }
  for (const point of means) {
    const points = names.get(point.dimensions.assessment_name);
    if (points && point.values.AVG !== undefined) {
      points[asker.index(point)].mean = roundShare(point.values.AVG);
    }
  }
  const valueCounts = new Map<string, Map<string, number>>();
  for (const point of values) {
    const { assessment_name: name, assessment_value: value } = point.dimensions;
    if (!valueCounts.has(name)) {
      valueCounts.set(name, new Map());
    }
    valueCounts.get(name)?.set(value, Math.trunc(point.values.COUNT));
  }
  const meanOf = new Map<string, number>();
  for (const point of overall) {
    if (point.values.AVG !== undefined) {
      meanOf.set(point.dimensions.assessment_name, point.values.AVG);
    }
  }
  return Array.from(names.keys())
    .sort(compareText)
    .map(name => {
      const points = names.get(name) as IQualityPointJson[];
      const mean = meanOf.get(name);
      return qualityJson(
        name,
        {
          count: points.reduce((n, p) => n + p.count, 0),
          mean: mean === undefined ? null : roundShare(mean)
        },
        valueCounts.get(name) ?? new Map(),
        points.map((p, i) => ({
          start_time_ms: grid.firstMs + i * grid.intervalMs,
          ...p
        }))
      );
    });
}

type SpanField = 'name' | 'type';

function spanFilter(field: SpanField, key: string): string {
  const filter = equalsFilter('span', field, key);
  if (filter === null) {
    throw new NoServerMetricsError(
      `QueryTraceMetrics cannot filter the span ${field} ${pyRepr(key)}`
    );
  }
  return filter;
}

/** [count, errors] per span name or type. */
async function spanCounts(
  asker: MetricsAsker,
  field: SpanField
): Promise<Map<string, ISpanRowFigures>> {
  const dimension = `span_${field}`;
  const rows = new Map<string, ISpanRowFigures>();
  const points = await asker.ask('SPANS', 'span_count', COUNT, {
    dimensions: [dimension, 'span_status'],
    bucketed: false
  });
  for (const point of points) {
    const key = point.dimensions[dimension];
    let row = rows.get(key);
    if (row === undefined) {
      row = emptyRowFigures();
      rows.set(key, row);
    }
    const count = Math.trunc(point.values.COUNT);
    row.count += count;
    if (point.dimensions.span_status === 'ERROR') {
      row.errors += count;
    }
  }
  return rows;
}

/** AVG, P50 and P90 of the span durations per name or type. */
async function spanLatency(
  asker: MetricsAsker,
  field: SpanField,
  keys: readonly string[]
): Promise<Map<string, Record<string, number>>> {
  if (field === 'name') {
    const points = await asker.ask('SPANS', 'latency', LATENCY, {
      dimensions: ['span_name'],
      bucketed: false
    });
    return new Map(points.map(p => [p.dimensions.span_name, p.values]));
  }
  // span latency has no span_type dimension: one query per type
  const found = await Promise.all(
    keys.map(key =>
      asker.ask('SPANS', 'latency', LATENCY, {
        bucketed: false,
        filters: [spanFilter('type', key)]
      })
    )
  );
  const latency = new Map<string, Record<string, number>>();
  keys.forEach((key, i) => {
    if (found[i].length > 0) {
      latency.set(key, found[i][0].values);
    }
  });
  return latency;
}

async function spanRows(
  asker: MetricsAsker,
  field: SpanField,
  budgeted: readonly string[],
  traceTimeMs: number | null,
  totalCost: number | null
): Promise<ISpanRowJson[]> {
  const rows = await spanCounts(asker, field);
  const keys = Array.from(new Set([...rows.keys(), ...budgeted])).sort(
    compareText
  );
  const latency = await spanLatency(asker, field, keys);
  for (const [key, row] of rows) {
    const values = latency.get(key);
    row.avgMs = values?.AVG ?? null;
    row.p50Ms = values?.['P50.0'] ?? null;
    row.p90Ms = values?.['P90.0'] ?? null;
  }
  const shown = rankedKeys(rows, budgeted);
  const costs = await Promise.all(
    shown.map(async key => {
      if (totalCost === null) {
        return null;
      }
      const points: IMetricDataPoint[] = await asker.ask(
        'SPANS',
        'total_cost',
        [{ type: 'SUM' }],
        { bucketed: false, filters: [spanFilter(field, key)] }
      );
      const sum = points[0]?.values.SUM;
      return sum === undefined ? null : roundUsd(sum);
    })
  );
  return shown.map((key, i) =>
    spanRowJson(
      key,
      { ...(rows.get(key) ?? emptyRowFigures()), cost: costs[i] },
      traceTimeMs,
      totalCost
    )
  );
}

/** The span rows by name and by type. */
export async function serverSpans(
  asker: MetricsAsker,
  budgets: IBudgetsJson | undefined,
  traceTimeMs: number | null,
  totalCost: number | null
): Promise<ISpanRowsJson> {
  const { names, types } = budgetedSpans(budgets);
  const [byName, byType] = await Promise.all([
    spanRows(asker, 'name', names, traceTimeMs, totalCost),
    spanRows(asker, 'type', types, traceTimeMs, totalCost)
  ]);
  return { by_name: byName, by_type: byType };
}

/** At most SEGMENT_SAMPLE trace infos the search finds, newest first. */
export async function newestInfos(
  client: MlflowClient,
  experimentIds: readonly string[],
  filter: string
): Promise<ITraceInfoV3[]> {
  const infos: ITraceInfoV3[] = [];
  let pageToken: string | undefined;
  while (infos.length < SEGMENT_SAMPLE) {
    const page = await client.searchTraces({
      experimentIds: experimentIds.slice(),
      filter,
      orderBy: ['timestamp_ms DESC'],
      maxResults: Math.min(SUMMARY_PAGE_SIZE, SEGMENT_SAMPLE - infos.length),
      pageToken
    });
    infos.push(...page.traces);
    pageToken = page.nextPageToken;
    if (!pageToken) {
      break;
    }
  }
  return infos.slice(0, SEGMENT_SAMPLE);
}

/** The segments by the server: the figures again with each value's filter. */
export async function serverSegments(
  asker: MetricsAsker,
  groupBy: IGroupByJson,
  searchFilter: string,
  totalTraces: number
): Promise<{ segments: ISegmentJson[]; segments_note: string }> {
  const infos = await newestInfos(
    asker.client,
    asker.experimentIds,
    searchFilter
  );
  const values = topSegmentValues(infos, groupBy);
  // every value must be sayable before any is asked
  const wheres = values.map(value => {
    const where = equalsFilter(`trace.${groupBy.kind}`, groupBy.key, value);
    if (where === null) {
      throw new NoServerMetricsError(
        `QueryTraceMetrics cannot filter the ${groupBy.kind} ` +
          `${pyRepr(groupBy.key)} = ${pyRepr(value)}`
      );
    }
    return where;
  });
  const segments = await Promise.all(
    values.map(async (value, i) => {
      const { buckets, totals } = await serverFigures(asker, [wheres[i]]);
      return { value, buckets, totals };
    })
  );
  return segmentsWithNote(groupBy, segments, infos.length, totalTraces);
}
