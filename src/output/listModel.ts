/**
 * The model behind one trace-list output: the rows, the page token, and the
 * trace opened or the pair compared under the table. Every change is
 * signalled; an answer to an action the user has since replaced is dropped.
 */
import { ISignal, Signal } from '@lumino/signaling';
import {
  IDecodedTraceList,
  ITraceListQuery,
  renderTraceListHtml,
  renderTraceListText
} from '../bundle';
import { MlflowClient } from '../client';
import { buildTrace, isRecord, ITraceInfoV3 } from '../trace';
import {
  AttachmentFetch,
  ITraceListItem,
  ListDetail,
  toListItem
} from '../view';

/** A client for the list's server, or why there is none. */
export type ListConnection = { client: MlflowClient } | { problem: string };

/**
 * How the views of an output fetch a trace's attachments: by trace id and
 * attachment id, through the output's connection (asked when first needed),
 * never from a URL the trace names.
 */
export function attachmentFetchOf(
  connect: () => Promise<ListConnection>
): AttachmentFetch {
  return (ref, signal) =>
    connect().then(answer => {
      if (!('client' in answer)) {
        throw new Error(answer.problem);
      }
      return answer.client.getTraceAttachment(ref, signal);
    });
}

/** The state and actions of a trace-list output. */
export class TraceListModel {
  constructor(options: TraceListModel.IOptions) {
    this.list = options.list;
    this._connect = options.connect;
    this._items = this.list.traces
      .filter(row => row.info)
      .map(row => toListItem(row.info!));
    this._nextPageToken = this.list.nextPageToken;
  }

  /** The decoded bundle. */
  readonly list: IDecodedTraceList;

  /**
   * Send later requests along a new connection (the output's trust changed);
   * the rows, the opened trace and answers in flight are kept.
   */
  reconnect(connect: () => Promise<ListConnection>): void {
    this._connect = connect;
  }

  /** Emitted after every change of the state below. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  /** The rows: the bundle's, then those of each page loaded. */
  get items(): ITraceListItem[] {
    return this._items;
  }

  /** The token of the next page; undefined on the last one. */
  get nextPageToken(): string | undefined {
    return this._nextPageToken;
  }

  /** True while a page is being loaded. */
  get loadingMore(): boolean {
    return this._loadingMore;
  }

  /** The trace opened under the table, if any. */
  get openedId(): string | undefined {
    return this._openedId;
  }

  /** What is shown under the table. */
  get detail(): ListDetail {
    return this._detail;
  }

  /** Load the next page of the query. */
  async loadMore(): Promise<void> {
    const pageToken = this._nextPageToken;
    if (!pageToken || this._loadingMore) {
      return;
    }
    this._set(() => (this._loadingMore = true));
    const query = this.list.query;
    await this._withClient('load more traces', undefined, async client => {
      const page = await client.searchTraces({
        experimentIds: query.experimentIds,
        filter: query.filter,
        orderBy: query.orderBy,
        maxResults: query.maxResults,
        pageToken
      });
      const known = new Set(this._items.map(item => item.traceId));
      const added = page.traces.filter(info => !known.has(info.trace_id));
      return () => {
        this._items = [...this._items, ...added.map(toListItem)];
        this._nextPageToken = page.nextPageToken;
      };
    });
    this._set(() => (this._loadingMore = false));
  }

  /** Fetch one trace and show it under the table. */
  async open(traceId: string): Promise<void> {
    const generation = this._showLoading(`trace ${traceId}`, traceId);
    await this._withClient(
      `open trace ${traceId}`,
      generation,
      async client => {
        const raw = await client.getTrace(traceId);
        const trace = buildTrace(raw.info, raw.spans);
        const uiUrl = client.uiUrl(raw.info);
        return () => (this._detail = { kind: 'trace', trace, uiUrl });
      }
    );
  }

  /** Fetch two traces and show them side by side. */
  async compare(leftId: string, rightId: string): Promise<void> {
    const generation = this._showLoading(
      `traces ${leftId} and ${rightId}`,
      undefined
    );
    await this._withClient('compare traces', generation, async client => {
      const [left, right] = await client.getTraces([leftId, rightId]);
      const pair = {
        left: buildTrace(left.info, left.spans),
        right: buildTrace(right.info, right.spans)
      };
      return () => (this._detail = { kind: 'compare', ...pair });
    });
  }

  /**
   * Show the loaded rows of one session as a conversation under the table;
   * an answer still pending for an earlier trace or pair is dropped.
   */
  openSession(sessionId: string): void {
    ++this._detailGeneration;
    const items = this._items.filter(item => item.session === sessionId);
    this._set(() => {
      this._openedId = undefined;
      this._detail = { kind: 'session', sessionId, items };
    });
  }

