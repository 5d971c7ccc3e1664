/**
 * Shortening of long strings in span dicts, for the output size budget.
 *
 * #### Notes
 * MLflow JSON-encodes attribute values, so a long value is usually a JSON
 * document in a string. Such a string is decoded, its inner strings are
 * shortened and it is re-encoded, so it stays valid JSON. Any other long
 * string is cut and ends with a visible marker.
 */
import { formatCount, holdsUnsafeInteger, isRecord, setOwn } from '../trace';
import { cutString } from './util';

/** Matches the marker that ends a shortened string. */
export const TRUNCATION_MARKER_RE = /… \[truncated [\d,]+ chars\]$/;

/** Nesting (objects, lists and JSON-in-string layers) beyond which values are kept as is. */
const MAX_DEPTH = 100;

/** The marker appended to a string that lost `removedChars` characters. */
export function truncationMarker(removedChars: number): string {
  return `… [truncated ${formatCount(removedChars)} chars]`;
}

interface IWalkState {
  maxChars: number;
  /** Strings shortened so far. */
  shortened: number;
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[' || first === '"';
}

function shortenString(text: string, depth: number, state: IWalkState): string {
  if (text.length <= state.maxChars) {
    return text;
  }
  // Re-encoding JSON that holds an integer beyond 2^53 would round it: such text is cut as text.
  if (depth < MAX_DEPTH && looksLikeJson(text) && !holdsUnsafeInteger(text)) {
    let decoded: unknown;
    let isJson = true;
    try {
      decoded = JSON.parse(text);
    } catch {
      isJson = false;
    }
    if (isJson) {
      const before = state.shortened;
      const inner = walk(decoded, depth + 1, state);
      return state.shortened === before ? text : JSON.stringify(inner);
    }
  }
  const kept = cutString(text, state.maxChars);
  state.shortened++;
  return kept + truncationMarker(text.length - kept.length);
}

function walk(value: unknown, depth: number, state: IWalkState): unknown {
  if (typeof value === 'string') {
    return shortenString(value, depth, state);
  }
  if (depth >= MAX_DEPTH) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(item => walk(item, depth + 1, state));
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      setOwn(out, key, walk(value[key], depth + 1, state));
    }
    return out;
  }
  return value;
}

/**
 * Copies span dicts with every string longer than `maxChars` shortened
 * (attributes, inputs, outputs, events and any other field); `shortened`
 * counts the strings cut. The input is not modified.
 *
 * #### Notes
 * A JSON-encoded value whose parts are each short enough is kept whole, so
 * a value can stay longer than `maxChars`; the encoder then drops spans.
 */
export function shortenSpans(
  spans: readonly unknown[],
  maxChars: number
): { spans: unknown[]; shortened: number } {
  const state: IWalkState = { maxChars, shortened: 0 };
  const out = spans.map(span => walk(span, 0, state));
  return { spans: out, shortened: state.shortened };
}
