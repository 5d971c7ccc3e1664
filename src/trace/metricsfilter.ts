/**
 * A search_traces filter as QueryTraceMetrics filters, where it has that
 * form. Pure; the twin of the Python package's `_summary_filter.py`, with
 * the same rules and the same reasons.
 *
 * #### Notes
 * `search_traces` reads `tags.version = 'v2' AND metadata.segment = 'pro'`;
 * QueryTraceMetrics takes a list of single `=` clauses in its own syntax
 * (`trace.tag.version = 'v2'`, `trace.metadata.segment = 'pro'`,
 * `trace.status = 'ERROR'`), ANDed. A conjunction of `=` comparisons on tags,
 * metadata and the status translates; anything else does not, and the
 * summary is computed over search results instead.
 */
import { pyRepr } from './aggregate';

/** The QueryTraceMetrics filters of a search filter, or why there are none. */
export type MetricsFilterTranslation =
  { filters: string[] } | { filters: null; reason: string };

const PREFIXES: Record<string, 'tag' | 'metadata'> = {
  tags: 'tag',
  tag: 'tag',
  metadata: 'metadata',
  request_metadata: 'metadata'
};
const STATUS_PREFIXES = new Set(['', 'attributes', 'attribute', 'trace']);
// `key` or a bare key; then the operator; then a quoted value without its own quote inside
const CLAUSE =
  /^(?:([A-Za-z_]+)\.)?(?:`([^`]+)`|([\p{L}\p{N}_.-]+))\s*(!=|<>|<=|>=|=|<|>|[A-Za-z]+(?:\s+[A-Za-z]+)?)\s*(?:'([^']*)'|"([^"]*)")$/u;
const JOIN = /^\s+(and|or)\s+/i;
const SAFE_KEY = /^[A-Za-z0-9_.-]+$/;
const WORD = /^[\p{L}\p{N}_]+$/u;

/**
 * The clauses of `a AND b AND c`, split outside quotes; or why not (an OR
 * joins clauses, a quote is left open).
 */
function splitAnd(text: string): string[] | string {
  const clauses: string[] = [];
  let start = 0;
  let quote: string | null = null;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (quote !== null) {
      quote = char === quote ? null : quote;
    } else if (char === "'" || char === '"' || char === '`') {
      quote = char;
    } else if (/\s/.test(char)) {
      const join = JOIN.exec(text.slice(i));
      if (join) {
        if (join[1].toLowerCase() === 'or') {
          return "QueryTraceMetrics takes only AND of '=' comparisons, not OR";
        }
        clauses.push(text.slice(start, i));
        start = i = i + join[0].length;
        continue;
      }
    }
    i += 1;
  }
  if (quote !== null) {
    return `QueryTraceMetrics cannot take a filter whose ${quote} quote is left open`;
  }
  clauses.push(text.slice(start));
  return clauses;
}

/** One `=` comparison as a QueryTraceMetrics filter, or the reason it has none. */
function translateClause(
  text: string
): { filter: string } | { reason: string } {
  const found = CLAUSE.exec(text);
  if (!found) {
    return { reason: `QueryTraceMetrics cannot take ${pyRepr(text)}` };
  }
  const [, rawPrefix, quoted, bare, op, single, double] = found;
  if (op !== '=') {
    return {
      reason: `QueryTraceMetrics takes only '=', not ${pyRepr(op)} in ${pyRepr(text)}`
    };
  }
  const value = single ?? double;
  if (value.includes("'") || value.includes('\\')) {
    return {
      reason: `QueryTraceMetrics cannot take the quoted value in ${pyRepr(text)}`
    };
  }
  const prefix = (rawPrefix ?? '').toLowerCase();
  const key = quoted ?? bare;
  if (STATUS_PREFIXES.has(prefix) && key.toLowerCase() === 'status') {
    return { filter: `trace.status = '${value}'` };
  }
  if (Object.prototype.hasOwnProperty.call(PREFIXES, prefix)) {
    if (!SAFE_KEY.test(key)) {
      return {
        reason: `QueryTraceMetrics cannot take the key in ${pyRepr(text)}`
      };
    }
    const name = WORD.test(key) ? key : `\`${key}\``;
    return { filter: `trace.${PREFIXES[prefix]}.${name} = '${value}'` };
  }
  return {
    reason: `QueryTraceMetrics filters only tags, metadata and status, not ${pyRepr(text)}`
  };
}

/** QueryTraceMetrics filters for `filter` (search_traces syntax), or why it has none. */
export function translateMetricsFilter(
  filter: string | null | undefined
): MetricsFilterTranslation {
  if (filter === null || filter === undefined || filter.trim() === '') {
    return { filters: [] };
  }
  const clauses = splitAnd(filter.trim());
  if (typeof clauses === 'string') {
    return { filters: null, reason: clauses };
  }
  const filters: string[] = [];
  for (const clause of clauses) {
    const translated = translateClause(clause);
    if ('reason' in translated) {
      return { filters: null, reason: translated.reason };
    }
    filters.push(translated.filter);
  }
  return { filters };
}
