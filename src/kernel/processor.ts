/**
 * A span processor that sends each trace to the tracking server when its
 * root span ends (one OTLP request, plus follow-ups for spans that end
 * later), and tells listeners about the root and the follow-ups.
 */
import type { Context } from '@opentelemetry/api';
import type {
  ReadableSpan,
  Span,
  SpanProcessor
} from '@opentelemetry/sdk-trace';
import { ExporterSource, ExportQueue } from './exportqueue';

export { ExporterSource, MAX_CONCURRENT_EXPORTS } from './exportqueue';

/** A root span has ended; `exported` settles once its trace was sent. */
export interface IRootEnded {
  /** MLflow's trace id: `tr-` + the OpenTelemetry trace id. */
  traceId: string;
  root: ReadableSpan;
  exported: Promise<void>;
}

/** Spans that ended after their trace was sent went out in a follow-up request. */
export interface ILateSpans {
  /** MLflow's trace id, the same as the root's. */
  traceId: string;
  spans: readonly ReadableSpan[];
  /** Settles once the server stored them (it merges them into the trace). */
  exported: Promise<void>;
}

/** Options of TraceBatchProcessor; each has a default. */
export interface ITraceBatchOptions {
  /** How long an ended root waits for its open children. Default GRACE_MS. */
  graceMs?: number;
  /** Late spans ending this close together share a request. Default LATE_BATCH_MS. */
  lateBatchMs?: number;
  /** Ended spans held for one trace. Default MAX_SPANS_PER_OPEN_TRACE. */
  maxSpansPerTrace?: number;
  /** Traces held at once. Default MAX_OPEN_TRACES. */
  maxOpenTraces?: number;
  /** Ended spans held over all traces. Default MAX_HELD_SPANS. */
  maxHeldSpans?: number;
  /** Told about each follow-up request of late spans. */
  onLateSpans?: (event: ILateSpans) => void;
  /** Reports spans sent ahead of their root. Default: console.warn. */
  warn?: (message: string) => void;
}

/**
 * How long an ended root waits for children still open: a step the code did
 * not await often ends just after its root, and then goes out in the same
 * request. Short enough that a display is never noticeably late.
 */
export const GRACE_MS = 1000;

/** Late spans ending within this of each other share one request and one display update. */
export const LATE_BATCH_MS = 100;

/** Ended spans held for a trace whose root is still open, before they are sent ahead of it. */
export const MAX_SPANS_PER_OPEN_TRACE = 10000;

/** Traces held at once (open spans, or ended spans not yet sent). */
export const MAX_OPEN_TRACES = 1000;

/** Ended spans held over all traces. */
export const MAX_HELD_SPANS = 50000;

// Trace ids whose root was sent, remembered after their state is dropped so
// that a child ending later still goes out as a late span.
const MAX_REMEMBERED_SENT = 10000;

/** The MLflow trace id of an OpenTelemetry trace id. */
export function mlflowTraceId(otelTraceId: string): string {
  return `tr-${otelTraceId}`;
}

/** True for a span without a parent in this process. */
export function isLocalRoot(span: ReadableSpan): boolean {
  const parent = span.parentSpanContext;
  return parent === undefined || parent.isRemote === true;
}

/** What the processor holds for one trace. */
interface IHeldTrace {
  otelTraceId: string;
  /** Ended spans not yet sent. */
  held: ReadableSpan[];
  /** Spans started and not yet ended. */
  openSpans: number;
  /** Settles the root's `exported`; set while the root waits for its children. */
  rootSent: { resolve: () => void; reject: (error: unknown) => void } | null;
  /** The root's request was made: spans ending from now on are late. */
  sent: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  warnedAhead: boolean;
  /** Settles once the spans sent ahead of the root were answered. */
  ahead: Promise<unknown> | null;
}

/**
 * Holds ended spans per trace and sends a trace's spans in one request when
 * its local root ends, or, when children are still open, once they end or
 * the grace period is over. Spans ending after that go out in follow-up
 * requests for the same trace id (the server merges them into the trace)
 * and are announced with `onLateSpans`. What is held is bounded: a trace
 * whose root stays open past the limits has its ended spans sent ahead of
 * the root (the server shows it in progress), with a warning; none is dropped.
 */
