/**
 * The trace as one conversation (trace/conversationSteps.ts) on the traces
 * MLflow's autologging integrations wrote (test/fixtures/conversations/),
 * a RAG trace recorded from a real server, hand-built shapes and hostile text.
 */
import fs from 'fs';
import path from 'path';
import {
  buildTrace,
  conversationSteps,
  IChatMessage,
  isModelCall,
  ISpanDict,
  IStep,
  ITrace,
  messageKey,
  spanConversation
} from '../../../src/trace';
import { recordedTrace } from '../view/helpers';
import { CONVERSATION_FIXTURES, loadConversation } from './conversations';
import { makeSpan } from './factory';

const FIXTURES = [...CONVERSATION_FIXTURES, 'google-adk-thinking'];

/** Every trace of every recorded provider fixture, named. */
function recordedTraces(): { label: string; trace: ITrace }[] {
  return FIXTURES.flatMap(name =>
    loadConversation(name).traces.map((t, index) => ({
      label: `${name} trace ${index}`,
      trace: buildTrace(undefined, t.spans)
    }))
  );
}

/** The messages a step shows (a response shown above shows none). */
function shownMessages(step: IStep): IChatMessage[] {
  switch (step.kind) {
    case 'request':
      return step.messages ?? [];
    case 'message':
      return step.messages;
    case 'response':
      return step.shownAbove ? [] : (step.messages ?? []);
    default:
      return [];
  }
}

/** Compact JSON of a JSON text, else the text: how results compare. */
function compact(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.trim();
  }
}

/** The spans a conversation must give a step each. */
function stepSpans(trace: ITrace): string[] {
  return trace.nodesInOrder
    .map(n => n.span)
    .filter(
      s => isModelCall(s) || s.spanType === 'TOOL' || s.spanType === 'RETRIEVER'
    )
    .map(s => s.spanId);
}

