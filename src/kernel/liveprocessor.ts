/**
 * A span processor that follows running traces for the live display: per
 * trace whose local root asked to be followed, the spans started so far
 * (references only; names, attributes and times are read when a snapshot
 * is made), and a nudge to its display on every start and end.
 */
import type { Context } from '@opentelemetry/api';
import type {
  ReadableSpan,
  Span,
  SpanProcessor
} from '@opentelemetry/sdk-trace';
import { isLocalRoot, mlflowTraceId } from './processor';

/** Ended spans a live trace holds at least; twice this triggers a compaction. */
export const LIVE_MAX_HELD_ENDED = 1000;

/** Live traces followed at once; past it the oldest is let go. */
export const MAX_LIVE_TRACES = 100;

/** One trace followed from its local root's start. */
export interface ILiveTrace {
  /** MLflow's trace id (`tr-…`). */
  readonly traceId: string;
  readonly otelTraceId: string;
  readonly root: ReadableSpan;
  /** Open spans and the newest ended ones, by span id, in start order. */
  readonly spans: Map<string, ReadableSpan>;
  /** Ended spans held, in end order (the root excluded). */
  ended: ReadableSpan[];
  /** Ended spans let go to bound memory: absent from every snapshot. */
  evicted: number;
  /** Called on each start and end under this trace: must be cheap. */
  onChange: () => void;
  /** Called when the trace is let go before its root ended. */
  onDropped: () => void;
}

/** Decides, at a local root's start, whether its trace is followed. */
export type LiveRootHandler = (trace: ILiveTrace) => boolean;

/** Options of LiveSpanProcessor. */
export interface ILiveProcessorOptions {
  /** Default LIVE_MAX_HELD_ENDED. */
  maxHeldEnded?: number;
  /** Default MAX_LIVE_TRACES. */
  maxTraces?: number;
}

const NOTHING = (): void => undefined;

/**
 * Holds references to the spans of followed traces. Off (`enabled` false)
 * or with no handler, a start costs one check and an end one map size test.
 */
export class LiveSpanProcessor implements SpanProcessor {
  constructor(options: ILiveProcessorOptions = {}) {
    this._maxHeldEnded = options.maxHeldEnded ?? LIVE_MAX_HELD_ENDED;
    this._maxTraces = options.maxTraces ?? MAX_LIVE_TRACES;
  }

  /** False: no trace is followed from now on (those followed finish). */
  enabled = true;

  /** Sets who decides whether a starting root's trace is followed. */
  setRootHandler(handler: LiveRootHandler | null): void {
    this._handler = handler;
  }

  onStart(span: Span, _parentContext: Context): void {
    if (!this.enabled && this._traces.size === 0) {
      return;
    }
    const otelTraceId = span.spanContext().traceId;
    const trace = this._traces.get(otelTraceId);
    if (trace !== undefined) {
      trace.spans.set(span.spanContext().spanId, span);
      trace.onChange();
    } else if (this.enabled && this._handler !== null && isLocalRoot(span)) {
      this._follow(otelTraceId, span);
    }
  }

  onEnd(span: ReadableSpan): void {
    if (this._traces.size === 0) {
      return;
    }
    const trace = this._traces.get(span.spanContext().traceId);
    // The root's end is the display's to handle (TraceBatchProcessor's event).
    if (trace === undefined || span === trace.root) {
      return;
    }
    trace.ended.push(span);
    if (trace.ended.length > 2 * this._maxHeldEnded) {
      this._compact(trace);
    }
    trace.onChange();
  }

  /** The followed trace of an OpenTelemetry trace id. */
  get(otelTraceId: string): ILiveTrace | undefined {
    return this._traces.get(otelTraceId);
  }

  /** Stops following a trace; returns it. */
  take(otelTraceId: string): ILiveTrace | undefined {
    const trace = this._traces.get(otelTraceId);
    this._traces.delete(otelTraceId);
    return trace;
  }

  /** Traces followed now. */
  get size(): number {
    return this._traces.size;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this._traces.clear();
    return Promise.resolve();
  }

  private _follow(otelTraceId: string, root: Span): void {
    const trace: ILiveTrace = {
      traceId: mlflowTraceId(otelTraceId),
      otelTraceId,
      root,
      spans: new Map([[root.spanContext().spanId, root]]),
      ended: [],
      evicted: 0,
      onChange: NOTHING,
      onDropped: NOTHING
    };
    let followed: boolean;
    try {
      followed = (this._handler as LiveRootHandler)(trace);
    } catch (error) {
      // Never into the code that started the span: said, and not followed.
      const message = error instanceof Error ? error.message : String(error);
      console.error(
        `mlflow-traces: could not show trace ${trace.traceId} live: ${message}`
      );
      return;
    }
    if (!followed) {
      return;
    }
    this._traces.set(otelTraceId, trace);
    if (this._traces.size > this._maxTraces) {
      const oldest = this._traces.values().next().value as ILiveTrace;
      this._traces.delete(oldest.otelTraceId);
      oldest.onDropped();
    }
  }

  /** Lets go of the oldest ended spans, keeping the ancestors of open ones. */
  private _compact(trace: ILiveTrace): void {
    const pinned = new Set<string>();
    for (const span of trace.spans.values()) {
      if (span.ended) {
        continue;
      }
      let parent = span.parentSpanContext?.spanId;
      while (parent !== undefined && !pinned.has(parent)) {
        pinned.add(parent);
        parent = trace.spans.get(parent)?.parentSpanContext?.spanId;
      }
    }
    let drop = trace.ended.length - this._maxHeldEnded;
    const kept: ReadableSpan[] = [];
    for (const span of trace.ended) {
      const id = span.spanContext().spanId;
      if (drop > 0 && !pinned.has(id)) {
        trace.spans.delete(id);
        trace.evicted += 1;
        drop -= 1;
      } else {
        kept.push(span);
      }
    }
    trace.ended = kept;
  }

  private readonly _traces = new Map<string, ILiveTrace>();
  private _handler: LiveRootHandler | null = null;
  private readonly _maxHeldEnded: number;
  private readonly _maxTraces: number;
}
