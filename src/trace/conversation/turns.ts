/**
 * Turns that are not a plain list of messages: a system prompt given apart
 * (Anthropic, Bedrock, OpenAI Responses' `instructions`, Gemini's system
 * instruction), OpenAI Responses items, and Gemini `contents`.
 */
import { isRecord } from '../attributes';
import { contentParts, knownPart } from './content';
import { readMessage, roleKindOf } from './message';
import { leftovers, missing } from './strings';
import { IChatMessage } from './types';

/** A system prompt given apart from the messages (Anthropic, Bedrock). */
export function systemMessage(system: unknown): IChatMessage[] {
  if (system === undefined || system === null) {
    return [];
  }
  const parts = contentParts(system);
  parts.push(...missing({ system }, parts));
  return parts.length > 0
    ? [{ role: 'system', roleKind: 'system', parts }]
    : [];
}

/**
 * OpenAI Responses items (input or output) as messages; a string item (the
 * user's text) only when `strings`, the span being known to be a model call.
 */
export function responsesItems(
  items: unknown[],
  strings: boolean
): IChatMessage[] | null {
  const messages: IChatMessage[] = [];
  for (const item of items) {
    if (typeof item === 'string' && strings) {
      messages.push({
        role: 'user',
        roleKind: 'user',
        parts: [{ kind: 'text', text: item }]
      });
      continue;
    }
    if (!isRecord(item)) {
      return null;
    }
    const message = readMessage(item, false);
    if (message !== null) {
      messages.push(message);
      continue;
    }
    const known = knownPart(item);
    if (known === null) {
      return null;
    }
    const role = item.type === 'function_call_output' ? 'tool' : 'assistant';
    const parts = [...known.parts, ...leftovers(item, known.used)];
    parts.push(...missing(item, parts));
    const last = messages[messages.length - 1];
    if (role === 'assistant' && last?.roleKind === 'assistant') {
      last.parts.push(...parts);
    } else {
      messages.push({ role, roleKind: roleKindOf(role), parts });
    }
  }
  return messages.length > 0 ? messages : null;
}

/** Gemini `contents`: a string, a part, a content, or a list of them. */
export function geminiContents(contents: unknown): IChatMessage[] | null {
  const list = Array.isArray(contents) ? contents : [contents];
  const messages: IChatMessage[] = [];
  for (const item of list) {
    if (isRecord(item) && Array.isArray(item.parts)) {
      const role = typeof item.role === 'string' ? item.role : 'user';
      const parts = [
        ...contentParts(item.parts),
        ...leftovers(item, ['role', 'parts'])
      ];
      parts.push(...missing({ ...item, role: undefined }, parts));
      messages.push({ role, roleKind: roleKindOf(role), parts });
    } else if (typeof item === 'string' || isRecord(item)) {
      // A bare part or string: a turn of the user's, joined to the one before.
      const parts = contentParts(item);
      parts.push(...missing({ item }, parts));
      const last = messages[messages.length - 1];
      if (last?.role === 'user') {
        last.parts.push(...parts);
      } else {
        messages.push({ role: 'user', roleKind: 'user', parts });
      }
    } else {
      return null;
    }
  }
  return messages.length > 0 ? messages : null;
}
