/**
 * Rebuilding a trace from a newer snapshot of itself (a live trace updated
 * in place) while keeping the parsed span objects of the span dicts that did
 * not change, so views memoized on a span skip the spans that did not change.
 */
import { isRecord } from './attributes';
import { ISpan, parseSpan } from './span';
import { buildTrace, ITrace, SpanParser } from './tree';
import { ITraceWarning } from './warnings';
import { ITraceInfoV3 } from './wire';

/** A parsed span and the span dict it was parsed from. */
interface IParsed {
  raw: Readonly<Record<string, unknown>>;
  span: ISpan;
}

/** Parsed spans of one build, by the span id their dict names. */
export type SpanCache = ReadonlyMap<string, IParsed>;

/** A built trace and the cache its next rebuild reuses. */
export interface IRebuiltTrace {
  trace: ITrace;
  cache: SpanCache;
}

/** The span id as the dict writes it (before normalizing); undefined if none. */
function rawSpanId(raw: Record<string, unknown>): string | undefined {
  const context = isRecord(raw.context) ? raw.context : undefined;
  const id = raw.span_id ?? context?.span_id ?? raw.spanId;
  return typeof id === 'string' ? id : undefined;
}

// Deeper values are taken as changed: no reuse, never a wrong one
const MAX_DEPTH = 64;

/**
 * True when two JSON values are equal. Strings compare without copies;
 * values nested deeper than MAX_DEPTH count as different.
 */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) {
    return true;
  }
  if (
    depth > MAX_DEPTH ||
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    return false;
  }
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) {
      return false;
    }
    for (let i = 0; i < a.length; i++) {
      if (!jsonEqual(a[i], other[i], depth + 1)) {
        return false;
      }
    }
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const key in x) {
    keys++;
    if (!(key in y) || !jsonEqual(x[key], y[key], depth + 1)) {
      return false;
    }
  }
  for (const key in y) {
    keys--;
    void key;
  }
  return keys === 0;
}

/**
 * {@link buildTrace}, reusing each span object of `previous` whose span dict
 * is equal to the one of `rawSpans` with the same span id.
 *
 * #### Notes
 * Linear in the spans' size, without allocating: equal strings compare
 * without copies, so an unchanged 1 MiB input costs one memory comparison. Only spans parsed without a
 * warning are kept for reuse (a warning may name the span's position,
 * which can move). Each kept span serves one dict per build, so two dicts
 * never share an object; a build that renames a repeated span id keeps
 * nothing. The nodes are always new.
 */
export function rebuildTrace(
  info: ITraceInfoV3 | undefined,
  rawSpans: unknown,
  previous: SpanCache | undefined
): IRebuiltTrace {
  const cache = new Map<string, IParsed>();
  const parse: SpanParser = (raw, index, warnings: ITraceWarning[]) => {
    const id = isRecord(raw) ? rawSpanId(raw) : undefined;
    if (id === undefined || cache.has(id)) {
      return parseSpan(raw, index, warnings);
    }
    const before = previous?.get(id);
    if (before && jsonEqual(before.raw, raw)) {
      before.span.index = index;
      cache.set(id, before);
      return before.span;
    }
    const own: ITraceWarning[] = [];
    const span = parseSpan(raw, index, own);
    warnings.push(...own);
    if (span && own.length === 0) {
      cache.set(id, { raw: raw as Record<string, unknown>, span });
    }
    return span;
  };
  const trace = buildTrace(info, rawSpans, parse);
  // Renaming a repeated id changed a span object: nothing is kept then.
  const renamed = trace.warnings.some(w => w.kind === 'duplicate-id');
  return { trace, cache: renamed ? new Map() : cache };
}