export class TraceBatchProcessor implements SpanProcessor {
  constructor(
    exporter: ExporterSource,
    onRootEnded: (event: IRootEnded) => void,
    options: ITraceBatchOptions = {}
  ) {
    this._queue = new ExportQueue(exporter);
    this._onRootEnded = onRootEnded;
    this._onLateSpans = options.onLateSpans;
    this._warn =
      options.warn ?? (message => console.warn(`mlflow-traces: ${message}`));
    this._graceMs = options.graceMs ?? GRACE_MS;
    this._lateBatchMs = options.lateBatchMs ?? LATE_BATCH_MS;
    this._maxSpansPerTrace =
      options.maxSpansPerTrace ?? MAX_SPANS_PER_OPEN_TRACE;
    this._maxOpenTraces = options.maxOpenTraces ?? MAX_OPEN_TRACES;
    this._maxHeldSpans = options.maxHeldSpans ?? MAX_HELD_SPANS;
  }

  onStart(span: Span, _parentContext: Context): void {
    this._traceOf(span.spanContext().traceId).openSpans += 1;
    this._enforceLimits();
  }

  onEnd(span: ReadableSpan): void {
    const trace = this._traceOf(span.spanContext().traceId);
    // Never below zero: spans started before this processor was added.
    trace.openSpans = Math.max(0, trace.openSpans - 1);
    trace.held.push(span);
    this._heldCount += 1;
    if (trace.sent) {
      this._onLateEnd(trace);
    } else if (trace.rootSent === null && isLocalRoot(span)) {
      this._onRootEnd(trace, span);
    } else if (trace.rootSent !== null) {
      if (
        trace.openSpans === 0 ||
        trace.held.length >= this._maxSpansPerTrace
      ) {
        this._sendRoot(trace);
      }
    } else if (trace.held.length >= this._maxSpansPerTrace) {
      this._sendAhead(
        trace,
        `${trace.held.length} spans ended while its root span is still open`
      );
    }
    this._release(trace);
    this._enforceLimits();
  }

  /** Sends every held span and waits for all requests in flight. */
  async forceFlush(): Promise<void> {
    for (const trace of Array.from(this._traces.values())) {
      this._sendNow(trace, null);
      this._release(trace);
    }
    await this._queue.settle();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush().catch(() => undefined);
  }

  /** Ended spans not yet sent. */
  get bufferedSpanCount(): number {
    return this._heldCount;
  }

  /** Traces held: with spans open, or ended spans not yet sent. */
  get openTraceCount(): number {
    return this._traces.size;
  }

  private _traceOf(otelTraceId: string): IHeldTrace {
    let trace = this._traces.get(otelTraceId);
    if (!trace) {
      trace = {
        otelTraceId,
        held: [],
        openSpans: 0,
        rootSent: null,
        sent: this._sentIds.has(otelTraceId),
        timer: null,
        warnedAhead: false,
        ahead: null
      };
      this._traces.set(otelTraceId, trace);
    }
    return trace;
  }

  private _onRootEnd(trace: IHeldTrace, root: ReadableSpan): void {
    const exported = new Promise<void>((resolve, reject) => {
      trace.rootSent = { resolve, reject };
    });
    // Whoever listens sees a failure; nobody listening is not an unhandled one.
    exported.catch(() => undefined);
    this._onRootEnded({
      traceId: mlflowTraceId(trace.otelTraceId),
      root,
      exported
    });
    if (trace.openSpans === 0) {
      this._sendRoot(trace);
    } else {
      trace.timer = setTimeout(() => {
        trace.timer = null;
        this._sendRoot(trace);
        this._release(trace);
      }, this._graceMs);
    }
  }

  private _onLateEnd(trace: IHeldTrace): void {
    if (trace.held.length >= this._maxSpansPerTrace) {
      this._sendLate(trace);
    } else if (trace.timer === null) {
      trace.timer = setTimeout(() => {
        trace.timer = null;
        this._sendLate(trace);
        this._release(trace);
      }, this._lateBatchMs);
    }
  }

