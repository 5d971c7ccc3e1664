/**
 * The strings of a message: walked without recursion, turned into text, and
 * checked against what its parts show (the net behind "no string is lost").
 */
import { isRecord } from '../attributes';
import { valueText } from '../format';
import { IMessagePart, ITextPart } from './types';

/** Keys whose strings are metadata, not message content. */
export const METADATA_KEYS: ReadonlySet<string> = new Set([
  'type',
  'block_type',
  'id',
  'signature',
  'cache_control',
  'annotations',
  'index',
  'status',
  'response_metadata',
  'usage_metadata',
  'logprobs',
  'finish_reason',
  'finishReason',
  'refusal',
  'example',
  'invalid_tool_calls',
  'thoughtSignature',
  'thought_signature',
  'media_type',
  'mime_type',
  'mimeType',
  'image_mimetype',
  'detail',
  'format',
  'model',
  'stop_reason',
  'stop_sequence',
  'usage'
]);

/** Every string under a value (iterative, never throws on depth). */
export function stringsIn(value: unknown, skipMetadata: boolean): string[] {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      out.push(item);
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
      }
    } else if (isRecord(item)) {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        if (!(skipMetadata && METADATA_KEYS.has(entries[i][0]))) {
          stack.push(entries[i][1]);
        }
      }
    }
  }
  return out;
}

/** Text of a tool result's content: strings joined, records as JSON. */
export function resultText(value: unknown): string {
  if (Array.isArray(value)) {
    return value
      .map(item =>
        isRecord(item) && typeof item.text === 'string'
          ? item.text
          : isRecord(item) && 'json' in item
            ? valueText(item.json)
            : valueText(item)
      )
      .join('\n');
  }
  return valueText(value);
}

/** Text parts for the strings of `record` under keys not in `used`. */
export function leftovers(
  record: Record<string, unknown>,
  used: readonly string[]
): ITextPart[] {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!used.includes(key) && !METADATA_KEYS.has(key)) {
      rest[key] = value;
    }
  }
  return stringsIn(rest, true)
    .filter(text => text !== '')
    .map(text => ({ kind: 'text', text }));
}

/** The strings a part shows (a DSPy section with its marker, as written). */
function partStrings(part: IMessagePart): string[] {
  switch (part.kind) {
    case 'text':
      return [
        part.heading !== undefined
          ? `[[ ## ${part.heading} ## ]]${part.text}`
          : part.text
      ];
    case 'image':
      return [part.url];
    case 'reasoning':
    case 'note':
      return [part.text];
    case 'toolCall':
      return [part.id ?? '', part.name, part.arguments];
    case 'toolResult':
      return [part.callId ?? '', part.name ?? '', part.text];
  }
}

/**
 * Text parts for the strings of a message that no part shows: the safety
 * net behind the invariant in index.ts's header. A string counts as shown
 * when a part holds it, as written or JSON-escaped (tool arguments are JSON).
 */
export function missing(
  message: Record<string, unknown>,
  parts: IMessagePart[]
): ITextPart[] {
  const shown = parts.flatMap(partStrings);
  const joined = shown.join('');
  const found = (text: string): boolean => {
    if (joined.includes(text)) {
      return true;
    }
    const escaped = JSON.stringify(text).slice(1, -1);
    return shown.some(s => s.includes(text) || s.includes(escaped));
  };
  const rest: Record<string, unknown> = { ...message };
  delete rest.role;
  const out: ITextPart[] = [];
  for (const text of stringsIn(rest, true)) {
    if (text !== '' && !found(text)) {
      out.push({ kind: 'text', text });
      shown.push(text);
    }
  }
  return out;
}
