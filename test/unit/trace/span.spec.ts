import {
  ITraceWarning,
  parseSpan,
  spanException,
  spanTypeCategory
} from '../../../src/trace';
import { makeSpan } from './factory';

// The shape get-trace-artifact returns; parsed from text because its
// nanosecond numbers exceed 2^53, as they do for the real client
const V3_ROOT: unknown = JSON.parse(`{
  "trace_id": "Fzp/l5Xz9Sr/QYhZIM2AWw==",
  "span_id": "i6tGW76fVcA=",
  "parent_span_id": null,
  "name": "agent",
  "start_time_unix_nano": 1795464932477024634,
  "end_time_unix_nano": 1795464932721172794,
  "events": [],
  "status": { "code": "STATUS_CODE_OK", "message": "" },
  "attributes": {
    "mlflow.traceRequestId": "\\"tr-173a7f9795f3f52aff41885920cd805b\\"",
    "mlflow.spanType": "\\"AGENT\\"",
    "mlflow.spanInputs": "{\\"q\\": \\"h\u00e9llo \u2713\\"}",
    "mlflow.spanOutputs": "\\"done\\"",
    "mlflow.chat.tokenUsage": "{\\"input_tokens\\": 3, \\"output_tokens\\": 5, \\"total_tokens\\": 8}"
  },
  "links": []
}`);

const LEGACY = {
  name: 'retrieve',
  context: { span_id: '0x8BAB465BBE9F55C0', trace_id: '0x173a7f97' },
  parent_id: '0xbf86e5f8a0bc79dc',
  start_time: 1700000000000000000,
  end_time: 1700000000250000000,
  status_code: 'ERROR',
  status_message: 'boom',
  attributes: { 'mlflow.spanType': '"RETRIEVER"' },
  events: [
    {
      name: 'exception',
      timestamp: 1700000000100000000,
      attributes: { 'exception.type': '"ValueError"' }
    }
  ]
};

function parse(raw: unknown, index = 0) {
  const warnings: ITraceWarning[] = [];
  return { span: parseSpan(raw, index, warnings), warnings };
}

describe('parseSpan: MLflow 3 span dict', () => {
  const { span, warnings } = parse(V3_ROOT);

  it('converts ids to hex and keeps a null root parent', () => {
    expect(span?.spanId).toBe('8bab465bbe9f55c0');
    expect(span?.traceId).toBe('173a7f9795f3f52aff41885920cd805b');
    expect(span?.parentId).toBeNull();
  });

  it('decodes type, inputs, outputs and token usage', () => {
    expect(span?.spanType).toBe('AGENT');
    expect(span?.inputs).toEqual({ q: 'héllo ✓' });
    expect(span?.outputs).toBe('done');
    expect(span?.tokenUsage).toEqual({ input: 3, output: 5, total: 8 });
  });

  it('reads times, status and completeness', () => {
    expect(span?.startNs).toBe(Number('1795464932477024634'));
    expect(span?.endNs).toBe(Number('1795464932721172794'));
    expect(span?.status).toBe('OK');
    expect(span?.error).toBe(false);
    expect(span?.inProgress).toBe(false);
    expect(warnings).toEqual([]);
  });
});

describe('parseSpan: MLflow 2 legacy dict', () => {
  const { span } = parse(LEGACY);

  it('reads context ids, parent_id and times', () => {
    expect(span?.spanId).toBe('8bab465bbe9f55c0');
    expect(span?.parentId).toBe('bf86e5f8a0bc79dc');
    expect(span?.traceId).toBe('173a7f97');
    expect(span?.startNs).toBe(1700000000000000000);
    expect(span?.endNs).toBe(1700000000250000000);
  });

  it('reads status_code, status_message and events', () => {
    expect(span?.status).toBe('ERROR');
    expect(span?.statusMessage).toBe('boom');
    expect(span?.spanType).toBe('RETRIEVER');
    expect(span?.events[0]).toMatchObject({
      name: 'exception',
      timeNs: 1700000000100000000,
      isException: true
    });
  });
});

