/**
 * TraceBatchProcessor keeps at most MAX_CONCURRENT_EXPORTS OTLP requests in
 * flight (the OTLP exporter refuses more than 30), and loses no trace and no
 * span: not one that ends after its root, nor those of a root that never ends.
 */
import { context, trace } from '@opentelemetry/api';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  ReadableSpan,
  SpanExporter,
  TracerProvider
} from '@opentelemetry/sdk-trace';
import {
  ILateSpans,
  ITraceBatchOptions,
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

/** An exporter that records each request's span names. */
function recordingExporter(): { exporter: SpanExporter; requests: string[][] } {
  const requests: string[][] = [];
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], done: (r: ExportResult) => void) {
      requests.push(spans.map(s => s.name));
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => undefined
  };
  return { exporter, requests };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

describe('TraceBatchProcessor: spans that end after their root', () => {
  it('exports a child that ends after its root, without flush()', async () => {
    const { exporter, requests } = recordingExporter();
    const processor = new TraceBatchProcessor(
      async () => exporter,
      () => undefined
    );
    const tracer = new TracerProvider({
      spanProcessors: [processor]
    }).getTracer('test');
    const root = tracer.startSpan('root');
    const late = tracer.startSpan(
      'late',
      {},
      trace.setSpan(context.active(), root)
    );
    root.end();
    await new Promise(resolve => setTimeout(resolve, 20));
    late.end();
    await waitFor(() => requests.flat().includes('late'), 5000);
    expect(requests.flat().sort()).toEqual(['late', 'root']);
    expect(processor.bufferedSpanCount).toBe(0);
  });

  function setup(options: ITraceBatchOptions) {
    const { exporter, requests } = recordingExporter();
    const late: ILateSpans[] = [];
    const warnings: string[] = [];
    const processor = new TraceBatchProcessor(
      async () => exporter,
      () => undefined,
      {
        onLateSpans: e => late.push(e),
        warn: m => warnings.push(m),
        ...options
      }
    );
    const tracer = new TracerProvider({
      spanProcessors: [processor]
    }).getTracer('test');
    const childOf = (
      parent: ReturnType<typeof tracer.startSpan>,
      name: string
    ) => tracer.startSpan(name, {}, trace.setSpan(context.active(), parent));
    return { processor, tracer, childOf, requests, late, warnings };
  }

  it('exports at once when no span of the trace is still open', async () => {
    const { tracer, childOf, requests } = setup({ graceMs: 60000 });
    const root = tracer.startSpan('root');
    childOf(root, 'child').end();
    root.end();
    await waitFor(() => requests.length > 0, 1000);
    expect(requests).toEqual([['child', 'root']]);
  });

  it('sends a child ending within the grace period with its root', async () => {
    const { tracer, childOf, requests, late } = setup({ graceMs: 2000 });
    const root = tracer.startSpan('root');
    const child = childOf(root, 'child');
    root.end();
    await new Promise(resolve => setTimeout(resolve, 30));
    expect(requests).toEqual([]);
    child.end();
    await waitFor(() => requests.length > 0, 1000);
    expect(requests).toEqual([['root', 'child']]);
    expect(late).toEqual([]);
  });

  it('sends a child ending after the grace period as a follow-up and says so', async () => {
    const { tracer, childOf, requests, late, processor } = setup({
      graceMs: 20,
      lateBatchMs: 20
    });
    const root = tracer.startSpan('root');
    const early = childOf(root, 'early');
    const slow = childOf(root, 'slow');
    const slower = childOf(root, 'slower');
    early.end();
    root.end();
    await waitFor(() => requests.length > 0, 1000);
    expect(requests).toEqual([['early', 'root']]);
    slow.end();
    slower.end();
    await waitFor(() => late.length > 0, 1000);
    await late[0].exported;
    expect(requests).toEqual([
      ['early', 'root'],
      ['slow', 'slower']
    ]);
    expect(late[0].traceId).toBe(`tr-${root.spanContext().traceId}`);
    expect(late[0].spans.map(s => s.name)).toEqual(['slow', 'slower']);
    expect(processor.bufferedSpanCount).toBe(0);
    expect(processor.openTraceCount).toBe(0);
  });

  it('sends spans of a root that never ends ahead of it, in bounded batches, and warns', async () => {
    const { tracer, childOf, requests, warnings, processor } = setup({
      maxSpansPerTrace: 5
    });
    const root = tracer.startSpan('never-ends');
    for (let i = 0; i < 12; i++) {
      childOf(root, `c${i}`).end();
      expect(processor.bufferedSpanCount).toBeLessThanOrEqual(5);
    }
    await waitFor(() => requests.length >= 2, 1000);
    expect(requests.flat()).toHaveLength(10);
    expect(processor.bufferedSpanCount).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`tr-${root.spanContext().traceId}`);
    expect(warnings[0]).toContain('still open');
    root.end();
    await processor.forceFlush();
    expect(requests.flat().sort()).toEqual(
      [...Array.from({ length: 12 }, (_, i) => `c${i}`), 'never-ends'].sort()
    );
  });

  it('holds at most maxOpenTraces traces, sending the oldest one ahead and warning', async () => {
    const { tracer, childOf, requests, warnings, processor } = setup({
      maxOpenTraces: 3,
      graceMs: 20,
      lateBatchMs: 0
    });
    const roots = Array.from({ length: 5 }, (_, i) => {
      const root = tracer.startSpan(`root${i}`);
      childOf(root, `done${i}`).end();
      return root;
    });
    expect(processor.openTraceCount).toBe(3);
    await waitFor(() => requests.length >= 2, 1000);
    expect(requests).toEqual([['done0'], ['done1']]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`tr-${roots[0].spanContext().traceId}`);
    // A trace no longer held still loses nothing: its root goes out as it ends.
    roots[0].end();
    await waitFor(() => requests.flat().includes('root0'), 1000);
    for (const root of roots.slice(1)) {
      root.end();
    }
    await processor.forceFlush();
    expect(requests.flat().sort()).toEqual([
      'done0',
      'done1',
      'done2',
      'done3',
      'done4',
      'root0',
      'root1',
      'root2',
      'root3',
      'root4'
    ]);
  });

  it('still sends late children of a trace it stopped holding', async () => {
    const { tracer, childOf, requests, late } = setup({
      maxOpenTraces: 1,
      graceMs: 0,
      lateBatchMs: 0
    });
    const first = tracer.startSpan('first');
    const straggler = childOf(first, 'straggler');
    first.end();
    await waitFor(() => requests.length > 0, 1000);
    tracer.startSpan('second').end();
    await waitFor(() => requests.length > 1, 1000);
    straggler.end();
    await waitFor(() => late.length > 0, 1000);
    expect(requests.flat().sort()).toEqual(['first', 'second', 'straggler']);
    expect(late[0].traceId).toBe(`tr-${first.spanContext().traceId}`);
  });
});
