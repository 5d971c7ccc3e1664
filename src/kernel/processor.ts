/**
 * A span processor that sends each trace to the tracking server in one OTLP
 * request when its root span ends, and tells listeners about that root.
 */
import type { Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type {
  ReadableSpan,
  Span,
  SpanExporter,
  SpanProcessor
} from '@opentelemetry/sdk-trace';

/** A root span has ended; `exported` settles once its trace was sent. */
export interface IRootEnded {
  /** MLflow's trace id: `tr-` + the OpenTelemetry trace id. */
  traceId: string;
  root: ReadableSpan;
  exported: Promise<void>;
}

/** The exporter to use for one batch; null when none is configured. */
export type ExporterSource = () => Promise<SpanExporter>;

/**
 * OTLP requests in flight at most; later traces wait their turn. The OTLP
 * exporter itself refuses more than 30 ("Concurrent export limit reached").
 */
export const MAX_CONCURRENT_EXPORTS = 8;

/** The MLflow trace id of an OpenTelemetry trace id. */
export function mlflowTraceId(otelTraceId: string): string {
  return `tr-${otelTraceId}`;
}

/** True for a span without a parent in this process. */
export function isLocalRoot(span: ReadableSpan): boolean {
  const parent = span.parentSpanContext;
  return parent === undefined || parent.isRemote === true;
}

/**
 * Buffers ended spans per trace and exports a trace's spans together when
 * its local root ends. Spans ending after their root go out with the next
 * export, or on forceFlush.
 */
export class TraceBatchProcessor implements SpanProcessor {
  constructor(
    exporter: ExporterSource,
    onRootEnded: (event: IRootEnded) => void
  ) {
    this._exporter = exporter;
    this._onRootEnded = onRootEnded;
  }

  onStart(_span: Span, _parentContext: Context): void {
    // Nothing to do until spans end.
  }

  onEnd(span: ReadableSpan): void {
    const otelTraceId = span.spanContext().traceId;
    let buffer = this._buffers.get(otelTraceId);
    if (!buffer) {
      buffer = [];
      this._buffers.set(otelTraceId, buffer);
    }
    buffer.push(span);
    if (!isLocalRoot(span)) {
      return;
    }
    this._buffers.delete(otelTraceId);
    const exported = this._track(this._export(buffer));
    this._onRootEnded({
      traceId: mlflowTraceId(otelTraceId),
      root: span,
      exported
    });
  }

  /** Sends every buffered span and waits for all exports in flight. */
  async forceFlush(): Promise<void> {
    const rest = Array.from(this._buffers.values()).flat();
    this._buffers.clear();
    if (rest.length > 0) {
      this._track(this._export(rest));
    }
    const results = await Promise.allSettled(Array.from(this._pending));
    const failed = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected'
    );
    if (failed) {
      throw failed.reason;
    }
  }

  async shutdown(): Promise<void> {
    await this.forceFlush().catch(() => undefined);
  }

  /** Spans waiting for their root to end. */
  get bufferedSpanCount(): number {
    let count = 0;
    for (const buffer of this._buffers.values()) {
      count += buffer.length;
    }
    return count;
  }

  private _track(work: Promise<void>): Promise<void> {
    this._pending.add(work);
    const done = (): void => {
      this._pending.delete(work);
    };
    work.then(done, done);
    return work;
  }

  private async _export(spans: ReadableSpan[]): Promise<void> {
    if (this._active < MAX_CONCURRENT_EXPORTS) {
      this._active += 1;
    } else {
      await new Promise<void>(resolve => this._waiting.push(resolve));
    }
    try {
      const exporter = await this._exporter();
      await new Promise<void>((resolve, reject) => {
        exporter.export(spans, result => {
          if (result.code === ExportResultCode.SUCCESS) {
            resolve();
          } else {
            reject(result.error ?? new Error('the OTLP export failed'));
          }
        });
      });
    } finally {
      // Hand the slot to the next waiting export, else free it.
      const next = this._waiting.shift();
      if (next) {
        next();
      } else {
        this._active -= 1;
      }
    }
  }

  private readonly _buffers = new Map<string, ReadableSpan[]>();
  private readonly _pending = new Set<Promise<void>>();
  private readonly _waiting: (() => void)[] = [];
  private _active = 0;
  private readonly _exporter: ExporterSource;
  private readonly _onRootEnded: (event: IRootEnded) => void;
}
