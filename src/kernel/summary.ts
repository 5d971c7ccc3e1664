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
import {
  encodeTraceSummaryBundle,
  ITraceSummaryBundle,
  summaryBundle
} from '../bundle/summaryencode';
import { plural } from '../bundle/format';
import { MlflowClient } from '../client';
import { parseIntervalSeconds, SummaryGrid } from '../trace/aggregate';
import { translateMetricsFilter } from '../trace/metricsfilter';
import { installAutoDisplay } from './autodisplay';
import { emit } from './displaycontent';
import {
  ISummaryFigureSet,
  NoServerMetricsError,
  searchFigures,
  serverFigures
} from './summarypaths';
import { current } from './session';
import { currentCellScope, currentDisplayWriter, holdCell } from './tslab';

/** Options of summarize(). */
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

/** Fills the figures from the server, or says why it could not. */
async function fromServer(
  client: MlflowClient,
  experimentIds: readonly string[],
  filter: string | undefined,
  grid: SummaryGrid
): Promise<ISummaryFigureSet | string> {
  const translated = translateMetricsFilter(filter);
  if (translated.filters === null) {
    return translated.reason;
  }
  try {
    return await serverFigures(client, experimentIds, translated.filters, grid);
  } catch (error) {
    if (error instanceof NoServerMetricsError) {
      return error.message;
    }
    throw error;
  }
}

/**
 * The trace-summary payload of `options` over `client`'s server, computed
 * by the server where it can, else over search results; nothing displayed.
 */
export async function computeSummary(
  client: MlflowClient,
  options: ISummarizeOptions & { experimentIds: readonly string[] }
): Promise<{ payload: ITraceSummaryBundle; warnings: string[] }> {
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
  const server =
    options.useServer === false
      ? 'useServer: false'
      : await fromServer(client, experimentIds, filter, grid);
  let figures: ISummaryFigureSet;
  let sourceNote: string | undefined;
  if (typeof server === 'string') {
    const found = await searchFigures(client, experimentIds, filter, grid);
    figures = found;
    sourceNote = `computed over ${plural(found.traces, 'search result')}, not by the tracking server: ${server}`;
  } else {
    figures = server;
  }
  const { bundle, warnings } = encodeTraceSummaryBundle(
    {
      experimentIds,
      filter,
      startMs,
      endMs,
      intervalSeconds,
      source: sourceNote === undefined ? 'server' : 'search',
      sourceNote,
      buckets: figures.buckets,
      totals: figures.totals
    },
    { trackingUri: client.trackingUri }
  );
  return { payload: bundle, warnings };
}

/**
 * Traces, errors, latency p50/p90/p99 and tokens (input, output, cache read
 * and write) per time bucket and over the range, on the configured server;
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
    const session = await current();
    const experimentIds =
      options.experimentIds && options.experimentIds.length > 0
        ? options.experimentIds
        : [session.config.experimentId];
    const { payload, warnings } = await computeSummary(session.client, {
      ...options,
      experimentIds
    });
    const content = {
      data: summaryBundle(payload),
      metadata: {},
      transient: {}
    };
    emit(writer, content, warnings);
    return payload;
  })();
  return holdCell(scope, work);
}
