/**
 * summarize(): traces, errors, latency p50/p90/p99 and tokens per
 * epoch-aligned UTC time bucket and over the range, shown under the cell as
 * the trace-summary output. The twin of the Python package's `summarize`.
 *
 * #### Notes
 * The tracking server computes it where it can (MLflow's QueryTraceMetrics,
 * `POST /api/3.0/mlflow/traces/metrics`); where the filter has no
 * QueryTraceMetrics form or the server lacks the endpoint, it is computed
 * here over search results read in pages, and the payload says so
 * (`source: 'search'`, `source_note`).
 */
import { inspect } from 'util';
import {
  encodeTraceSummaryBundle,
  ITraceSummaryBundle,
  ITraceSummaryParts,
  summaryBundle
} from '../bundle/summaryencode';
import { plural } from '../bundle/format';
import { MlflowClient } from '../client';
import {
  ISummaryBucketJson,
  ISummaryFiguresJson,
  parseIntervalSeconds,
  SummaryGrid
} from '../trace/aggregate';
import {
  IBudgets,
  IBudgetsJson,
  parseBudgets,
  violations
} from '../trace/budgets';
import { IGroupByJson, parseGroupBy } from '../trace/groupby';
import { translateMetricsFilter } from '../trace/metricsfilter';
import {
  searchParts,
  searchSegments,
  tallyTraces
} from '../trace/searchsummary';
import { installAutoDisplay } from './autodisplay';
import { emit } from './displaycontent';
import {
  MetricsAsker,
  NoServerMetricsError,
  serverFigures
} from './summarypaths';
import { searchTraces, SummaryProgress } from './summarysearch';
import { serverQuality, serverSegments, serverSpans } from './summaryserver';
import { current } from './session';
import {
  currentCellScope,
  currentDisplayWriter,
  DisplayWriter,
  holdCell
} from './tslab';

/** Options of summarize() and check(). */
export interface ISummarizeOptions {
  /** Default: the configured experiment. */
  experimentIds?: readonly string[];
  /** search_traces syntax, e.g. `tags.version = 'v2'`. */
  filter?: string;
  /** A Date or epoch ms, inclusive; default 24 hours before `end`. */
  start?: Date | number;
  /** A Date or epoch ms, inclusive; default now. */
  end?: Date | number;
  /** Seconds or `'15m'`, `'1h'`, `'1d'`; default `'1h'`. At most 1000 buckets. */
  interval?: number | string;
  /** Segments by a tag or metadata key, in search_traces syntax: `'tags.version'`, `'metadata.segment'`. */
  groupBy?: string;
  /** Limits the charts mark and check() reports. */
  budgets?: IBudgets;
  /** false: compute over search results even where the server could. */
  useServer?: boolean;
}

const DAY_MS = 24 * 3600 * 1000;

/** Epoch ms of a Date or of epoch ms (truncated); an Error for anything else. */
function epochMs(value: Date | number, what: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new Error(`summarize: ${what} is not a Date or epoch milliseconds`);
  }
  return Math.trunc(ms);
}

/** What either path fills. */
interface IFilled extends ITraceSummaryParts {
  buckets: ISummaryBucketJson[];
  totals: ISummaryFiguresJson;
}

/** The query both paths answer. */
interface IQuery {
  experimentIds: readonly string[];
  filter: string | undefined;
  /** The filter and the range, for searches. */
  searchFilter: string;
  grid: SummaryGrid;
  groupBy?: IGroupByJson;
  budgets?: IBudgetsJson;
}

/** Fills the payload's parts from the server, or says why it could not. */
async function fromServer(
  client: MlflowClient,
  query: IQuery
): Promise<IFilled | string> {
  const translated = translateMetricsFilter(query.filter);
  if (translated.filters === null) {
    return translated.reason;
  }
  const asker = new MetricsAsker(
    client,
    query.experimentIds,
    translated.filters,
    query.grid
  );
  try {
    const { buckets, totals, traceTimeMs } = await serverFigures(asker);
    const [quality, spans, segments] = await Promise.all([
      serverQuality(asker),
      serverSpans(
        asker,
        query.budgets,
        traceTimeMs,
        totals.cost?.total ?? null
      ),
      query.groupBy
        ? serverSegments(
            asker,
            query.groupBy,
            query.searchFilter,
            totals.traces
          )
        : undefined
    ]);
    return { buckets, totals, quality, ...(segments ?? {}), spans };
  } catch (error) {
    if (error instanceof NoServerMetricsError) {
      return error.message;
    }
    throw error;
  }
}