describe('parseSpan: field variants', () => {
  it.each([
    ['"" parent (TS SDK)', { parent_span_id: '' }, 'parentId', null],
    ['missing parent', { parent_span_id: undefined }, 'parentId', null],
    [
      'string times',
      { start_time_unix_nano: '1000', end_time_unix_nano: '3000' },
      'endNs',
      3000
    ],
    ['end 0 means in progress', { end_time_unix_nano: 0 }, 'inProgress', true],
    [
      'null end means in progress',
      { end_time_unix_nano: null },
      'inProgress',
      true
    ],
    [
      'status UNSET',
      { status: { code: 'STATUS_CODE_UNSET' } },
      'status',
      'UNSET'
    ],
    ['numeric OTLP status 2', { status: { code: 2 } }, 'status', 'ERROR'],
    ['no status', { status: undefined }, 'status', 'UNSET'],
    ['missing type', { attributes: {} }, 'spanType', 'UNKNOWN'],
    [
      'custom type kept',
      { attributes: { 'mlflow.spanType': '"MY_STEP"' } },
      'spanType',
      'MY_STEP'
    ],
    [
      'OpenInference kind',
      { attributes: { 'openinference.span.kind': 'tool' } },
      'spanType',
      'TOOL'
    ],
    ['non-string name', { name: 12 }, 'name', '12']
  ])('%s', (_, patch, field, expected) => {
    const { span } = parse({ ...makeSpan({ id: 'a' }), ...patch });
    expect(span?.[field as keyof typeof span]).toEqual(expected);
  });
});

describe('parseSpan: errors', () => {
  it.each([
    ['status ERROR', { status: 'STATUS_CODE_ERROR' }, true],
    [
      'exception event',
      { events: [{ name: 'exception', attributes: {} }] },
      true
    ],
    ['other event', { events: [{ name: 'retry', attributes: {} }] }, false],
    ['status OK', {}, false]
  ])('%s', (_, options, expected) => {
    const { span } = parse(makeSpan({ id: 'a', ...options }));
    expect(span?.error).toBe(expected);
  });

  it('spanException reads the exception attributes', () => {
    const { span } = parse(
      makeSpan({
        id: 'a',
        events: [
          {
            name: 'exception',
            attributes: {
              'exception.type': '"KeyError"',
              'exception.message': 'raw message',
              'exception.stacktrace': '"Traceback…"'
            }
          }
        ]
      })
    );
    expect(span && spanException(span)).toEqual({
      type: 'KeyError',
      message: 'raw message',
      stacktrace: 'Traceback…'
    });
  });
});

describe('parseSpan: hostile entries', () => {
  it.each([null, 3, 'span', [1, 2]])('%j is not a span', raw => {
    const { span, warnings } = parse(raw, 4);
    expect(span).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0].kind).toBe('not-a-span');
    expect(warnings[0].message).toContain('4');
  });

  it('gives a span without an id a synthetic one', () => {
    const { span, warnings } = parse({ name: 'x', start_time_unix_nano: 1 }, 7);
    expect(span?.spanId).toBe('missing-7');
    expect(warnings.map(w => w.kind)).toEqual(['missing-id']);
  });

  it('warns when a span ends before it starts', () => {
    const { warnings } = parse(makeSpan({ id: 'a', startMs: 5, endMs: 1 }));
    expect(warnings.map(w => w.kind)).toEqual(['bad-time']);
  });

  it('falls back to the end time when the start is missing', () => {
    const raw = { ...makeSpan({ id: 'a' }), start_time_unix_nano: 'soon' };
    const { span, warnings } = parse(raw);
    expect(span?.startNs).toBe(span?.endNs);
    expect(warnings.map(w => w.kind)).toEqual(['bad-time']);
  });
});

describe('spanTypeCategory', () => {
  it.each([
    ['LLM', 'LLM'],
    ['CHAT_MODEL', 'CHAT_MODEL'],
    ['RERANKER', 'RERANKER'],
    ['MY_STEP', 'UNKNOWN'],
    ['llm', 'UNKNOWN']
  ])('%s → %s', (type, category) => {
    expect(spanTypeCategory(type)).toBe(category);
  });
});
