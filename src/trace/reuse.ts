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

/** A parsed span, the span dict it was parsed from and the id the dict names. */
interface IParsed {
  id: string;
  raw: Readonly<Record<string, unknown>>;
  span: ISpan;
}

/** The parsed spans of one build, by their position in its input (none where not kept). */
export interface ISpanCache {
  readonly parsed: readonly (IParsed | undefined)[];
}

/** A built trace and the cache its next rebuild reuses. */
export interface IRebuiltTrace {
  trace: ITrace;
  cache: ISpanCache;
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
    const value = x[key];
    const other = y[key];
    // Most values are strings or numbers: compared here, without a call
    if (value === other && (value !== undefined || key in y)) {
      continue;
    }
    if (
      typeof value !== 'object' ||
      typeof other !== 'object' ||
      !jsonEqual(value, other, depth + 1)
    ) {
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
 * Finds the parsed span an earlier build made of the dict with a given id.
 *
 * #### Notes
 * A newer snapshot keeps the spans of the one before in order, perhaps
 * with a run of them left out (the byte bound): the dict at position i is
 * first looked for at i + offset, the offset of the last one found, and
 * only when another span is there, by id (a map built at the first such
 * miss). Nothing there (new spans come last) means parsing anew.
 */
class Finder {
  constructor(private readonly _previous: readonly (IParsed | undefined)[]) {
    this._used = new Uint8Array(_previous.length);
  }

  /** The unused earlier span of `id` whose dict equals `raw`, marked used. */
  take(id: string, index: number, raw: unknown): IParsed | undefined {
    let at = index + this._offset;
    const there = this._previous[at];
    if (there === undefined) {
      // Past the end (a new span) or not kept: parsed anew, never a wrong reuse
      return undefined;
    }
    if (there.id !== id) {
      at = this._positions().get(id) ?? -1;
      if (at < 0) {
        return undefined;
      }
      this._offset = at - index;
    }
    const found = this._previous[at]!;
    if (this._used[at] || !jsonEqual(found.raw, raw)) {
      return undefined;
    }
    this._used[at] = 1;
    return found;
  }

  private _positions(): Map<string, number> {
    if (!this._byId) {
      this._byId = new Map();
      this._previous.forEach((parsed, at) => {
        if (parsed && !this._byId!.has(parsed.id)) {
          this._byId!.set(parsed.id, at);
        }
      });
    }
    return this._byId;
  }

  private _offset = 0;
  private _used: Uint8Array;
  private _byId: Map<string, number> | undefined;
}

/**
 * {@link buildTrace}, reusing each span object of `previous` whose span dict
 * is equal to the one of `rawSpans` with the same span id.
 *
 * #### Notes
 * Linear in the spans' size, allocating little: equal strings compare
 * without copies, so an unchanged 1 MiB input costs one memory comparison.
 * Only spans parsed without a warning are kept for reuse (a warning may
 * name the span's position, which can move). An earlier span serves one
 * dict per build, so two dicts never share an object; a build that renames
 * a repeated span id keeps nothing. The nodes are always new.
 */
export function rebuildTrace(
  info: ITraceInfoV3 | undefined,
  rawSpans: unknown,
  previous: ISpanCache | undefined
): IRebuiltTrace {
  const parsed: (IParsed | undefined)[] = [];
  const finder = previous && new Finder(previous.parsed);
  const parse: SpanParser = (raw, index, warnings: ITraceWarning[]) => {
    const id = isRecord(raw) ? rawSpanId(raw) : undefined;
    if (id === undefined) {
      return parseSpan(raw, index, warnings);
    }
    const before = finder?.take(id, index, raw);
    if (before) {
      before.span.index = index;
      parsed[index] = before;
      return before.span;
    }
    const own: ITraceWarning[] = [];
    const span = parseSpan(raw, index, own);
    warnings.push(...own);
    if (span && own.length === 0) {
      parsed[index] = { id, raw: raw as Record<string, unknown>, span };
    }
    return span;
  };
  const trace = buildTrace(info, rawSpans, parse);
  // Renaming a repeated id changed a span object: nothing is kept then.
  const renamed = trace.warnings.some(w => w.kind === 'duplicate-id');
  return { trace, cache: { parsed: renamed ? [] : parsed } };
}