describe('conversationSteps on the recorded provider fixtures', () => {
  const traces = recordedTraces();

  it('covers every fixture', () => {
    expect(traces.length).toBeGreaterThanOrEqual(FIXTURES.length);
  });

  it.each(traces.map(t => [t.label, t.trace] as const))(
    '%s: each message is shown once',
    (label, trace) => {
      const seen = new Map<string, number>();
      const steps = conversationSteps(trace);
      steps.forEach((step, index) => {
        for (const message of shownMessages(step)) {
          const key = messageKey(message);
          expect([label, key, seen.get(key)]).toEqual([label, key, undefined]);
          seen.set(key, index);
        }
      });
      // A tool result a tool step showed is not shown again as a message.
      const toolResults = new Set(
        steps.flatMap(s =>
          s.kind === 'tool' && s.result !== undefined ? [compact(s.result)] : []
        )
      );
      for (const step of steps) {
        for (const message of shownMessages(step)) {
          for (const part of message.parts) {
            if (part.kind === 'toolResult') {
              expect([label, toolResults.has(compact(part.text))]).toEqual([
                label,
                false
              ]);
            }
          }
        }
      }
    }
  );

  it.each(traces.map(t => [t.label, t.trace] as const))(
    '%s: no message of a model call is lost',
    (label, trace) => {
      const steps = conversationSteps(trace);
      const shown = new Set(
        steps.flatMap(s => shownMessages(s).map(messageKey))
      );
      const toolResults = new Set(
        steps.flatMap(s =>
          s.kind === 'tool' && s.result !== undefined ? [compact(s.result)] : []
        )
      );
      const keyOf = (m: IChatMessage) =>
        messageKey({
          ...m,
          parts: m.parts.map(p =>
            p.kind === 'toolCall' ? { ...p, result: undefined } : p
          )
        });
      for (const node of trace.nodesInOrder) {
        if (!isModelCall(node.span)) {
          continue;
        }
        const chat = spanConversation(node.span);
        for (const message of [
          ...(chat.input?.messages ?? []),
          ...(chat.output?.messages ?? [])
        ]) {
          const byTool = message.parts.every(
            p => p.kind === 'toolResult' && toolResults.has(compact(p.text))
          );
          expect([
            label,
            keyOf(message),
            shown.has(keyOf(message)) || byTool
          ]).toEqual([label, keyOf(message), true]);
        }
      }
    }
  );

  it.each(traces.map(t => [t.label, t.trace] as const))(
    '%s: the request first, the response last, one step per model, tool and retriever span, in time order',
    (label, trace) => {
      const steps = conversationSteps(trace);
      const root = trace.roots[0].span.spanId;
      expect([label, steps[0].kind, steps[0].spanId]).toEqual([
        label,
        'request',
        root
      ]);
      const last = steps[steps.length - 1];
      expect([label, last.kind, last.spanId]).toEqual([
        label,
        'response',
        root
      ]);
      const middle = steps.slice(1, -1);
      expect(middle.map(s => s.spanId).sort()).toEqual(stepSpans(trace).sort());
      const starts = middle.map(
        s => trace.nodeById.get(s.spanId)!.span.startNs
      );
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
  );

  it('a model call that resends the whole history shows only its answer', () => {
    // openai-chat's second trace: system, user, the call and its result resent.
    const trace = buildTrace(
      undefined,
      loadConversation('openai-chat').traces[1].spans
    );
    const steps = conversationSteps(trace);
    const call = steps.find(s => s.kind === 'message');
    expect(call?.kind === 'message' && call.repeated).toBe(4);
    expect(
      call?.kind === 'message' &&
        call.messages.map(m => [m.role, m.parts.map(p => p.kind)])
    ).toEqual([['assistant', ['text']]]);
    const response = steps[steps.length - 1];
    expect(response.kind === 'response' && response.shownAbove).toBe(true);
  });
});

describe('an agent trace', () => {
  it('openai-agents: the call, the tool with its arguments and result, the answer, in that order', () => {
    const trace = buildTrace(
      undefined,
      loadConversation('openai-agents').traces[0].spans
    );
    const steps = conversationSteps(trace);
    const lines = steps.flatMap(step =>
      step.kind === 'tool'
        ? [
            `tool ${step.name} ${compact(step.arguments)} -> ${compact(step.result!)}`
          ]
        : shownMessages(step).map(
            m =>
              `${step.kind} ${m.role}: ${m.parts
                .map(p =>
                  p.kind === 'toolCall'
                    ? `call ${p.name} ${p.arguments}`
                    : p.kind === 'text'
                      ? p.text
                      : p.kind
                )
                .join(' + ')}`
          )
    );
    expect(lines).toEqual([
      'request user: What is the weather in Paris?',
      'message assistant: reasoning + call get_weather {"city": "Paris"}',
      'message system: You answer weather questions.',
      'tool get_weather {"city":"Paris"} -> {"temperature_c":21,"sky":"sunny"}',
      'message assistant: It is sunny in Paris, 21 °C.'
    ]);
  });

  it('google-adk: the tool step between the call and the answer, its result not repeated', () => {
    const trace = buildTrace(
      undefined,
      loadConversation('google-adk').traces[0].spans
    );
    const steps = conversationSteps(trace);
    expect(steps.map(s => s.kind)).toEqual([
      'request',
      'message',
      'tool',
      'message',
      'response'
    ]);
    const tool = steps[2];
    expect(tool.kind === 'tool' && compact(tool.arguments)).toBe(
      '{"city":"Paris"}'
    );
    expect(tool.kind === 'tool' && compact(tool.result!)).toBe(
      '{"temperature_c":21,"sky":"sunny"}'
    );
    const answer = steps[3];
    expect(
      answer.kind === 'message' && answer.messages.map(m => m.parts[0].kind)
    ).toEqual(['text']);
  });
});

describe('a RAG trace', () => {
  it('shows the retrieval with its query and its documents with scores, before the answer', () => {
    const trace = recordedTrace('nested');
    const steps = conversationSteps(trace);
    expect(steps.map(s => `${s.kind} ${s.name}`)).toEqual([
      'request rag_agent',
      'retrieval retrieve',
      'tool get_weather',
      'message chat_completion',
      'response rag_agent'
    ]);
    const retrieval = steps[1];
    if (retrieval.kind !== 'retrieval') {
      throw new Error('not a retrieval');
    }
    expect(JSON.parse(retrieval.query)).toEqual({
      query: 'What is the weather in Lyon?'
    });
    const documents = retrieval.outputs as {
      id: string;
      score: number;
      page_content: string;
    }[];
    expect(documents.map(d => [d.id, d.score])).toEqual([
      ['doc-0', 1],
      ['doc-1', 0.9],
      ['doc-2', 0.8]
    ]);
    // The request is the agent's question (a dict: no messages), the response its answer.
    expect(steps[0].kind === 'request' && steps[0].messages).toBeNull();
    const response = steps[4];
    expect(response.kind === 'response' && response.shownAbove).toBe(true);
  });
});

describe('hand-built shapes', () => {
  function chatSpan(
    id: string,
    startMs: number,
    messages: unknown[],
    answer: string,
    parent = 'root'
  ): ISpanDict {
    return makeSpan({
      id,
      parent,
      name: id,
      type: 'CHAT_MODEL',
      startMs,
      endMs: startMs + 5,
      attributes: {
        'mlflow.spanInputs': { messages },
        'mlflow.spanOutputs': {
          choices: [{ message: { role: 'assistant', content: answer } }]
        }
      }
    });
  }

  it('orders by start time across parallel branches, not by tree order', () => {
    const trace = buildTrace(undefined, [
      makeSpan({ id: 'root', name: 'agent', startMs: 0, endMs: 100 }),
      makeSpan({ id: 'a', parent: 'root', startMs: 0, endMs: 100 }),
      makeSpan({ id: 'b', parent: 'root', startMs: 1, endMs: 100 }),
      chatSpan('a2', 30, [{ role: 'user', content: 'a second' }], 'A2', 'a'),
      chatSpan('b1', 10, [{ role: 'user', content: 'b first' }], 'B1', 'b'),
      makeSpan({
        id: 't',
        parent: 'b',
        name: 'lookup',
        type: 'TOOL',
        startMs: 20,
        endMs: 25,
        attributes: { 'mlflow.spanInputs': { q: 1 } }
      })
    ]);
    expect(conversationSteps(trace).map(s => s.spanId)).toEqual([
      'root',
      'b1',
      't',
      'a2',
      'root'
    ]);
  });

  it('does not skip a message equal to one shown at another position of the history', () => {
    const trace = buildTrace(undefined, [
      makeSpan({ id: 'root', startMs: 0, endMs: 100 }),
      chatSpan('c1', 1, [{ role: 'user', content: 'yes' }], 'Sure?'),
      chatSpan(
        'c2',
        10,
        [
          { role: 'user', content: 'yes' },
          { role: 'assistant', content: 'Sure?' },
          { role: 'user', content: 'yes' }
        ],
        'Done.'
      )
    ]);
    const second = conversationSteps(trace)[2];
    expect(
      second.kind === 'message' &&
        second.messages.map(m => `${m.role}: ${(m.parts[0] as any).text}`)
    ).toEqual(['user: yes', 'assistant: Done.']);
    expect(second.kind === 'message' && second.repeated).toBe(2);
  });

  it('keeps a model call whose messages were all shown, and one it cannot read', () => {
    const trace = buildTrace(undefined, [
      chatSpan('outer', 0, [{ role: 'user', content: 'hi' }], 'hello', ''),
      chatSpan('inner', 1, [{ role: 'user', content: 'hi' }], 'hello', 'outer'),
      makeSpan({
        id: 'odd',
        parent: 'outer',
        type: 'LLM',
        startMs: 2,
        attributes: { 'mlflow.spanInputs': { prompt_id: 7 } }
      })
    ]);
    const steps = conversationSteps(trace);
    const inner = steps.find(s => s.spanId === 'inner');
    expect(
      inner?.kind === 'message' && [inner.messages, inner.repeated]
    ).toEqual([[], 2]);
    const odd = steps.find(s => s.spanId === 'odd');
    expect(odd?.kind === 'message' && odd.unread).toBe(true);
  });

  it('gives a trace with no spans no steps, and a running root a response with no value', () => {
    expect(conversationSteps(buildTrace(undefined, []))).toEqual([]);
    const running = buildTrace(undefined, [
      makeSpan({
        id: 'root',
        endMs: null,
        attributes: { 'mlflow.spanInputs': 'What now?' }
      })
    ]);
    const steps = conversationSteps(running);
    expect(steps.map(s => [s.kind, s.inProgress])).toEqual([
      ['request', true],
      ['response', true]
    ]);
    expect(steps[1].kind === 'response' && steps[1].value).toBeUndefined();
  });

  it('walks a 100,000-deep chain of tool spans without recursion', () => {
    const spans: ISpanDict[] = [];
    for (let i = 0; i < 100_000; i++) {
      spans.push(
        makeSpan({
          id: `s${i}`,
          parent: i === 0 ? null : `s${i - 1}`,
          type: 'TOOL',
          startMs: i / 1000,
          endMs: 200
        })
      );
    }
    const steps = conversationSteps(buildTrace(undefined, spans));
    expect(steps.length).toBe(100_002);
    expect(steps[1].spanId).toBe('s0');
    expect(steps[100_000].spanId).toBe('s99999');
  });
});

describe('hostile content', () => {
  const payloads: string[] = JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '..', '..', 'fixtures', 'xss-payloads.json'),
      'utf8'
    )
  ).payloads.map((p: { payload: string }) => p.payload);

  it('keeps every payload as text in messages, tool steps and retrievals, unchanged', () => {
    const spans: ISpanDict[] = [
      makeSpan({
        id: 'root',
        name: payloads[0],
        startMs: 0,
        endMs: 100,
        attributes: {
          'mlflow.spanInputs': payloads[1],
          'mlflow.spanOutputs': payloads[2]
        }
      })
    ];
    payloads.forEach((payload, i) => {
      spans.push(
        makeSpan({
          id: `m${i}`,
          parent: 'root',
          name: payload,
          type: i % 3 === 0 ? 'CHAT_MODEL' : i % 3 === 1 ? 'TOOL' : 'RETRIEVER',
          startMs: 1 + i * 0.01,
          attributes: {
            'mlflow.spanInputs':
              i % 3 === 0
                ? { messages: [{ role: payload, content: payload }] }
                : payload,
            'mlflow.spanOutputs': [{ page_content: payload, metadata: {} }]
          }
        })
      );
    });
    const steps = conversationSteps(buildTrace(undefined, spans));
    expect(steps.length).toBe(payloads.length + 2);
    steps.slice(1, -1).forEach((step, i) => {
      const payload = payloads[i];
      expect(step.name).toBe(payload);
      if (step.kind === 'message') {
        expect(step.messages[0].role).toBe(payload);
        expect(step.messages[0].parts[0]).toEqual({
          kind: 'text',
          text: payload
        });
      } else if (step.kind === 'tool') {
        expect(step.arguments).toBe(payload);
      } else if (step.kind === 'retrieval') {
        expect(step.query).toBe(payload);
        expect(step.outputs).toEqual([{ page_content: payload, metadata: {} }]);
      }
    });
    expect(steps[0].kind === 'request' && steps[0].messages?.[0].parts).toEqual(
      [{ kind: 'text', text: payloads[1] }]
    );
  });
});
