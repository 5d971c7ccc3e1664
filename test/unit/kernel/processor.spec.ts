/**
 * TraceBatchProcessor keeps at most MAX_CONCURRENT_EXPORTS OTLP requests in
 * flight (the OTLP exporter refuses more than 30), and loses no trace.
 */
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  ReadableSpan,
  SpanExporter,
  TracerProvider
} from '@opentelemetry/sdk-trace';
import {
  MAX_CONCURRENT_EXPORTS,
  TraceBatchProcessor
} from '../../../src/kernel/processor';

describe('TraceBatchProcessor', () => {
  it('queues exports beyond the limit and sends every trace', async () => {
    let inFlight = 0;
    let peak = 0;
    const sent: string[] = [];
    const exporter: SpanExporter = {
      export(spans: ReadableSpan[], done: (r: ExportResult) => void) {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        setTimeout(() => {
          inFlight -= 1;
          sent.push(...spans.map(s => s.name));
          done({ code: ExportResultCode.SUCCESS });
        }, 5);
      },
      shutdown: async () => undefined
    };
    const processor = new TraceBatchProcessor(
      async () => exporter,
      () => undefined
    );
    const provider = new TracerProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer('test');
    for (let i = 0; i < 100; i++) {
      tracer.startSpan(`root-${i}`).end();
    }
    await processor.forceFlush();
    expect(peak).toBe(MAX_CONCURRENT_EXPORTS);
    expect(sent).toHaveLength(100);
    expect(new Set(sent).size).toBe(100);
  });
});
