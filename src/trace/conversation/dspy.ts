/**
 * DSPy's prompts and completions: text in `[[ ## field ## ]]` sections, read
 * as text parts headed by their field.
 */
import { isRecord } from '../attributes';
import { IChatMessage, ITextPart } from './types';

/** Whether a text holds a DSPy section marker. */
export const DSPY_MARKER = /\[\[ ## [^\]\n]+? ## \]\]/;

/** DSPy's `[[ ## field ## ]]` sections as headed text parts. */
export function dspyParts(text: string): ITextPart[] | null {
  const marker = /\[\[ ## ([^\]\n]+?) ## \]\]/g;
  const matches = [...text.matchAll(marker)];
  if (matches.length === 0) {
    return null;
  }
  const parts: ITextPart[] = [];
  // Untrimmed, so the parts put back together give the text again.
  const before = text.slice(0, matches[0].index);
  if (before !== '') {
    parts.push({ kind: 'text', text: before });
  }
  matches.forEach((match, i) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = i + 1 < matches.length ? matches[i + 1].index : text.length;
    parts.push({
      kind: 'text',
      heading: match[1],
      text: text.slice(start, end)
    });
  });
  return parts;
}

/** DSPy completions: a list of strings with `[[ ## field ## ]]` sections. */
export function dspyCompletions(list: unknown[]): IChatMessage[] | null {
  if (!list.every(item => typeof item === 'string' || isRecord(item))) {
    return null;
  }
  const messages: IChatMessage[] = [];
  for (const item of list) {
    const text =
      typeof item === 'string'
        ? item
        : isRecord(item) && typeof item.text === 'string'
          ? item.text
          : null;
    if (text === null) {
      return null;
    }
    const parts = dspyParts(text);
    if (parts === null) {
      return null;
    }
    messages.push({ role: 'assistant', roleKind: 'assistant', parts });
  }
  return messages.length > 0 ? messages : null;
}
