/**
 * The helper's spans carry `mlflow.spanLogLevel` as MLflow 3.17.2's Python
 * SDK stamps it (test/fixtures/loglevel-prompts.trace.json): the level set,
 * else the default by span type; an exception raises it to ERROR.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { MlflowSpan, withSpan } from '../../../src/kernel/tracing';

function levelOf(
  spanType: string | undefined,
  body: (span: MlflowSpan) => void = () => undefined
): unknown {
  let recorded: ReadableSpan | undefined;
  try {
    withSpan('s', { spanType }, span => {
      recorded = span.otelSpan as unknown as ReadableSpan;
      body(span);
    });
  } catch {
    // a failing body: the span still ends
  }
  return recorded!.attributes['mlflow.spanLogLevel'];
}

describe("the helper's span log levels", () => {
  const saved = process.env.MLFLOW_TRACKING_URI;
  beforeAll(() => {
    // No server: the export fails quietly; only the spans' attributes matter.
    delete process.env.MLFLOW_TRACKING_URI;
  });
  afterAll(() => {
    if (saved !== undefined) {
      process.env.MLFLOW_TRACKING_URI = saved;
    }
  });

  it.each([
    ['LLM', 20],
    ['CHAT_MODEL', 20],
    ['TOOL', 20],
    ['RETRIEVER', 20],
    ['AGENT', 20],
    ['EMBEDDING', 20],
    ['CHAIN', 10],
    ['PARSER', 10],
    ['my_step', 10],
    [undefined, 10]
  ])('a %s span ends at %i (a number, as MLflow reads it)', (type, level) => {
    expect(levelOf(type)).toBe(level);
  });

  it('keeps a level the user set, by name or number', () => {
    expect(levelOf('CHAIN', span => span.setLogLevel('WARNING'))).toBe(30);
    expect(levelOf('LLM', span => span.setLogLevel(50))).toBe(50);
    expect(
      levelOf('LLM', span => span.setAttribute('mlflow.spanLogLevel', 'debug'))
    ).toBe(10);
  });

  it('follows a span type set later', () => {
    expect(levelOf(undefined, span => span.setSpanType('TOOL'))).toBe(20);
  });

  it('raises a failed span to ERROR, and keeps CRITICAL', () => {
    expect(
      levelOf('LLM', () => {
        throw new Error('boom');
      })
    ).toBe(40);
    expect(
      levelOf('LLM', span => {
        span.setLogLevel('CRITICAL');
        throw new Error('boom');
      })
    ).toBe(50);
    expect(levelOf('CHAIN', span => span.addEvent('exception', { x: 1 }))).toBe(
      40
    );
  });

  it('ignores a level it cannot read, and ends with the default', () => {
    expect(
      levelOf('TOOL', span => span.setAttribute('mlflow.spanLogLevel', 'LOUD'))
    ).toBe(20);
  });
});
