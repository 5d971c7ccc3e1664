/**
 * When a live output is updated: at most every LIVE_MIN_INTERVAL_MS per
 * output; after an update of B bytes, from any live output of the kernel,
 * no output sends before B at LIVE_MAX_BYTES_PER_S (one rate, shared); at
 * least every LIVE_UPDATE_EVERY_MS while the trace runs (the heartbeat);
 * and the last change always goes out (a trailing update). Updates are
 * numbered and sent in order; none is sent after close().
 */
import {
  LIVE_MAX_BYTES_PER_S,
  LIVE_UPDATE_EVERY_MS,
  nextUpdateDelayMs
} from '../bundle';

/** One update, built and measured, not yet sent. */
export interface ILiveUpdate {
  /** Bytes of the display message's content. */
  bytes: number;
  /** Sends it; `updateEveryMs` is the heartbeat it promises. */
  write(updateEveryMs: number): void;
}

/** An output waiting for the shared rate. */
interface IRateWaiter {
  /** Its turn: it may send now. */
  grant(now: number): void;
}

/**
 * The byte rate the live outputs of one kernel share: after any of them
 * sends B bytes, none sends before B / bytesPerS. Outputs wait their turn
 * in order of asking, so each waits at most for the others' updates.
 */
export class LiveRate {
  constructor(
    bytesPerS = LIVE_MAX_BYTES_PER_S,
    now: () => number = () => Date.now()
  ) {
    this._bytesPerS = bytesPerS;
    this._now = now;
  }

  /** Wall clock (ms) from which the next update may be sent. */
  get nextAt(): number {
    return this._nextAt;
  }

  /** True when `waiter` may send now; else it is granted its turn later. */
  ask(waiter: IRateWaiter, now: number): boolean {
    if (this._waiting.size === 0 && now >= this._nextAt) {
      return true;
    }
    this._waiting.add(waiter);
    this._arm(now);
    return false;
  }

  /** `waiter` sent `bytes` at `now`: the next send waits their time at the rate. */
  sent(waiter: IRateWaiter, bytes: number, now: number): void {
    const delay = (bytes / this._bytesPerS) * 1000;
    this._nextAt = Math.max(this._nextAt, now) + delay;
    this._delays.set(waiter, delay);
  }

  /** Ms the other outputs' last updates hold the rate: a wait for one turn each. */
  othersDelayMs(waiter: IRateWaiter): number {
    let total = 0;
    for (const [other, delay] of this._delays) {
      total += other === waiter ? 0 : delay;
    }
    return total;
  }

  /** `waiter` sends no more. */
  leave(waiter: IRateWaiter): void {
    this._waiting.delete(waiter);
    this._delays.delete(waiter);
    if (this._waiting.size === 0) {
      this._disarm();
    }
  }

  private _arm(now: number): void {
    if (this._timer !== null) {
      return;
    }
    this._timer = setTimeout(
      () => this._onTimer(),
      Math.max(0, this._nextAt - now)
    );
    this._timer.unref?.();
  }

  private _disarm(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _onTimer(): void {
    this._timer = null;
    const now = this._now();
    if (now >= this._nextAt) {
      const head = this._waiting.values().next().value as IRateWaiter;
      this._waiting.delete(head);
      // Its send moves nextAt on; a waiter that no longer sends does not.
      head.grant(now);
    }
    if (this._waiting.size > 0) {
      this._arm(this._now());
    }
  }

  private readonly _bytesPerS: number;
  private readonly _now: () => number;
  private _nextAt = 0;
  private readonly _waiting = new Set<IRateWaiter>();
  private readonly _delays = new Map<IRateWaiter, number>();
  private _timer: ReturnType<typeof setTimeout> | null = null;
}

/** The rate every live output of this kernel shares. */
export const kernelRate = new LiveRate();

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
  /** This output's wait after an update of `bytes`. Default nextUpdateDelayMs. */
  delayMs?: (bytes: number) => number;
  /** The byte rate shared with the other outputs. Default kernelRate. */
  rate?: LiveRate;
}

/** Paces the updates of one live output. */
export class LiveEmitter implements IRateWaiter {
  constructor(options: ILiveEmitterOptions) {
    this._build = options.build;
    this._fail = options.fail;
    this._now = options.now ?? Date.now;
    this._updateEveryMs = options.updateEveryMs ?? LIVE_UPDATE_EVERY_MS;
    this._delayMs = options.delayMs ?? nextUpdateDelayMs;
    this._rate = options.rate ?? kernelRate;
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
    if (this._closed || this._waiting) {
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
        if (!this._closed && !this._waiting && at >= this._dueAt) {
          this._turn(at);
        }
      });
    }
  }

  /** No update after this one call returns; timers stop. */
  close(): void {
    this._closed = true;
    this._waiting = false;
    this._clearTimer();
    this._rate.leave(this);
  }

  /** The shared rate's turn came. */
  grant(now: number): void {
    this._waiting = false;
    if (!this._closed) {
      this._send(now);
    }
  }

  /** Sends now if the shared rate allows, else waits for its turn. */
  private _turn(now: number): void {
    if (this._rate.ask(this, now)) {
      this._send(now);
    } else {
      this._waiting = true;
      this._clearTimer();
    }
  }

  private _send(now: number): void {
    this._clearTimer();
    let delay: number;
    try {
      const update = this._build(this._sequence + 1);
      delay = this._delayMs(update.bytes);
      const beat = Math.max(this._updateEveryMs, Math.ceil(delay));
      // The heartbeat it promises: its own, and a turn of each other output.
      const every = beat + Math.ceil(this._rate.othersDelayMs(this));
      update.write(every);
      // Paced from when it went out: building it may take a while.
      const sentAt = Math.max(now, this._now());
      this._rate.sent(this, update.bytes, sentAt);
      this._sequence += 1;
      this._dueAt = sentAt + delay;
      this._schedule(sentAt + beat, sentAt);
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
      this._turn(now);
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
  private readonly _rate: LiveRate;
  private _waiting = false;
  private _sequence = 0;
  private _dueAt = 0;
  private _closed = false;
  private _deferred = false;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _timerAt = 0;
}
