/**
 * Search within a trace: which spans match a query in their name, type,
 * inputs, outputs or attribute values. Pure.
 */
import { ISpan, ITrace } from '../trace';

const haystackCache = new WeakMap<ISpan, string>();

/** Lower-cased text a span is searched in, built once per span. */
function haystack(span: ISpan): string {
  let text = haystackCache.get(span);
  if (text === undefined) {
    const parts = [
      span.name,
      span.spanType,
      stringify(span.inputs),
      stringify(span.outputs)
    ];
    for (const value of Object.values(span.attributes)) {
      parts.push(stringify(value));
    }
    text = parts.join('\n').toLowerCase();
    haystackCache.set(span, text);
  }
  return text;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value === undefined || value === null) {
    return '';
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Span ids matching `query` (case-insensitive), in row (pre-order) order. */
export function searchTrace(trace: ITrace, query: string): string[] {
  const needle = query.trim().toLowerCase();
  if (!needle) {
    return [];
  }
  const matches: string[] = [];
  for (const node of trace.nodesInOrder) {
    if (haystack(node.span).includes(needle)) {
      matches.push(node.span.spanId);
    }
  }
  return matches;
}