  /** Takes the trace's held spans, stopping its timer. */
  private _take(trace: IHeldTrace): ReadableSpan[] {
    if (trace.timer !== null) {
      clearTimeout(trace.timer);
      trace.timer = null;
    }
    const spans = trace.held;
    trace.held = [];
    this._heldCount -= spans.length;
    return spans;
  }

  private _sendRoot(trace: IHeldTrace): void {
    const settle = trace.rootSent;
    const spans = this._take(trace);
    trace.sent = true;
    this._sentIds.add(trace.otelTraceId);
    if (this._sentIds.size > MAX_REMEMBERED_SENT) {
      this._sentIds.delete(this._sentIds.values().next().value as string);
    }
    const own = this._queue.send(spans);
    // The root's trace is on the server once the spans sent ahead are too.
    const work = trace.ahead
      ? Promise.all([trace.ahead, own]).then(() => undefined)
      : own;
    if (settle) {
      work.then(settle.resolve, settle.reject);
    }
  }

  private _sendLate(trace: IHeldTrace): void {
    const spans = this._take(trace);
    if (spans.length === 0) {
      return;
    }
    const exported = this._queue.send(spans);
    exported.catch(() => undefined);
    this._onLateSpans?.({
      traceId: mlflowTraceId(trace.otelTraceId),
      spans,
      exported
    });
  }

  /** Sends the spans of a trace whose root is still open, with a warning. */
  private _sendAhead(trace: IHeldTrace, why: string | null): void {
    const spans = this._take(trace);
    if (spans.length === 0) {
      return;
    }
    const traceId = mlflowTraceId(trace.otelTraceId);
    if (why !== null && !trace.warnedAhead) {
      trace.warnedAhead = true;
      this._warn(
        `trace ${traceId}: ${why}; they were sent to the tracking server ` +
          'ahead of it (it shows the trace in progress until the root ends), ' +
          'and later spans follow as they end.'
      );
    }
    const sent = this._queue.send(spans).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this._warn(`could not send spans of trace ${traceId}: ${message}`);
    });
    trace.ahead = trace.ahead ? Promise.all([trace.ahead, sent]) : sent;
  }

  /** Sends whatever the trace holds now, whatever its phase. */
  private _sendNow(trace: IHeldTrace, why: string | null): void {
    if (trace.sent) {
      this._sendLate(trace);
    } else if (trace.rootSent !== null) {
      this._sendRoot(trace);
    } else {
      this._sendAhead(trace, why);
    }
  }

  /** Forgets a trace once nothing of it is open or held. */
  private _release(trace: IHeldTrace): void {
    if (
      trace.sent &&
      trace.openSpans === 0 &&
      trace.held.length === 0 &&
      trace.timer === null
    ) {
      this._traces.delete(trace.otelTraceId);
    }
  }

  /** Past a limit, the oldest traces are sent as they are and no longer held. */
  private _enforceLimits(): void {
    while (
      this._traces.size > this._maxOpenTraces ||
      this._heldCount > this._maxHeldSpans
    ) {
      const oldest = this._traces.values().next().value as IHeldTrace;
      const why =
        this._traces.size > this._maxOpenTraces
          ? `more than ${this._maxOpenTraces} traces have spans still open, ` +
            `so its ${oldest.held.length} ended spans are no longer held while its root span is still open`
          : `more than ${this._maxHeldSpans} ended spans are held, ` +
            `so its ${oldest.held.length} are no longer held while its root span is still open`;
      this._sendNow(oldest, why);
      this._traces.delete(oldest.otelTraceId);
    }
  }

  private readonly _traces = new Map<string, IHeldTrace>();
  private readonly _sentIds = new Set<string>();
  private _heldCount = 0;
  private readonly _queue: ExportQueue;
  private readonly _onRootEnded: (event: IRootEnded) => void;
  private readonly _onLateSpans?: (event: ILateSpans) => void;
  private readonly _warn: (message: string) => void;
  private readonly _graceMs: number;
  private readonly _lateBatchMs: number;
  private readonly _maxSpansPerTrace: number;
  private readonly _maxOpenTraces: number;
  private readonly _maxHeldSpans: number;
}
