/**
 * The data behind one trace output: embedded traces are parsed at once;
 * traces given by id are fetched from the tracking server; IN_PROGRESS
 * traces are polled until they end (bounded).
 */
import {
  IAuth,
  MlflowClient,
  MlflowClientError,
  TraceDataNotFoundError
} from '../client';
import { IDecodedBundle } from '../bundle';
import { buildTrace } from '../trace';
import type { ITraceEntry } from '../view/TraceOutput';

const POLL_INTERVAL_MS = 2000;
// Two minutes of polling; a trace still running after that is refreshed by hand.
const MAX_POLLS = 60;

/** Keeps the entries of one output and reports every change. */
export class TraceLoader {
  constructor(options: TraceLoader.IOptions) {
    this._onChange = options.onChange;
    this._pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
    this._maxPolls = options.maxPolls ?? MAX_POLLS;
    this._client = options.trackingUri
      ? new MlflowClient({
          trackingUri: options.trackingUri,
          auth: options.auth,
          timeoutMs: options.timeoutMs,
          maxRetries: options.maxRetries
        })
      : undefined;
    this.entries = options.bundle.traces.map(item => {
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
        uiUrl:
          item.info && this._client ? this._client.uiUrl(item.info) : undefined
      };
      if (item.embedded) {
        entry.trace = buildTrace(item.info, item.spans);
      } else if (!this._client) {
        entry.error =
          `Trace ${item.traceId} is not embedded in this output and no tracking server is known. ` +
          'Set "Tracking server URI" in Settings › MLflow traces' +
          (options.bundle.trackingUri
            ? ', or trust the notebook to use the one it names.'
            : '.');
      }
      return entry;
    });
  }

  /** The current entries, replaced (never mutated) on each change. */
  entries: ITraceEntry[];

  /** True when a tracking server is known, so traces can be (re)fetched. */
  get canFetch(): boolean {
    return this._client !== undefined;
  }

  /** Fetch every trace that is not embedded, and poll the in-progress ones. */
  start(): void {
    this.entries.forEach((entry, index) => {
      if (entry.error) {
        return;
      }
      if (!entry.trace) {
        void this.refresh(index);
      } else if (entry.trace.info?.state === 'IN_PROGRESS') {
        this._schedulePoll(index, 0);
      }
    });
  }

  /** Fetch one trace from the server again (Retry, Refresh from server). */
  async refresh(index: number, polls = 0): Promise<void> {
    const client = this._client;
    const entry = this.entries[index];
    if (!client || !entry || this._disposed) {
      return;
    }
    this._update(index, { loading: true, error: undefined });
    try {
      const info = await client.getTraceInfo(entry.traceId);
      const inProgress = info.state === 'IN_PROGRESS';
      // A running trace may have no span data yet: show its info and keep polling.
      const spans = await client.getTraceSpans(entry.traceId).catch(error => {
        if (inProgress && error instanceof TraceDataNotFoundError) {
          return [];
        }
        throw error;
      });
      if (this._disposed) {
        return;
      }
      this._update(index, {
        loading: false,
        trace: buildTrace(info, spans),
        uiUrl: client.uiUrl(info)
      });
      if (inProgress) {
        this._schedulePoll(index, polls + 1);
      }
    } catch (error) {
      const message =
        error instanceof MlflowClientError
          ? error.message
          : `Could not load trace ${entry.traceId}: ${String(error)}`;
      this._update(index, { loading: false, error: message });
    }
  }

  /** Stop polling and reporting. */
  dispose(): void {
    this._disposed = true;
    this._timers.forEach(timer => clearTimeout(timer));
  }

  private _schedulePoll(index: number, polls: number): void {
    if (polls >= this._maxPolls || this._disposed) {
      return;
    }
    this._timers.push(
      setTimeout(() => void this.refresh(index, polls), this._pollIntervalMs)
    );
  }

  private _update(index: number, change: Partial<ITraceEntry>): void {
    this.entries = this.entries.map((entry, i) =>
      i === index ? { ...entry, ...change } : entry
    );
    this._onChange();
  }

  private _client: MlflowClient | undefined;
  private _pollIntervalMs: number;
  private _maxPolls: number;
  private _onChange: () => void;
  private _disposed = false;
  private _timers: ReturnType<typeof setTimeout>[] = [];
}

/** Companion namespace of {@link TraceLoader}. */
export namespace TraceLoader {
  /** Options of a loader. */
  export interface IOptions {
    bundle: IDecodedBundle;
    /** Where to fetch from, already checked against trust (config.ts). */
    trackingUri: string | undefined;
    onChange: () => void;
    /** Credentials for `trackingUri`, already checked against its origin (config.ts resolveAuth). */
    auth?: IAuth;
    /** Per-request timeout; default 30 s. */
    timeoutMs?: number;
    /** Retries on transient faults; default 2. */
    maxRetries?: number;
    /** Between two fetches of an IN_PROGRESS trace; default 2 s. */
    pollIntervalMs?: number;
    /** Fetches of an IN_PROGRESS trace before giving up; default 60. */
    maxPolls?: number;
  }
}
