/**
 * When a live output is updated: at most every LIVE_MIN_INTERVAL_MS, and
 * after an update of B bytes not before B at LIVE_MAX_BYTES_PER_S; at least
 * every LIVE_UPDATE_EVERY_MS while the trace runs (the heartbeat); and the
 * last change always goes out (a trailing update). Updates are numbered and
 * sent in order; none is sent after close().
 */
import { LIVE_UPDATE_EVERY_MS, nextUpdateDelayMs } from '../bundle';

/** One update, built and measured, not yet sent. */
export interface ILiveUpdate {
  /** Bytes of the display message's content. */
  bytes: number;
  /** Sends it; `updateEveryMs` is the heartbeat it promises. */
  write(updateEveryMs: number): void;
}

/** Options of LiveEmitter. */
export interface ILiveEmitterOptions {
  /** Builds update number `sequence` (the first is 1). */
  build: (sequence: number) => ILiveUpdate;
  /** Told once when an update could not be built or sent; then the emitter closes. */
  fail: (error: unknown) => void;
  /** Wall clock in ms. Default Date.now. */
  now?: () => number;
  /** Default LIVE_UPDATE_EVERY_MS. */
  updateEveryMs?: number;
  /** Wait after an update of `bytes`. Default nextUpdateDelayMs. */
  delayMs?: (bytes: number) => number;
}

/** Paces the updates of one live output. */
export class LiveEmitter {
  constructor(options: ILiveEmitterOptions) {
    this._build = options.build;
    this._fail = options.fail;
    this._now = options.now ?? Date.now;
    this._updateEveryMs = options.updateEveryMs ?? LIVE_UPDATE_EVERY_MS;
    this._delayMs = options.delayMs ?? nextUpdateDelayMs;
  }

  /** Updates sent so far. */
  get sequence(): number {
    return this._sequence;
  }

  /** True once closed: nothing more is sent. */
  get closed(): boolean {
    return this._closed;
  }

  /**
   * Something changed: update as soon as the code that changed it yields
   * (a microtask: a span that just started has its inputs set by then) if
   * allowed, else when allowed.
   */
  touch(): void {
    if (this._closed) {
      return;
    }
    const now = this._now();
    if (now < this._dueAt) {
      this._schedule(this._dueAt, now);
    } else if (!this._deferred) {
      this._deferred = true;
      queueMicrotask(() => {
        this._deferred = false;
        const at = this._now();
        if (!this._closed && at >= this._dueAt) {
          this._send(at);
        }
      });
    }
  }

  /** No update after this one call returns; timers stop. */
  close(): void {
    this._closed = true;
    this._clearTimer();
  }

  private _send(now: number): void {
    this._clearTimer();
    let delay: number;
    try {
      const update = this._build(this._sequence + 1);
      delay = this._delayMs(update.bytes);
      const every = Math.max(this._updateEveryMs, Math.ceil(delay));
      update.write(every);
      this._sequence += 1;
      this._dueAt = now + delay;
      this._schedule(now + every, now);
    } catch (error) {
      this.close();
      this._fail(error);
    }
  }

  /** Runs the timer at `at` unless it runs sooner already. */
  private _schedule(at: number, now: number): void {
    if (this._timer !== null && this._timerAt <= at) {
      return;
    }
    this._clearTimer();
    this._timerAt = at;
    this._timer = setTimeout(() => this._onTimer(), Math.max(0, at - now));
    // The heartbeat never keeps a process alive.
    this._timer.unref?.();
  }

  private _onTimer(): void {
    this._timer = null;
    if (this._closed) {
      return;
    }
    const now = this._now();
    if (now >= this._dueAt) {
      // A trailing update (dirty) or the heartbeat.
      this._send(now);
    } else {
      this._schedule(this._dueAt, now);
    }
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private readonly _build: (sequence: number) => ILiveUpdate;
  private readonly _fail: (error: unknown) => void;
  private readonly _now: () => number;
  private readonly _updateEveryMs: number;
  private readonly _delayMs: (bytes: number) => number;
  private _sequence = 0;
  private _dueAt = 0;
  private _closed = false;
  private _deferred = false;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _timerAt = 0;
}
