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
 *
 * Prefixes and attribute keys match exactly, as MLflow 3.17.2's
 * search_traces does (`TAGS.x` and `attributes.STATUS` are errors there).
 * Whatever its prefix, search_traces reads some keys, in any case, as
 * something else (`SearchTraceUtils._replace_key_to_tag_or_metadata`):
 * `tags.name` is the trace name, `metadata.run_id` the source run. Those two
 * translate to the tag and metadata QueryTraceMetrics reads the same way;
 * `prompt`, `text`, `timestamp`, `execution_time` and `end_time` do not
 * translate. Whitespace is only space, tab, CR and LF, as in the Python twin.
 */
import { pyRepr } from './format';

const has = (record: object, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(record, key);

/** The QueryTraceMetrics filters of a search filter, or why there are none. */
export type MetricsFilterTranslation =
  { filters: string[] } | { filters: null; reason: string };

const PREFIXES: Record<string, 'tag' | 'metadata'> = {
  tags: 'tag',
  tag: 'tag',
  metadata: 'metadata',
  request_metadata: 'metadata'
};
const ATTRIBUTE_PREFIXES = new Set(['', 'attributes', 'attribute', 'trace']);
/** Keys search_traces reads as another one, whatever the prefix and case. */
const ALIASES: Record<string, string> = {
  name: 'trace.tag.`mlflow.traceName`',
  run_id: 'trace.metadata.`mlflow.sourceRun`'
};
const UNTRANSLATABLE_ALIASES: Record<string, string> = {
  prompt: 'the linked prompts',
  text: "the spans' content",
  timestamp: 'timestamp_ms',
  execution_time: 'execution_time_ms',
  end_time: 'end_time_ms'
};
// `key` or a bare key, its parts starting with a letter (sqlparse reads
// tags.a.9 and tags.1e5 as numbers); then the operator; then a quoted value without its own quote inside
const CLAUSE =
  /^(?:([A-Za-z_]+)\.)?(?:`([^`]+)`|([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*))[ \t\r\n]*(!=|<>|<=|>=|=|<|>|[A-Za-z]+(?:[ \t\r\n]+[A-Za-z]+)?)[ \t\r\n]*(?:'([^']*)'|"([^"]*)")$/;
const JOIN = /^[ \t\r\n]+(and|or)[ \t\r\n]+/i;
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const SAFE_KEY = /^[A-Za-z0-9_.-]+$/;
const WORD = /^[A-Za-z_]\w*$/;
// words sqlparse (0.6.1) reads as SQL even after a dot: tags.from, tags.a.in
const SQL_WORDS = new Set(['as', 'case', 'from', 'in', 'using', 'values']);

const sqlWord = (key: string): boolean =>
  key.split('.').some(part => SQL_WORDS.has(part.toLowerCase()));

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
    } else if (WHITESPACE.has(char)) {
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
  if (!found || (found[3] !== undefined && sqlWord(found[3]))) {
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
  const prefix = rawPrefix ?? '';
  const key = quoted ?? bare;
  // search_traces takes an attribute key only as written, a tag or metadata key in any case
  const isAttribute = ATTRIBUTE_PREFIXES.has(prefix);
  const alias = isAttribute ? key : key.toLowerCase();
  if (isAttribute || has(PREFIXES, prefix)) {
    if (has(ALIASES, alias)) {
      return { filter: `${ALIASES[alias]} = '${value}'` };
    }
    if (has(UNTRANSLATABLE_ALIASES, alias)) {
      return {
        reason:
          `QueryTraceMetrics cannot take the key ${pyRepr(key)} in ${pyRepr(text)}: ` +
          `search_traces reads it as ${UNTRANSLATABLE_ALIASES[alias]}`
      };
    }
  }
  if (isAttribute && key === 'status') {
    return { filter: `trace.status = '${value}'` };
  }
  if (has(PREFIXES, prefix)) {
    if (!SAFE_KEY.test(key)) {
      return {
        reason: `QueryTraceMetrics cannot take the key in ${pyRepr(text)}`
      };
    }
    const name = WORD.test(key) && !sqlWord(key) ? key : `\`${key}\``;
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
  const text = (filter ?? '').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (text === '') {
    return { filters: [] };
  }
  const clauses = splitAnd(text);
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

/**
 * The QueryTraceMetrics filter `{entity}.{key} = 'value'` (entity
 * `trace.tag`, `trace.metadata` or `span`), or null where its syntax cannot
 * say it (an odd key, a quote or backslash in the value).
 */
export function equalsFilter(
  entity: string,
  key: string,
  value: string
): string | null {
  if (value.includes("'") || value.includes('\\') || !SAFE_KEY.test(key)) {
    return null;
  }
  const name = WORD.test(key) && !sqlWord(key) ? key : `\`${key}\``;
  return `${entity}.${name} = '${value}'`;
}
