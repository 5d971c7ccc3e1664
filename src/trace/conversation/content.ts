/**
 * A message's content (a string, one item, or a list of items, nested lists
 * flattened) read into parts, each item by the reader of its `type` or, when
 * untyped, of the key holding it. Strings under keys no reader read become
 * text parts.
 */
import { isRecord } from '../attributes';
import { ANTHROPIC_TYPES } from './anthropic';
import { BEDROCK_KEYS } from './bedrock';
import { GEMINI_KEYS, isThoughtText } from './gemini';
import { LLAMAINDEX_TYPES } from './llamaindex';
import { OPENAI_TYPES } from './openai';
import { OTEL_TYPES } from './otel';
import {
  IKnownPart,
  Item,
  KeyReader,
  one,
  reasoningPart,
  textItem,
  textPart,
  TypeReader
} from './parts';
import { leftovers } from './strings';
import { IMessagePart } from './types';

/** Readers of items by `type` (LlamaIndex: `block_type`), tried in this order. */
const BY_TYPE = new Map<string, TypeReader[]>();
for (const table of [
  { text: textItem },
  OPENAI_TYPES,
  ANTHROPIC_TYPES,
  LLAMAINDEX_TYPES,
  OTEL_TYPES
]) {
  for (const [type, read] of Object.entries(table)) {
    BY_TYPE.set(type, [...(BY_TYPE.get(type) ?? []), read]);
  }
}

/** Readers of untyped items by the key holding them, tried in this order. */
const BY_KEY: KeyReader[] = [...GEMINI_KEYS, ...BEDROCK_KEYS];

/** The parts of one content item, whatever format wrote it, and the keys it read. */
export function knownPart(item: Item): IKnownPart | null {
  if (isThoughtText(item)) {
    return one(reasoningPart(item.text as string), 'text', 'thought');
  }
  const type = item.type ?? item.block_type;
  const readers = typeof type === 'string' ? BY_TYPE.get(type) : undefined;
  for (const read of readers ?? []) {
    const typed = read(item);
    if (typed) {
      return typed;
    }
  }
  for (const [keys, readValue] of BY_KEY) {
    const key = keys.find(k => isRecord(item[k]));
    if (key !== undefined) {
      return { parts: readValue(item[key] as Item), used: keys };
    }
  }
  return typeof item.text === 'string'
    ? one(textPart(item.text), 'text')
    : null;
}

/** The parts of a message's content: a string, one item, or a list of items. */
export function contentParts(content: unknown): IMessagePart[] {
  if (content === null || content === undefined) {
    return [];
  }
  if (typeof content === 'string') {
    return content === '' ? [] : [textPart(content)];
  }
  const parts: IMessagePart[] = [];
  // Items still to read, the next on top; a nested list is opened in place.
  const stack: unknown[] = Array.isArray(content)
    ? [...content].reverse()
    : [content];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (item !== '') {
        parts.push(textPart(item));
      }
    } else if (isRecord(item)) {
      const known = knownPart(item);
      if (known) {
        parts.push(...known.parts, ...leftovers(item, known.used));
      } else {
        parts.push(...leftovers(item, []));
      }
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
      }
    } else if (item !== null && item !== undefined) {
      parts.push(textPart(String(item)));
    }
  }
  return parts;
}
