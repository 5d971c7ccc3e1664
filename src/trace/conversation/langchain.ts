/**
 * LangChain's messages: keyed by `type` (human, ai, system, tool), possibly
 * serialized (`{lc, kwargs}`) or dumped by `message_to_dict` (`{type, data}`);
 * tool calls and reasoning in `additional_kwargs`; replies in `generations`.
 */
import { isRecord } from '../attributes';
import { toolCallsOf } from './openai';
import { Item, toolResult } from './parts';
import { leftovers } from './strings';
import { IMessagePart, ITextPart } from './types';

const LANGCHAIN_TYPES = new Set([
  'human',
  'ai',
  'system',
  'tool',
  'chat',
  'function',
  'AIMessageChunk'
]);

/** The role of a message: its `role`, or the LangChain `type` naming one. */
function roleOf(message: Item): string | null {
  if (typeof message.role === 'string') {
    return message.role;
  }
  if (typeof message.type === 'string' && LANGCHAIN_TYPES.has(message.type)) {
    return message.type === 'AIMessageChunk' ? 'ai' : message.type;
  }
  return null;
}

/**
 * The message a value holds and its role, or null when it has no role;
 * LangChain's serialized `{lc, kwargs}` and `{type, data}` forms unwrapped.
 */
export function unwrapMessage(
  value: unknown
): { message: Item; role: string } | null {
  let current = value;
  // One `data` level per turn, with no recursion, however deep it nests.
  while (isRecord(current)) {
    const message =
      isRecord(current.kwargs) && current.lc !== undefined
        ? current.kwargs
        : current;
    const role = roleOf(message);
    if (role !== null) {
      return { message, role };
    }
    const { data, type } = current;
    if (
      !isRecord(data) ||
      typeof type !== 'string' ||
      !LANGCHAIN_TYPES.has(type)
    ) {
      return null;
    }
    current = { ...data, type };
  }
  return null;
}

/**
 * A message's `additional_kwargs` applied to the parts read so far: its tool
 * calls when the message lists none, its reasoning first, and a
 * `tool_call_id` making the text that call's result. Gives the text parts of
 * its other keys, which go after the message's own.
 */
export function applyAdditionalKwargs(
  message: Item,
  parts: IMessagePart[]
): ITextPart[] {
  const extra = isRecord(message.additional_kwargs)
    ? message.additional_kwargs
    : {};
  if (!Array.isArray(message.tool_calls) || message.tool_calls.length === 0) {
    parts.push(...toolCallsOf(extra.tool_calls));
  }
  if (typeof extra.reasoning_content === 'string') {
    parts.unshift({ kind: 'reasoning', text: extra.reasoning_content });
  }
  if (
    typeof extra.tool_call_id === 'string' &&
    typeof message.tool_call_id !== 'string'
  ) {
    const texts = parts
      .filter(p => p.kind === 'text')
      .map(p => (p as ITextPart).text);
    const kept = parts.filter(p => p.kind !== 'text');
    parts.length = 0;
    parts.push(
      ...kept,
      toolResult(extra.tool_call_id, extra.name, texts.join('\n'))
    );
  }
  return leftovers(extra, [
    'tool_calls',
    'reasoning_content',
    'tool_call_id',
    'name'
  ]);
}

/** The label of generation `j` of `m` answering prompt `i` of `n`, if any. */
function generationGroup(
  i: number,
  n: number,
  j: number,
  m: number
): string | undefined {
  const labels = [
    ...(n > 1 ? [`conversation ${i + 1} of ${n}`] : []),
    ...(m > 1 ? [`choice ${j + 1} of ${m}`] : [])
  ];
  return labels.length > 0 ? labels.join(', ') : undefined;
}

/**
 * The messages of `generations` (one prompt's list, or a list per prompt),
 * and the group of each: `conversation i of n` for the prompt it answers
 * when there are several (as a batch's inputs are labelled), then
 * `choice j of m` when that prompt has several generations.
 */
export function generationMessages(generations: unknown[]): {
  messages: unknown[];
  groups: (string | undefined)[];
} {
  const prompts = generations.some(Array.isArray)
    ? generations.map(g => (Array.isArray(g) ? g : [g]))
    : [generations];
  const messages: unknown[] = [];
  const groups: (string | undefined)[] = [];
  prompts.forEach((list, i) =>
    list.forEach((g, j) => {
      messages.push(
        isRecord(g) ? (g.message ?? { type: 'ai', content: g.text }) : undefined
      );
      groups.push(generationGroup(i, prompts.length, j, list.length));
    })
  );
  return { messages, groups };
}
