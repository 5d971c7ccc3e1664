/**
 * The model behind one trace output: embedded traces are parsed at once;
 * traces given by id are fetched from the tracking server; IN_PROGRESS
 * traces are polled until they end (bounded), except live ones, which the
 * kernel updates in place (`update`). Every change is signalled.
 *
 * #### Notes
 * Each load of a trace (the first fetch, Retry, Refresh) starts a new
 * generation of that trace: the previous poll timer is cancelled and an
 * answer of an older generation is dropped, so one poll chain runs per trace
 * and a late answer never overwrites a newer one.
 */
import { ISignal, Signal } from '@lumino/signaling';
import {
  IAuth,
  MlflowClient,
  MlflowClientError,
  TraceDataNotFoundError
} from '../client';
import { IBundleTrace, IDecodedBundle } from '../bundle';
import { buildTrace, ITraceInfoV3 } from '../trace';
import { rebuildTrace, ISpanCache } from '../trace/reuse';
import { mlflowTraceUiUrl } from '../trace/url';
import type { ITraceEntry } from '../view/TraceOutput';

const POLL_INTERVAL_MS = 2000;
// Two minutes of polling; a trace still running after that is refreshed by hand.
const MAX_POLLS = 60;

/** Keeps the entries of one output and signals every change. */
export class TraceLoader {
  constructor(options: TraceLoader.IOptions) {
    this._pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
    this._maxPolls = options.maxPolls ?? MAX_POLLS;
    const made = Private.makeClient(options);
    this._client = made.client;
    const noServer = made.problem ?? options.serverProblem;
    this._embeddedUiBaseUrl = options.embeddedUiBaseUrl;
    const receivedAtMs = options.receivedAtMs ?? Date.now();
    this._caches = options.bundle.traces.map(() => undefined);
    this._entries = options.bundle.traces.map((item, index) => {
      const entry = Private.initialEntry(item, this._client, noServer, options);
      if (item.embedded && !item.error) {
        const built = rebuildTrace(item.info, item.spans, undefined);
        entry.trace = built.trace;
        this._caches[index] = built.cache;
        entry.live = item.live;
        entry.receivedAtMs = item.live ? receivedAtMs : undefined;
      }
      return entry;
    });
    this._generations = this._entries.map(() => 0);
    this._timers = this._entries.map(() => undefined);
  }

  /** The current entries, replaced (never mutated) on each change. */
  get entries(): ITraceEntry[] {
    return this._entries;
  }

  /** Emitted after every change of `entries`. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  /** True when a tracking server is known, so traces can be (re)fetched. */
  get canFetch(): boolean {
    return this._client !== undefined;
  }

  /** The client of the output's server; undefined while none is known. */
  get client(): MlflowClient | undefined {
    return this._client;
  }

  /** The info of trace `traceId` as shown now (the first entry of that id). */
  infoOf(traceId: string): ITraceInfoV3 | undefined {
    return this._entries.find(entry => entry.traceId === traceId)?.trace?.info;
  }

  /**
   * Apply a confirmed write to the info of every entry of `traceId`: the
   * spans, and so the view's selection and expanded rows, stay as they are.
   */
  applyEdit(
    traceId: string,
    apply: (info: ITraceInfoV3) => ITraceInfoV3
  ): void {
    if (this._disposed) {
      return;
    }
    this._entries = this._entries.map(entry =>
      entry.traceId === traceId && entry.trace?.info
        ? { ...entry, trace: { ...entry.trace, info: apply(entry.trace.info) } }
        : entry
    );
    this._stateChanged.emit();
  }

  /** True once disposed: nothing is fetched or signalled any more. */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Fetch every trace that is not embedded, and poll the in-progress ones that are not live. */
  start(): void {
    this._entries.forEach((entry, index) => {
      if (entry.error) {
        return;
      }
      if (!entry.trace) {
        void this.refresh(index);
      } else {
        this._pollIfRunning(index);
      }
    });
  }

