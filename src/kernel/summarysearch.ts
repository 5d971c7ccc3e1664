/**
 * The search path's reading: every trace info the search finds, page after
 * page, then each trace's spans (at most four at a time), with a progress
 * line under the cell that updates in place while it reads. The twin of
 * the Python package's `_summary_search.search_traces` and `Progress`.
 */
import { MlflowClient } from '../client';
import { formatCount } from '../trace/format';
import { ISearchedTrace } from '../trace/searchsummary';
import { spanFacts } from '../trace/spanrows';
import { ITraceInfoV3 } from '../trace/wire';
import { SUMMARY_CONCURRENCY, SUMMARY_PAGE_SIZE } from './summarypaths';
import { DisplayWriter } from './tslab';

let progressCounter = 0;
/** The progress line moves on every this many traces whose spans were read. */
const SPAN_PROGRESS_EVERY = 10;

/** One text line under the cell, updated in place and cleared when done; nothing outside a kernel. */
export class SummaryProgress {
  constructor(writer: DisplayWriter | null) {
    this._writer = writer;
    this._displayId = `mlflow-summary-progress-${process.pid}-${++progressCounter}`;
  }

  /** Shows `text` in place of the previous line. */
  show(text: string): void {
    this._send(text);
  }

  /** Clears the line (when one was shown). */
  done(): void {
    if (this._shown) {
      this._send('');
    }
  }

  private _send(text: string): void {
    if (this._writer === null) {
      return;
    }
    this._writer(
      {
        data: { 'text/plain': text },
        metadata: {},
        transient: { display_id: this._displayId }
      },
      this._shown
    );
    this._shown = true;
  }

  private _writer: DisplayWriter | null;
  private _displayId: string;
  private _shown = false;
}

/**
 * Every trace the search finds with its span facts; `progress` tells how
 * far the reading is.
 */
export async function searchTraces(
  client: MlflowClient,
  experimentIds: readonly string[],
  filter: string,
  progress: SummaryProgress
): Promise<ISearchedTrace[]> {
  const infos: ITraceInfoV3[] = [];
  for await (const info of client.iterateTraces({
    experimentIds: experimentIds.slice(),
    filter,
    maxResults: SUMMARY_PAGE_SIZE
  })) {
    infos.push(info);
    if (infos.length % SUMMARY_PAGE_SIZE === 0) {
      const pages = infos.length / SUMMARY_PAGE_SIZE;
      progress.show(
        `Summarizing over search results: ${formatCount(infos.length)} traces read (${pages} pages)…`
      );
    }
  }
  return readSpans(client, infos, progress);
}

/** The span facts of each trace, at most SUMMARY_CONCURRENCY requests at a time. */
async function readSpans(
  client: MlflowClient,
  infos: ITraceInfoV3[],
  progress: SummaryProgress
): Promise<ISearchedTrace[]> {
  const traces: ISearchedTrace[] = new Array(infos.length);
  let next = 0;
  let read = 0;
  const worker = async () => {
    while (next < infos.length) {
      const i = next++;
      // integers exact: nanosecond times exceed 2^53
      const spans = await client.getTraceSpans(infos[i].trace_id, {
        exactIntegers: true
      });
      traces[i] = { info: infos[i], spans: spans.map(spanFacts) };
      read += 1;
      if (read % SPAN_PROGRESS_EVERY === 0) {
        progress.show(
          `Summarizing over search results: spans of ${formatCount(read)} of ` +
            `${formatCount(infos.length)} traces read…`
        );
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(SUMMARY_CONCURRENCY, infos.length) }, worker)
  );
  return traces;
}
