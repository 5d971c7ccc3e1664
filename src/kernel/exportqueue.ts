/**
 * OTLP requests for the span processor: at most MAX_CONCURRENT_EXPORTS in
 * flight, later ones queued, and every request tracked until it settles.
 */
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** The exporter to use for one batch. */
export type ExporterSource = () => Promise<SpanExporter>;

/**
 * OTLP requests in flight at most; later traces wait their turn. The OTLP
 * exporter itself refuses more than 30 ("Concurrent export limit reached").
 */
export const MAX_CONCURRENT_EXPORTS = 8;

/** Sends batches of spans, a bounded number at a time. */
export class ExportQueue {
  constructor(exporter: ExporterSource) {
    this._exporter = exporter;
  }

  /** Sends `spans` in one request; settles when the server answered. */
  send(spans: ReadableSpan[]): Promise<void> {
    const work = this._export(spans);
    this._pending.add(work);
    const done = (): void => {
      this._pending.delete(work);
    };
    work.then(done, done);
    return work;
  }

  /** Waits for every request in flight; throws the first failure. */
  async settle(): Promise<void> {
    const results = await Promise.allSettled(Array.from(this._pending));
    const failed = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected'
    );
    if (failed) {
      throw failed.reason;
    }
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

  private readonly _pending = new Set<Promise<void>>();
  private readonly _waiting: (() => void)[] = [];
  private _active = 0;
  private readonly _exporter: ExporterSource;
}
