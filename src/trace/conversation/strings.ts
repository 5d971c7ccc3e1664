/**
 * The strings of a message: walked without recursion, turned into text, and
 * checked against what its parts show (the net behind "no string is lost").
 */
import { isRecord } from '../attributes';
import { valueText } from '../format';
import { Occurrences, quotedLiterals } from './substrings';
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

/** `JSON.stringify(text)` without its quotes: how JSON writes a string. */
function escaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

// Characters searched past the end of the string found before (separators).
const WINDOW = 64;
// Strings left after the quick checks that are searched one by one.
const DIRECT_MAX = 8;

/**
 * The strings of `texts` the quick checks cannot tell shown: not a part
 * string nor a JSON literal in one (as written or escaped), nor found in
 * `joined` just past the string found before it. Each check is sufficient.
 */
function unsure(texts: string[], shown: string[], joined: string): string[] {
  const known = new Set(shown);
  for (const s of shown) {
    for (const literal of quotedLiterals(s)) {
      known.add(literal);
    }
  }
  let cursor = 0;
  return texts.filter(text => {
    if (known.has(text) || known.has(escaped(text))) {
      return false;
    }
    const at = joined
      .slice(cursor, cursor + text.length + WINDOW)
      .indexOf(text);
    if (at >= 0) {
      cursor += at + text.length;
      return false;
    }
    return true;
  });
}

/** The missing ones of a few unsure strings, searched as the definition says. */
function missingDirect(
  texts: string[],
  shown: string[],
  joined: string
): string[] {
  const out: string[] = [];
  const seen = [...shown];
  for (const text of texts) {
    const escape = escaped(text);
    if (
      !joined.includes(text) &&
      !seen.some(s => s.includes(text) || s.includes(escape))
    ) {
      out.push(text);
      seen.push(text);
    }
  }
  return out;
}

/** The missing ones of many unsure strings, in one pass of an automaton. */
function missingByAutomaton(
  texts: string[],
  shown: string[],
  joined: string
): string[] {
  const found = new Occurrences(texts.flatMap(text => [text, escaped(text)]));
  const inJoined = new Uint8Array(found.size);
  const inOne = new Uint8Array(found.size);
  found.mark(joined, inJoined);
  for (const s of shown) {
    found.mark(s, inOne);
  }
  const out: string[] = [];
  texts.forEach((text, i) => {
    const [raw, escape] = [found.ends[2 * i], found.ends[2 * i + 1]];
    if (!inJoined[raw] && !inOne[raw] && !inOne[escape]) {
      out.push(text);
      found.mark(text, inOne);
    }
  });
  return out;
}

/**
 * Text parts for the strings of a message that no part shows: the safety
 * net behind the invariant in index.ts's header. A string counts as shown
 * when the parts' strings, joined, hold it, or one of them (or a string
 * added here before it) holds it as written or JSON-escaped (tool
 * arguments are JSON).
 *
 * #### Notes
 * Linear in the message and its parts: quick sufficient checks first
 * ({@link unsure}), then the definition itself for what is left, searched
 * directly when it is a few strings, else by {@link Occurrences}.
 */
export function missing(
  message: Record<string, unknown>,
  parts: IMessagePart[]
): ITextPart[] {
  const shown = parts.flatMap(partStrings);
  const joined = shown.join('');
  const rest: Record<string, unknown> = { ...message };
  delete rest.role;
  const texts = stringsIn(rest, true).filter(text => text !== '');
  const left = unsure(texts, shown, joined);
  const lost =
    left.length <= DIRECT_MAX
      ? missingDirect(left, shown, joined)
      : missingByAutomaton(left, shown, joined);
  return lost.map(text => ({ kind: 'text', text }));
}
