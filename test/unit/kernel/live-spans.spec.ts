/**
 * OpenTelemetry spans in memory as MLflow span dicts: attribute values as
 * MLflow's OTLP ingest stores them (the expected strings are what `mlflow
 * server` 3.17.2 returned for these values; test/integration/
 * live-kernel.spec.ts compares whole spans with the real server's), base64
 * ids, exact nanoseconds, and a running span as `LiveSpan.to_dict()`
 * writes it.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  base64Id,
  hrTimeNs,
  liveSpanDict,
  liveTraceInfo,
  storedAttribute
} from '../../../src/kernel/livespans';

const TRACE = '62b5a11d239d90d5d2db49277ac4b117';

function span(
  overrides: Partial<Record<keyof ReadableSpan, unknown>>
): ReadableSpan {
  return {
    name: 'step',
    spanContext: () => ({
      traceId: TRACE,
      spanId: 'c7b33d012bd0ed3b',
      traceFlags: 1
    }),
    parentSpanContext: {
      traceId: TRACE,
      spanId: '2f15316e6788c0d6',
      traceFlags: 1
    },
    startTime: [1796610568, 841034200],
    endTime: [1796610568, 845338465],
    status: { code: 1 },
    attributes: {},
    events: [],
    links: [],
    ended: true,
    resource: { attributes: { 'service.name': 'svc' } },
    ...overrides
  } as unknown as ReadableSpan;
}

describe('live span dicts', () => {
  it.each([
    ['a JSON-encoded string', '"plain"', '"plain"'],
    ['a JSON object', '{"a":[1,{"b":"x"}]}', '{"a":[1,{"b":"x"}]}'],
    ['a string not JSON', 'plain text', '"plain text"'],
    ['a string holding a number', '5', '"5"'],
    ['JSON null', 'null', '"null"'],
    ['an integer', 5, '5'],
    ['a float', 1.5, '1.5'],
    ['a tiny float', 1e-7, '1e-07'],
    ['a boolean', true, 'true'],
    ['an array of strings', ['a', 'b'], '["a", "b"]'],
    ['an array of numbers', [1, 2.5], '[1, 2.5]']
  ])('stores %s as the server does', (_what, value, stored) => {
    expect(storedAttribute(value as never)).toBe(stored);
  });

  it('writes an ended span with base64 ids, exact times and the request id', () => {
    const dict = liveSpanDict(
      span({
        status: { code: 2, message: 'Error: boom' },
        events: [
          { name: 'evt', time: [1796610568, 843590400], attributes: { n: 3 } }
        ]
      }),
      false
    );
    expect(dict.trace_id).toBe(base64Id(TRACE));
    expect(dict.trace_id).toBe('YrWhHSOdkNXS20knesSxFw==');
    expect(dict.parent_span_id).toBe('LxUxbmeIwNY=');
    expect(dict.start_time_unix_nano).toBe(Number(1796610568841034200n));
    expect(dict.end_time_unix_nano).toBe(
      Number(hrTimeNs([1796610568, 845338465]))
    );
    expect(dict.status).toEqual({
      code: 'STATUS_CODE_ERROR',
      message: 'Error: boom'
    });
    expect(dict.events).toEqual([
      { name: 'evt', time_unix_nano: 1796610568843590400, attributes: { n: 3 } }
    ]);
    expect(dict.attributes).toEqual({
      'mlflow.traceRequestId': `"tr-${TRACE}"`
    });
    expect(dict.links).toEqual([]);
  });

  it('writes a running span as LiveSpan.to_dict() does', () => {
    const dict = liveSpanDict(
      span({ status: { code: 0 }, ended: false, parentSpanContext: undefined }),
      true
    );
    expect(dict.end_time_unix_nano).toBeNull();
    expect(dict.parent_span_id).toBeNull();
    expect(dict.status).toEqual({ code: 'STATUS_CODE_UNSET', message: '' });
  });

  it("makes an IN_PROGRESS info with the root's trace tags", () => {
    const root = span({
      name: 'agent',
      parentSpanContext: undefined,
      attributes: {
        'mlflow.traceTag.mlflow.traceName': '"agent"',
        'mlflow.traceTag.k': '"v"'
      }
    });
    expect(liveTraceInfo(root, '7', true)).toEqual({
      trace_id: `tr-${TRACE}`,
      trace_location: {
        type: 'MLFLOW_EXPERIMENT',
        mlflow_experiment: { experiment_id: '7' }
      },
      request_time: '2026-12-07T02:29:28.841Z',
      state: 'IN_PROGRESS',
      trace_metadata: { 'mlflow.trace_schema.version': '3' },
      tags: { 'mlflow.traceName': 'agent', k: 'v', 'service.name': 'svc' }
    });
    const ended = liveTraceInfo(root, '7', false);
    expect(ended.state).toBe('OK');
    expect(ended.execution_duration).toBe('0.004s');
  });
});
