import {
  buildTrace,
  ISpanDict,
  ITraceInfoV3,
  parseDurationMs,
  summarizeTrace
} from '../../../src/trace';
import { BASE_NS, makeInfo, makeSpan } from './factory';

const USAGE_3_5 = { input_tokens: 3, output_tokens: 5, total_tokens: 8 };

function summary(info: ITraceInfoV3 | undefined, spans: unknown) {
  return summarizeTrace(buildTrace(info, spans));
}

const AGENT: ISpanDict[] = [
  makeSpan({
    id: 'root',
    name: 'agent',
    type: 'AGENT',
    startMs: 0,
    endMs: 244
  }),
  makeSpan({
    id: 'llm1',
    parent: 'root',
    type: 'CHAT_MODEL',
    startMs: 10,
    endMs: 20,
    attributes: { 'mlflow.chat.tokenUsage': USAGE_3_5 }
  }),
  makeSpan({
    id: 'llm2',
    parent: 'root',
    type: 'LLM',
    startMs: 30,
    endMs: 40,
    attributes: {
      'mlflow.chat.tokenUsage': { input_tokens: 1, output_tokens: 1 }
    }
  }),
  makeSpan({
    id: 'tool',
    parent: 'root',
    startMs: 50,
    endMs: 60,
    events: [{ name: 'exception', attributes: {} }]
  })
];

describe('summarizeTrace', () => {
  it('counts spans and errors', () => {
    const s = summary(makeInfo(), AGENT);
    expect(s.spanCount).toBe(4);
    expect(s.errorCount).toBe(1);
  });

  it.each([
    [
      'metadata wins over spans',
      {
        'mlflow.trace.tokenUsage': JSON.stringify({
          input_tokens: 100,
          output_tokens: 1,
          total_tokens: 101
        })
      },
      { input: 100, output: 1, total: 101 }
    ],
    ['spans summed without metadata', {}, { input: 4, output: 6, total: 10 }],
    [
      'spans summed when metadata is not JSON',
      { 'mlflow.trace.tokenUsage': '{' },
      { input: 4, output: 6, total: 10 }
    ]
  ])('token usage: %s', (_, metadata, expected) => {
    expect(
      summary(makeInfo({ trace_metadata: metadata }), AGENT).tokenUsage
    ).toEqual(expected);
  });

  it('sums a parent and a child that both report usage', () => {
    const spans = [
      makeSpan({
        id: 'p',
        attributes: { 'mlflow.chat.tokenUsage': USAGE_3_5 }
      }),
      makeSpan({
        id: 'c',
        parent: 'p',
        attributes: { 'mlflow.chat.tokenUsage': USAGE_3_5 }
      })
    ];
    expect(summary(undefined, spans).tokenUsage).toEqual({
      input: 6,
      output: 10,
      total: 16
    });
  });

  it('has no token usage when nothing reports it', () => {
    expect(summary(undefined, [makeSpan({ id: 'a' })]).tokenUsage).toBeNull();
  });

  it('measures duration and start from the root spans', () => {
    const s = summary(makeInfo({ execution_duration: '9s' }), AGENT);
    expect(s.durationMs).toBeCloseTo(244, 3);
    expect(s.startMs).toBeCloseTo(BASE_NS / 1e6, 0);
  });

  it('falls back to the info without spans', () => {
    const s = summary(makeInfo(), []);
    expect(s.durationMs).toBe(244);
    expect(s.startMs).toBe(Date.parse('2026-11-23T20:15:32.477Z'));
  });

  it('has no duration or start without spans or info', () => {
    const s = summary(undefined, []);
    expect(s.durationMs).toBeNull();
    expect(s.startMs).toBeNull();
    expect(s.traceId).toBe('');
    expect(s.name).toBe('');
  });

  it.each([
    ['tag', { tags: { 'mlflow.traceName': 'my agent' } }, 'my agent'],
    ['root span name', { tags: {} }, 'agent']
  ])('name from %s', (_, fields, name) => {
    expect(summary(makeInfo(fields), AGENT).name).toBe(name);
  });

  it.each([
    ['info id', makeInfo({ trace_id: 'tr-abc' }), 'tr-abc'],
    ['span trace id', undefined, 'tr-173a7f9795f3f52aff41885920cd805b']
  ])('trace id from %s', (_, info, id) => {
    expect(summary(info, AGENT).traceId).toBe(id);
  });

  it.each([
    ['info state', makeInfo({ state: 'ERROR' }), AGENT, 'ERROR'],
    ['derived OK (child errors only)', undefined, AGENT, 'OK'],
    [
      'derived ERROR from a root',
      makeInfo({ state: 'STATE_UNSPECIFIED' }),
      [makeSpan({ id: 'r', status: 'STATUS_CODE_ERROR' })],
      'ERROR'
    ],
    [
      'derived IN_PROGRESS',
      undefined,
      [makeSpan({ id: 'r', endMs: null })],
      'IN_PROGRESS'
    ],
    ['no spans, no info', undefined, [], 'STATE_UNSPECIFIED']
  ] as [string, ITraceInfoV3 | undefined, ISpanDict[], string][])(
    'state: %s',
    (_, info, spans, state) => {
      expect(summary(info, spans).state).toBe(state);
    }
  );
});

describe('parseDurationMs', () => {
  it.each([
    ['0.244s', 244],
    ['3s', 3000],
    ['1.000340012s', 1000.340012],
    ['244ms', null],
    ['', null],
    [undefined, null]
  ])('%j → %j', (raw, ms) => {
    if (ms === null) {
      expect(parseDurationMs(raw)).toBeNull();
    } else {
      expect(parseDurationMs(raw)).toBeCloseTo(ms, 6);
    }
  });
});