  /**
   * Take a newer payload of the same output (update_display_data) in place:
   * each trace is rebuilt reusing the span objects of unchanged span dicts;
   * a trace the payload does not embed (a final update over the output
   * budget, its spans dropped) keeps what is shown and is fetched from the
   * server. Returns false, changing nothing, unless `bundle` holds the same
   * traces in the same order, each embedded or fetchable (then the caller
   * builds a new loader).
   */
  update(bundle: IDecodedBundle, receivedAtMs = Date.now()): boolean {
    const { traces } = bundle;
    const same =
      !this._disposed &&
      traces.length === this._entries.length &&
      traces.every(
        (item, index) =>
          (item.embedded || this._client !== undefined) &&
          !item.error &&
          item.traceId === this._entries[index].traceId
      );
    if (!same) {
      return false;
    }
    this._entries = traces.map((item, index) => {
      // A newer payload replaces whatever a poll or a fetch was doing.
      clearTimeout(this._timers[index]);
      this._timers[index] = undefined;
      ++this._generations[index];
      if (!item.embedded) {
        // Shown as it was (no longer live) until the server's trace arrives.
        return {
          ...this._entries[index],
          live: undefined,
          receivedAtMs: undefined,
          truncatedAtChars: item.truncated?.max_string
        };
      }
      const built = rebuildTrace(item.info, item.spans, this._caches[index]);
      this._caches[index] = built.cache;
      return {
        ...this._entries[index],
        loading: false,
        error: undefined,
        trace: built.trace,
        live: item.live,
        receivedAtMs: item.live ? receivedAtMs : undefined,
        truncatedAtChars: item.truncated?.max_string,
        uiUrl: item.info
          ? Private.embeddedUiUrl(
              item.info,
              this._client,
              this._embeddedUiBaseUrl
            )
          : this._entries[index].uiUrl
      };
    });
    this._stateChanged.emit();
    traces.forEach((item, index) => {
      if (item.embedded) {
        this._pollIfRunning(index);
      } else {
        void this.refresh(index);
      }
    });
    return true;
  }

  /**
   * Give a loader made without a server its client, once the route is known:
   * running traces are then polled and Refresh works. Links of embedded traces
   * are kept. Does nothing when it already has a client or `options` name none.
   */
  connect(options: TraceLoader.IClientOptions): void {
    if (this._disposed || this._client) {
      return;
    }
    const { client } = Private.makeClient(options);
    if (!client) {
      return;
    }
    this._client = client;
    this._stateChanged.emit();
    this.start();
  }

  /** Fetch one trace from the server again (Retry, Refresh from server). */
  refresh(index: number): Promise<void> {
    if (index < 0 || index >= this._entries.length) {
      return Promise.resolve();
    }
    return this._load(index, ++this._generations[index], 0);
  }

  /** Stop polling and signalling. */
  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._timers.forEach(timer => clearTimeout(timer));
    Signal.clearData(this);
  }

  private async _load(
    index: number,
    generation: number,
    polls: number
  ): Promise<void> {
    const client = this._client;
    const traceId = this._entries[index].traceId;
    clearTimeout(this._timers[index]);
    this._timers[index] = undefined;
    if (!client || this._disposed) {
      return;
    }
    const current = () =>
      !this._disposed && this._generations[index] === generation;
    this._update(index, { loading: true, error: undefined });
    try {
      const info = await client.getTraceInfo(traceId);
      const inProgress = info.state === 'IN_PROGRESS';
      // A running trace may have no span data yet: show its info and keep polling.
      const spans = await client.getTraceSpans(traceId).catch(error => {
        if (inProgress && error instanceof TraceDataNotFoundError) {
          return [];
        }
        throw error;
      });
      if (!current()) {
        return;
      }
      this._caches[index] = undefined;
      this._update(index, {
        loading: false,
        trace: buildTrace(info, spans),
        live: undefined,
        receivedAtMs: undefined,
        uiUrl: client.uiUrl(info)
      });
      if (inProgress) {
        this._schedulePoll(index, generation, polls + 1);
      }
    } catch (error) {
      if (!current()) {
        return;
      }
      const message =
        error instanceof MlflowClientError
          ? error.message
          : `Could not load trace ${traceId}: ${String(error)}`;
      this._update(index, { loading: false, error: message });
    }
  }

  // A live trace is never polled: its kernel sends the updates.
  private _pollIfRunning(index: number): void {
    const entry = this._entries[index];
    if (!entry.live && entry.trace?.info?.state === 'IN_PROGRESS') {
      this._schedulePoll(index, ++this._generations[index], 0);
    }
  }

  private _schedulePoll(
    index: number,
    generation: number,
    polls: number
  ): void {
    clearTimeout(this._timers[index]);
    if (polls >= this._maxPolls || this._disposed) {
      return;
    }
    this._timers[index] = setTimeout(
      () => void this._load(index, generation, polls),
      this._pollIntervalMs
    );
  }

  private _update(index: number, change: Partial<ITraceEntry>): void {
    this._entries = this._entries.map((entry, i) =>
      i === index ? { ...entry, ...change } : entry
    );
    this._stateChanged.emit();
  }

  private _client: MlflowClient | undefined;
  private _embeddedUiBaseUrl: string | undefined;
  private _entries: ITraceEntry[];
  private _caches: (ISpanCache | undefined)[];
  private _generations: number[];
  private _timers: (ReturnType<typeof setTimeout> | undefined)[];
  private _pollIntervalMs: number;
  private _maxPolls: number;
  private _disposed = false;
  private _stateChanged = new Signal<this, void>(this);
}

