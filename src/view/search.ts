/**
 * Search within a trace: which spans match a query in their name, type or
 * attribute values (inputs and outputs included). Pure.
 *
 * #### Notes
 * Attribute values are searched as the trace stores them, JSON text, so a
 * first keystroke on a 100k-span trace decodes nothing. The query is tried
 * as typed and in the JSON escapings a writer may have used (`\"`, `\\`,
 * `\u00e9`), so text with quotes or accents is still found.
 */
import { ISpan, ITrace } from '../trace';

const haystackCache = new WeakMap<ISpan, string>();
// The explorer asks twice per keystroke (to reveal, then to render)
const lastSearch = new WeakMap<ITrace, { needle: string; matches: string[] }>();

/** Lower-cased text a span is searched in, built once per span. */
function haystack(span: ISpan): string {
  let text = haystackCache.get(span);
  if (text === undefined) {
    text =
      `${span.name}\n${span.spanType}\n${span.attributeText}`.toLowerCase();
    haystackCache.set(span, text);
  }
  return text;
}

/** The needle inside a JSON string, as JSON.stringify writes it. */
function jsonEscaped(needle: string): string {
  return JSON.stringify(needle).slice(1, -1);
}

/** The same, with every non-ASCII character as `\uxxxx` (Python's default). */
function asciiEscaped(needle: string): string {
  return jsonEscaped(needle).replace(
    /[^\x20-\x7e]/g,
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  );
}

/** Span ids matching `query` (case-insensitive), in row (pre-order) order. */
export function searchTrace(trace: ITrace, query: string): string[] {
  const needle = query.trim().toLowerCase();
  if (!needle) {
    return [];
  }
  const last = lastSearch.get(trace);
  if (last?.needle === needle) {
    return last.matches;
  }
  const needles = [
    ...new Set([needle, jsonEscaped(needle), asciiEscaped(needle)])
  ];
  const matches: string[] = [];
  for (const node of trace.nodesInOrder) {
    const text = haystack(node.span);
    if (needles.some(form => text.includes(form))) {
      matches.push(node.span.spanId);
    }
  }
  lastSearch.set(trace, { needle, matches });
  return matches;
}