/** Fills the payload's parts over search results; `read` is how many. */
async function fromSearch(
  client: MlflowClient,
  query: IQuery,
  progress: SummaryProgress
): Promise<IFilled & { read: number }> {
  let traces;
  try {
    traces = await searchTraces(
      client,
      query.experimentIds,
      query.searchFilter,
      progress
    );
  } finally {
    progress.done();
  }
  const { buckets, totals } = tallyTraces(traces, query.grid);
  const { quality, spans } = searchParts(
    traces,
    query.grid,
    totals,
    query.budgets
  );
  const segments = query.groupBy
    ? searchSegments(traces, query.grid, query.groupBy, totals.traces)
    : {};
  return {
    buckets,
    totals,
    quality,
    ...segments,
    spans,
    read: traces.length
  };
}

/**
 * The trace-summary payload of `options` over `client`'s server, computed
 * by the server where it can, else over search results (a progress line
 * through `writer` while they are read); nothing else displayed.
 */
export async function computeSummary(
  client: MlflowClient,
  options: ISummarizeOptions & { experimentIds: readonly string[] },
  writer: DisplayWriter | null = null
): Promise<{ payload: ITraceSummaryBundle; warnings: string[] }> {
  const groupBy =
    options.groupBy === undefined ? undefined : parseGroupBy(options.groupBy);
  const budgets =
    options.budgets === undefined ? undefined : parseBudgets(options.budgets);
  const endMs =
    options.end !== undefined ? epochMs(options.end, 'end') : Date.now();
  const startMs =
    options.start !== undefined
      ? epochMs(options.start, 'start')
      : endMs - DAY_MS;
  const intervalSeconds = parseIntervalSeconds(options.interval ?? '1h');
  const grid = new SummaryGrid(startMs, endMs, intervalSeconds);
  const experimentIds = options.experimentIds.map(String);
  // a filter of only whitespace (space, tab, CR, LF, as the translation reads it) is none
  const filter = /[^ \t\r\n]/.test(options.filter ?? '')
    ? options.filter
    : undefined;
  const inRange =
    `attributes.timestamp_ms >= ${grid.startMs} AND ` +
    `attributes.timestamp_ms <= ${grid.endMs}`;
  const query: IQuery = {
    experimentIds,
    filter,
    searchFilter: filter ? `${filter} AND ${inRange}` : inRange,
    grid,
    groupBy,
    budgets
  };
  const server =
    options.useServer === false
      ? 'useServer: false'
      : await fromServer(client, query);
  let filled: IFilled;
  let sourceNote: string | undefined;
  if (typeof server === 'string') {
    const { read, ...found } = await fromSearch(
      client,
      query,
      new SummaryProgress(writer)
    );
    filled = found;
    sourceNote = `computed over ${plural(read, 'search result')}, not by the tracking server: ${server}`;
  } else {
    filled = server;
  }
  const { bundle, warnings } = encodeTraceSummaryBundle(
    {
      experimentIds,
      filter,
      startMs,
      endMs,
      intervalSeconds,
      groupBy,
      budgets,
      source: sourceNote === undefined ? 'server' : 'search',
      sourceNote,
      ...filled
    },
    { trackingUri: client.trackingUri }
  );
  if (budgets !== undefined) {
    bundle.violations = violations(bundle);
  }
  return { payload: bundle, warnings };
}

/**
 * Traces, errors, latency p50/p90/p99, tokens and span cost per time
 * bucket and over the range on the configured server, with quality, where
 * time and cost go, segments (`groupBy`) and broken budgets (`budgets`);
 * displays the trace-summary output under the cell and resolves with its
 * payload.
 */
export async function summarize(
  options: ISummarizeOptions = {}
): Promise<ITraceSummaryBundle> {
  installAutoDisplay();
  const writer = currentDisplayWriter();
  const scope = currentCellScope();
  const work = (async () => {
    const { payload, warnings } = await summaryOf(options, writer);
    const content = {
      data: summaryBundle(payload),
      metadata: {},
      transient: {}
    };
    emit(writer, content, warnings);
    return quietInNotebook(payload);
  })();
  return holdCell(scope, work);
}

/**
 * The payload, unchanged as data, but printed by tslab (which shows a
 * cell's last value with util.inspect) as one line instead of its whole
 * object: the summary itself is already displayed above it.
 */
export function quietInNotebook(
  payload: ITraceSummaryBundle
): ITraceSummaryBundle {
  const { traces, errors } = payload.totals;
  const line = `[trace summary: ${plural(traces, 'trace')}, ${plural(errors, 'error')}, computed by ${payload.source === 'server' ? 'the tracking server' : 'search'}]`;
  Object.defineProperty(payload, inspect.custom, {
    value: () => line,
    enumerable: false
  });
  return payload;
}

/** The payload of `options` on the configured session. */
export async function summaryOf(
  options: ISummarizeOptions,
  writer: DisplayWriter | null
): Promise<{ payload: ITraceSummaryBundle; warnings: string[] }> {
  const session = await current();
  const experimentIds =
    options.experimentIds && options.experimentIds.length > 0
      ? options.experimentIds
      : [session.config.experimentId];
  return computeSummary(session.client, { ...options, experimentIds }, writer);
}