/** Companion namespace of {@link TraceLoader}. */
/** What a trace given by id says when nothing can be fetched (the notice above the traces says why). */
export const SEE_NOTICE_ABOVE = 'see the message above.';

/** The bundle's own problems, shown above its traces. */
export function bundleNotices(bundle: IDecodedBundle): string[] {
  return bundle.traces.length === 0
    ? [...bundle.errors, 'This MLflow trace output holds no trace.']
    : [...bundle.errors];
}

export namespace TraceLoader {
  /** Options of a loader. */
  export interface IOptions extends IClientOptions {
    bundle: IDecodedBundle;
    /** Why no server is known, when `trackingUri` is unset (e.g. a bad setting). */
    serverProblem?: string;
    /** The server is not known yet (settings loading): traces to fetch show as loading. */
    awaitingServer?: boolean;
    /** Where links of embedded traces point (a trusted output's own server); default the client's. */
    embeddedUiBaseUrl?: string;
    /** Between two fetches of an IN_PROGRESS trace; default 2 s. */
    pollIntervalMs?: number;
    /** Fetches of an IN_PROGRESS trace before giving up; default 60. */
    maxPolls?: number;
    /** When the bundle arrived (Date.now()), for the clock of live traces. */
    receivedAtMs?: number;
  }

  /** Where and how the loader's client sends requests. */
  export interface IClientOptions {
    /** Where to fetch from, already decided (config.ts resolveRoute). */
    trackingUri: string | undefined;
    /** Credentials for `trackingUri`, already checked against its origin (config.ts resolveAuth). */
    auth?: IAuth;
    /** Per-request timeout; default 30 s. */
    timeoutMs?: number;
    /** Retries on transient faults; default 2. */
    maxRetries?: number;
    /** The fetch of the client (e.g. through the Jupyter server, jupyterServer.ts). */
    fetch?: typeof fetch;
    /** The tracking server as a browser opens its UI, when requests are forwarded. */
    uiBaseUrl?: string;
  }
}

namespace Private {
  /** The client of `trackingUri`, or why there is none; never throws. */
  export function makeClient(options: TraceLoader.IClientOptions): {
    client?: MlflowClient;
    problem?: string;
  } {
    if (!options.trackingUri) {
      return {};
    }
    try {
      return {
        client: new MlflowClient({
          trackingUri: options.trackingUri,
          auth: options.auth,
          timeoutMs: options.timeoutMs,
          maxRetries: options.maxRetries,
          fetch: options.fetch,
          uiBaseUrl: options.uiBaseUrl
        })
      };
    } catch (error) {
      return {
        problem: error instanceof Error ? error.message : String(error)
      };
    }
  }

  /** The MLflow UI link of an embedded trace. */
  export function embeddedUiUrl(
    info: NonNullable<IBundleTrace['info']>,
    client: MlflowClient | undefined,
    baseUrl: string | undefined
  ): string | undefined {
    if (baseUrl) {
      return mlflowTraceUiUrl(baseUrl, info.trace_id, info) ?? undefined;
    }
    return client ? client.uiUrl(info) : undefined;
  }

  /** An entry as the output shows it before anything is fetched or built. */
  export function initialEntry(
    item: IBundleTrace,
    client: MlflowClient | undefined,
    noServer: string | undefined,
    options: TraceLoader.IOptions
  ): ITraceEntry {
    if (item.error) {
      return {
        traceId: item.traceId || '(missing id)',
        loading: false,
        error: item.error
      };
    }
    const entry: ITraceEntry = {
      traceId: item.traceId,
      loading: false,
      truncatedAtChars: item.truncated?.max_string,
      uiUrl: item.info
        ? embeddedUiUrl(item.info, client, options.embeddedUiBaseUrl)
        : undefined
    };
    // An embedded trace is built by the loader, which keeps its span cache.
    if (item.embedded || client) {
      return entry;
    }
    if (options.awaitingServer) {
      entry.loading = true;
    } else {
      entry.error =
        `Trace ${item.traceId} is not embedded in this output and ` +
        (noServer
          ? `cannot be fetched: ${noServer}`
          : 'no tracking server is known. Set "Tracking server URI" in Settings › MLflow traces' +
            (options.bundle.trackingUri
              ? ', or trust the notebook to use the one it names.'
              : '.'));
    }
    return entry;
  }
}
