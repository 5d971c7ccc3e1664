/**
 * The helper's spans nest exactly as they ran: a child's recorded start and
 * end lie within its parent's, to the nanosecond, however quickly they come.
 */
import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { trace, withSpan } from '../../../src/kernel/tracing';

/** Busy-waits, so that consecutive starts cross millisecond boundaries. */
function spin(durationMs: number): void {
  const until = performance.now() + durationMs;
  while (performance.now() < until) {
    // wait
  }
}

function ns(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

/** Every child inside its parent; the offenders, with their overrun in ns. */
function outsideParent(spans: ReadableSpan[]): string[] {
  const byId = new Map(spans.map(s => [s.spanContext().spanId, s]));
  const offenders: string[] = [];
  for (const span of spans) {
    const parent = byId.get(span.parentSpanContext?.spanId ?? '');
    if (!parent) {
      continue;
    }
    const early = ns(parent.startTime) - ns(span.startTime);
    const late = ns(span.endTime) - ns(parent.endTime);
    if (early > 0n || late > 0n) {
      offenders.push(`${span.name}: ${early} ns early, ${late} ns late`);
    }
  }
  return offenders;
}

describe('the helper clock', () => {
  const saved = process.env.MLFLOW_TRACKING_URI;
  beforeAll(() => {
    // No server: the export fails quietly; only the spans' times matter here.
    delete process.env.MLFLOW_TRACKING_URI;
  });
  afterAll(() => {
    if (saved !== undefined) {
      process.env.MLFLOW_TRACKING_URI = saved;
    }
  });

  it('nests 60 quickly created synchronous spans exactly', () => {
    const spans: ReadableSpan[] = [];
    const depth = 60;
    const nest = (level: number): void => {
      withSpan(`level-${level}`, span => {
        spans.push(span.otelSpan as unknown as ReadableSpan);
        spin(0.37);
        if (level < depth) {
          nest(level + 1);
        }
      });
    };
    nest(1);
    expect(spans).toHaveLength(depth);
    expect(outsideParent(spans)).toEqual([]);
  });

  it('nests async siblings and children exactly', async () => {
    const spans: ReadableSpan[] = [];
    const step = trace(
      async (n: number): Promise<number> => {
        spin(0.23);
        await Promise.resolve();
        return n;
      },
      { name: 'step' }
    );
    await withSpan('agent', async agent => {
      spans.push(agent.otelSpan as unknown as ReadableSpan);
      for (let i = 0; i < 20; i++) {
        await withSpan(`turn-${i}`, async turn => {
          spans.push(turn.otelSpan as unknown as ReadableSpan);
          spin(0.11);
          await Promise.all([step(1), step(2)]);
        });
      }
    });
    expect(spans).toHaveLength(21);
    expect(outsideParent(spans)).toEqual([]);
  });
});
