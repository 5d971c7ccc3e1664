/**
 * One message with a role: OpenAI Chat's `content`, `tool_calls`,
 * `tool_call_id` and `reasoning_content`; LangChain's typed messages;
 * LlamaIndex's `blocks`; OpenTelemetry GenAI's `parts`. Every string of the
 * message ends up in a part.
 */
import { isRecord } from '../attributes';
import { contentParts } from './content';
import { dspyParts } from './dspy';
import { applyAdditionalKwargs, unwrapMessage } from './langchain';
import { toolCallsOf } from './openai';
import { toolCall, toolResult } from './parts';
import { leftovers, missing, resultText } from './strings';
import { IChatMessage, IMessagePart, ITextPart, RoleKind } from './types';

// A Map: a role such as `constructor` must not find an Object property.
const ROLE_NAMES = new Map<string, RoleKind>([
  ['user', 'user'],
  ['human', 'user'],
  ['assistant', 'assistant'],
  ['ai', 'assistant'],
  ['model', 'assistant'],
  ['system', 'system'],
  ['developer', 'system'],
  ['tool', 'tool'],
  ['function', 'tool'],
  ['ipython', 'tool']
]);

/** The kind of a role name; `other` for a name no format uses. */
export function roleKindOf(role: string): RoleKind {
  return ROLE_NAMES.get(role) ?? 'other';
}

const MESSAGE_KEYS = [
  'role',
  'content',
  'parts',
  'blocks',
  'tool_calls',
  'tool_call_id',
  'reasoning_content',
  'additional_kwargs',
  'name',
  'function_call',
  'data',
  'kwargs',
  'lc',
  'audio'
];

/** A tool message's content as one text (the parts' text, or the raw value). */
function resultOf(parts: IMessagePart[], content: unknown): string {
  if (parts.length > 0 && parts.every(p => p.kind === 'text')) {
    return parts.map(p => (p as ITextPart).text).join('\n');
  }
  return resultText(content);
}

/** One message, or null when the value has no role; `dspy` reads sections. */
export function readMessage(
  value: unknown,
  dspy: boolean
): IChatMessage | null {
  const unwrapped = unwrapMessage(value);
  if (unwrapped === null) {
    return null;
  }
  const { message, role } = unwrapped;
  const parts: IMessagePart[] = [];
  if (
    typeof message.reasoning_content === 'string' &&
    message.reasoning_content !== ''
  ) {
    parts.push({ kind: 'reasoning', text: message.reasoning_content });
  }
  // The content is the first of these that is set; the others are read after it
  const contentKey =
    (['content', 'parts'] as const).find(
      key => message[key] !== undefined && message[key] !== null
    ) ?? 'blocks';
  const content = message[contentKey];
  const dspyText =
    dspy && typeof content === 'string' ? dspyParts(content) : null;
  const body = dspyText ?? contentParts(content);
  const kind = roleKindOf(role);
  if (typeof message.tool_call_id === 'string') {
    // A tool's answer: its whole content is the result of that call.
    parts.push(
      toolResult(message.tool_call_id, message.name, resultOf(body, content))
    );
  } else {
    parts.push(...body);
    for (const key of ['parts', 'blocks']) {
      if (key !== contentKey && message[key] !== undefined) {
        parts.push(...contentParts(message[key]));
      }
    }
  }
  parts.push(...toolCallsOf(message.tool_calls));
  const kwargsRest = applyAdditionalKwargs(message, parts);
  const fnCall = message.function_call;
  if (isRecord(fnCall)) {
    parts.push(toolCall(undefined, fnCall.name, fnCall.arguments));
  }
  parts.push(...kwargsRest, ...leftovers(message, MESSAGE_KEYS));
  if (
    kind === 'tool' &&
    typeof message.tool_call_id !== 'string' &&
    typeof message.name === 'string'
  ) {
    parts.unshift({ kind: 'text', heading: 'tool', text: message.name });
  }
  const kept = parts.filter(
    p => !(p.kind === 'text' && p.text === '' && p.heading === undefined)
  );
  kept.push(...missing(message, kept));
  return { role, roleKind: kind, parts: kept };
}

/** A list of messages, or null when it is empty or one item has no role. */
export function readMessages(
  list: unknown,
  dspy: boolean
): IChatMessage[] | null {
  if (!Array.isArray(list) || list.length === 0) {
    return null;
  }
  const messages: IChatMessage[] = [];
  for (const item of list) {
    const message = readMessage(item, dspy);
    if (message === null) {
      return null;
    }
    messages.push(message);
  }
  return messages;
}
