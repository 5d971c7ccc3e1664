/**
 * The conversation's steps over generated agent traces: parallel branches,
 * each a loop of model calls resending their branch's history (with or
 * without the system prompt, sometimes wrapped in an inner model span that
 * repeats the call), tool calls answering them and retrievals, at random
 * times. Invariants: one step per model, tool and retriever span; request
 * first, response last, the rest by start time; every message of every model
 * call shown exactly once, a tool result only by its tool step.
 */
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
import { makeSpan } from './factory';
import { seeded } from '../seeded';

interface IChatMessageDict {
  role: string;
  content: string | null;
  tool_calls?: unknown[];
  tool_call_id?: string;
}

/** A generated agent trace: root, branches, and each branch's loop. */
function agentTrace(seed: number): ISpanDict[] {
  const random = seeded(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const spans: ISpanDict[] = [
    makeSpan({
      id: 'root',
      name: 'agent',
      type: 'AGENT',
      startMs: 0,
      endMs: 10_000,
      attributes: {
        'mlflow.spanInputs': { question: `q${seed}` },
        'mlflow.spanOutputs': `done ${seed}`
      }
    })
  ];
  const branches = 1 + pick(3);
  for (let b = 0; b < branches; b++) {
    const branch = `b${b}`;
    let now = 1 + random() * 20;
    spans.push(
      makeSpan({
        id: branch,
        parent: 'root',
        type: 'CHAIN',
        startMs: now,
        endMs: 9_000
      })
    );
    const system: IChatMessageDict = {
      role: 'system',
      content: `You are branch ${b} of ${seed}.`
    };
    const history: IChatMessageDict[] = [
      { role: 'user', content: `task ${b} of ${seed}` }
    ];
    const rounds = 1 + pick(5);
    for (let r = 0; r < rounds; r++) {
      if (random() < 0.4) {
        spans.push(
          makeSpan({
            id: `${branch}-retrieve-${r}`,
            parent: branch,
            name: 'retrieve',
            type: 'RETRIEVER',
            startMs: now,
            endMs: now + 1,
            attributes: {
              'mlflow.spanInputs': { query: `${branch} ${r}` },
              'mlflow.spanOutputs': [
                { page_content: `doc ${branch} ${r}`, metadata: { score: 0.5 } }
              ]
            }
          })
        );
        now += 1 + random() * 3;
      }
      const last = r === rounds - 1;
      const callId = `call-${branch}-${r}`;
      const answer: IChatMessageDict = last
        ? { role: 'assistant', content: `answer ${branch}` }
        : {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: callId,
                type: 'function',
                function: { name: 'lookup', arguments: `{"round":${r}}` }
              }
            ]
          };
      const input = random() < 0.5 ? [system, ...history] : [...history];
      const model = `${branch}-llm-${r}`;
      const call = (id: string, parent: string, startMs: number) =>
        makeSpan({
          id,
          parent,
          name: 'chat',
          type: 'CHAT_MODEL',
          startMs,
          endMs: startMs + 2,
          attributes: {
            'mlflow.spanInputs': { messages: input },
            'mlflow.spanOutputs': { choices: [{ message: answer }] },
            'mlflow.message.format': 'openai'
          }
        });
      spans.push(call(model, branch, now));
      if (random() < 0.3) {
        // The client's own span inside the framework's: the same call again.
        spans.push(call(`${model}-inner`, model, now + 0.5));
      }
      now += 3 + random() * 5;
      history.push(answer);
      if (!last) {
        const result = `{"round": ${r}, "branch": "${branch}"}`;
        spans.push(
          makeSpan({
            id: `${branch}-tool-${r}`,
            parent: branch,
            name: 'lookup',
            type: 'TOOL',
            startMs: now,
            endMs: now + 1,
            attributes: {
              'mlflow.spanInputs': { round: r },
              'mlflow.spanOutputs': JSON.parse(result)
            }
          })
        );
        now += 1 + random() * 3;
        history.push({ role: 'tool', content: result, tool_call_id: callId });
      }
    }
  }
  // Spans in a shuffled input order: the steps must not depend on it.
  for (let i = spans.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [spans[i], spans[j]] = [spans[j], spans[i]];
  }
  return spans;
}

function shown(step: IStep): IChatMessage[] {
  if (step.kind === 'message') {
    return step.messages;
  }
  if (step.kind === 'request' || step.kind === 'response') {
    return step.kind === 'response' && step.shownAbove
      ? []
      : (step.messages ?? []);
  }
  return [];
}

function compact(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.trim();
  }
}

/** A message's key with its tool calls' results left out, as the steps compare. */
function callKey(message: IChatMessage): string {
  return messageKey({
    ...message,
    parts: message.parts.map(p =>
      p.kind === 'toolCall' ? { ...p, result: undefined } : p
    )
  });
}

function check(seed: number, trace: ITrace): void {
  const steps = conversationSteps(trace);
  const context = `seed ${seed}`;
  expect([context, steps[0].kind, steps[steps.length - 1].kind]).toEqual([
    context,
    'request',
    'response'
  ]);
  const middle = steps.slice(1, -1);
  const expected = trace.spans
    .filter(
      s => isModelCall(s) || s.spanType === 'TOOL' || s.spanType === 'RETRIEVER'
    )
    .map(s => s.spanId)
    .sort();
  expect([context, middle.map(s => s.spanId).sort()]).toEqual([
    context,
    expected
  ]);
  const starts = middle.map(s => trace.nodeById.get(s.spanId)!.span.startNs);
  expect([context, starts]).toEqual([
    context,
    [...starts].sort((a, b) => a - b)
  ]);
  // Each message shown once.
  const times = new Map<string, number>();
  for (const step of steps) {
    for (const message of shown(step)) {
      const key = messageKey(message);
      times.set(key, (times.get(key) ?? 0) + 1);
    }
  }
  const twice = [...times].filter(([, n]) => n > 1).map(([key]) => key);
  expect([context, twice]).toEqual([context, []]);
  // Every message of every model call shown, a tool result by its tool step.
  const toolResults = new Set(
    steps.flatMap(s =>
      s.kind === 'tool' && s.result !== undefined ? [compact(s.result)] : []
    )
  );
  const lost: string[] = [];
  for (const span of trace.spans.filter(s => isModelCall(s))) {
    const chat = spanConversation(span);
    for (const message of [
      ...(chat.input?.messages ?? []),
      ...(chat.output?.messages ?? [])
    ]) {
      const byTool = message.parts.every(
        p => p.kind === 'toolResult' && toolResults.has(compact(p.text))
      );
      if (byTool) {
        expect([context, times.has(callKey(message))]).toEqual([
          context,
          false
        ]);
      } else if (!times.has(callKey(message))) {
        lost.push(callKey(message));
      }
    }
  }
  expect([context, lost]).toEqual([context, []]);
}

describe('conversationSteps over generated agent traces', () => {
  it('holds its invariants over 300 seeded traces', () => {
    for (let seed = 1; seed <= 300; seed++) {
      check(seed, buildTrace(undefined, agentTrace(seed)));
    }
  });

  it('gives the same steps whatever the input order of the spans', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const spans = agentTrace(seed);
      const ids = (list: ISpanDict[]) =>
        conversationSteps(buildTrace(undefined, list)).map(
          s => `${s.kind} ${s.spanId}`
        );
      expect([seed, ids([...spans].reverse())]).toEqual([seed, ids(spans)]);
    }
  });
});