  /**
   * The freshest info of a trace: the opened trace's (fetched from the
   * server) when it is the one, else its row's.
   */
  infoOf(traceId: string): ITraceInfoV3 | undefined {
    const detail = this._detail;
    if (detail.kind === 'trace' && detail.trace.info?.trace_id === traceId) {
      return detail.trace.info;
    }
    return this._items.find(item => item.traceId === traceId)?.info;
  }

  /**
   * Apply a confirmed write to a trace's info: its row and, when it is
   * open, the opened trace (selection and scroll stay: same trace).
   */
  applyToInfo(
    traceId: string,
    apply: (info: ITraceInfoV3) => ITraceInfoV3
  ): void {
    this._set(() => {
      this._items = this._items.map(item =>
        item.traceId === traceId ? toListItem(apply(item.info)) : item
      );
      const detail = this._detail;
      if (detail.kind === 'trace' && detail.trace.info?.trace_id === traceId) {
        const trace = { ...detail.trace, info: apply(detail.trace.info) };
        this._detail = { ...detail, trace };
      }
    });
  }

  /** Drop every pending answer and stop signalling. */
  dispose(): void {
    this._disposed = true;
    Signal.clearData(this);
  }

  private _showLoading(what: string, openedId: string | undefined): number {
    const generation = ++this._detailGeneration;
    this._set(() => {
      this._openedId = openedId;
      this._detail = { kind: 'loading', what };
    });
    return generation;
  }

  /**
   * Runs `action` with a client; its result is applied unless the detail it
   * was for has been replaced (`generation`), and every failure, the lack of
   * a client included, becomes an error under the table.
   */
  private async _withClient(
    what: string,
    generation: number | undefined,
    action: (client: MlflowClient) => Promise<() => void>
  ): Promise<void> {
    const current = () =>
      !this._disposed &&
      (generation === undefined || generation === this._detailGeneration);
    let apply: () => void;
    try {
      const connection = await this._connect();
      if (!('client' in connection)) {
        throw new Error(connection.problem);
      }
      apply = await action(connection.client);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      apply = () =>
        (this._detail = {
          kind: 'error',
          message: `Cannot ${what}: ${message}`
        });
    }
    if (current()) {
      this._set(apply);
    }
  }

  private _set(change: () => void): void {
    if (this._disposed) {
      return;
    }
    change();
    this._stateChanged.emit();
  }

  private _connect: () => Promise<ListConnection>;
  private _items: ITraceListItem[];
  private _nextPageToken: string | undefined;
  private _loadingMore = false;
  private _openedId: string | undefined;
  private _detail: ListDetail = { kind: 'none' };
  private _detailGeneration = 0;
  private _disposed = false;
  private _stateChanged = new Signal<this, void>(this);
}

/** Companion namespace of {@link TraceListModel}. */
export namespace TraceListModel {
  /** Options of a list model. */
  export interface IOptions {
    list: IDecodedTraceList;
    /** A client of the server to ask, made when an action needs one. */
    connect: () => Promise<ListConnection>;
  }
}

/**
 * A trace-list output's data with one trace's info edited (a confirmed
 * label), its text/html and text/plain rebuilt by the same builders the
 * kernel uses, so a saved notebook shows the labels without a server.
 * Undefined when the bundle does not hold the trace (a row of a later page).
 */
export function editedListData(
  data: Readonly<Record<string, unknown>>,
  mimeType: string,
  traceId: string,
  apply: (info: ITraceInfoV3) => ITraceInfoV3
): Record<string, unknown> | undefined {
  const bundle = data[mimeType];
  if (!isRecord(bundle) || !Array.isArray(bundle.traces)) {
    return undefined;
  }
  let found = false;
  const traces = bundle.traces.map(raw => {
    if (isRecord(raw) && raw.trace_id === traceId) {
      found = true;
      return apply(raw as unknown as ITraceInfoV3);
    }
    return raw;
  });
  if (!found) {
    return undefined;
  }
  const edited = { ...bundle, traces };
  return {
    ...data,
    [mimeType]: edited,
    'text/html': renderTraceListHtml(edited),
    'text/plain': renderTraceListText(edited)
  };
}

/** `12 traces from experiment 1 matching …, ordered by …`. */
export function listCaption(count: number, query: ITraceListQuery): string {
  return (
    `${count} traces from experiment ${query.experimentIds.join(', ')}` +
    (query.filter ? ` matching ${query.filter}` : '') +
    (query.orderBy.length ? `, ordered by ${query.orderBy.join(', ')}` : '')
  );
}
