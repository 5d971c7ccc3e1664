/**
 * LiveSpanProcessor on a real OpenTelemetry provider: it follows only the
 * traces its handler takes, bounds the ended spans it holds while keeping
 * open spans and their ancestors, costs nothing when off, and a failing
 * handler never reaches the code that started the span.
 */
import { context, trace as otelTrace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import {
  ILiveTrace,
  LiveSpanProcessor
} from '../../../src/kernel/liveprocessor';

function setup(handler: (trace: ILiveTrace) => boolean, maxHeldEnded = 10) {
  const live = new LiveSpanProcessor({ maxHeldEnded });
  live.setRootHandler(handler);
  const provider = new TracerProvider({ spanProcessors: [live] });
  const tracer = provider.getTracer('test');
  const child = (parent: ReturnType<typeof tracer.startSpan>, name: string) =>
    tracer.startSpan(name, {}, otelTrace.setSpan(context.active(), parent));
  return { live, tracer, child };
}

describe('LiveSpanProcessor', () => {
  it('holds open spans, their ancestors and the newest ended spans', () => {
    let followed: ILiveTrace | undefined;
    let changes = 0;
    const { live, tracer, child } = setup(trace => {
      followed = trace;
      trace.onChange = () => (changes += 1);
      return true;
    });
    const root = tracer.startSpan('root');
    const parent = child(root, 'parent');
    const open = child(parent, 'open');
    parent.end(); // ended, but an ancestor of an open span
    for (let i = 0; i < 50; i++) {
      child(root, `s-${i}`).end();
    }
    const trace = followed as ILiveTrace;
    const names = Array.from(trace.spans.values(), s => s.name);
    expect(names).toContain('root');
    expect(names).toContain('parent');
    expect(names).toContain('open');
    expect(names).toContain('s-49');
    expect(names).not.toContain('s-0');
    expect(trace.ended.length).toBeLessThanOrEqual(20);
    expect(trace.evicted + trace.ended.length).toBe(51);
    // Every start and end below the root.
    expect(changes).toBe(2 + 1 + 2 * 50);
    open.end();
    root.end();
    expect(live.take(root.spanContext().traceId)).toBe(trace);
    expect(live.size).toBe(0);
  });

  it('follows nothing when off, or when the handler declines or throws', () => {
    const errors: string[] = [];
    const spy = jest
      .spyOn(console, 'error')
      .mockImplementation((...args: unknown[]) => {
        errors.push(args.map(String).join(' '));
      });
    try {
      let calls = 0;
      const { live, tracer } = setup(() => {
        calls += 1;
        if (calls === 2) {
          throw new Error('no writer');
        }
        return false;
      });
      tracer.startSpan('declined').end();
      expect(() => tracer.startSpan('throws').end()).not.toThrow();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('no writer');
      live.enabled = false;
      tracer.startSpan('off').end();
      expect(calls).toBe(2);
      expect(live.size).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});
