/**
 * Rebuilding a trace from a newer snapshot of itself (a live trace updated
 * in place) while keeping the parsed span objects of the span dicts that did
 * not change, so views memoized on a span skip the spans that did not change.
 */
import { ISpan, parseSpan } from './span';
import { buildTrace, ITrace, SpanParser } from './tree';
import { ITraceWarning } from './warnings';
import { ITraceInfoV3 } from './wire';

/** Parsed spans of one build, by the JSON text of their span dict. */
export type SpanCache = ReadonlyMap<string, ISpan>;

/** A built trace and the cache its next rebuild reuses. */
export interface IRebuiltTrace {
  trace: ITrace;
  cache: SpanCache;
}

function jsonOf(raw: unknown): string | undefined {
  try {
    return JSON.stringify(raw);
  } catch {
    return undefined;
  }
}

/**
 * {@link buildTrace}, reusing each span object of `previous` whose span dict
 * is equal (same JSON text) to one of `rawSpans`.
 *
 * #### Notes
 * Only spans parsed without a warning are kept for reuse: a warning may name
 * the span's position, which can move. Each kept span serves one dict per
 * build, so two equal dicts never share an object; a build that renames a
 * repeated span id keeps nothing. The nodes are always new.
 */
export function rebuildTrace(
  info: ITraceInfoV3 | undefined,
  rawSpans: unknown,
  previous: SpanCache | undefined
): IRebuiltTrace {
  const cache = new Map<string, ISpan>();
  const parse: SpanParser = (raw, index, warnings: ITraceWarning[]) => {
    const json = jsonOf(raw);
    const reused = json === undefined ? undefined : previous?.get(json);
    if (reused && !cache.has(json!)) {
      reused.index = index;
      cache.set(json!, reused);
      return reused;
    }
    const own: ITraceWarning[] = [];
    const span = parseSpan(raw, index, own);
    warnings.push(...own);
    if (span && json !== undefined && own.length === 0 && !cache.has(json)) {
      cache.set(json, span);
    }
    return span;
  };
  const trace = buildTrace(info, rawSpans, parse);
  // Renaming a repeated id changed a span object: nothing is kept then.
  const renamed = trace.warnings.some(w => w.kind === 'duplicate-id');
  return { trace, cache: renamed ? new Map() : cache };
}
