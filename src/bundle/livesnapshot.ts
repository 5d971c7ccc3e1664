/**
 * The emitters' limits on live updates, and the bounded snapshot of a
 * running trace. The Python twin (`_live_snapshot.py`) makes the same
 * snapshot of the same input, byte for byte.
 */
import { isRecord } from '../trace';
import { MAX_STRING_FLOOR_CHARS, MAX_STRING_START_CHARS } from './encode';
import { shortenSpans } from './shorten';
import {
  IBundleTraceInput,
  ITraceBundleEntry,
  ITruncation,
  IWireLive
} from './types';
import { utf8ByteLength } from './util';

/** Shortest time between two updates of one output: at most 4 updates/s. */
export const LIVE_MIN_INTERVAL_MS = 250;

/** While a trace runs, an update is sent at least this often (the heartbeat). */
export const LIVE_UPDATE_EVERY_MS = 2000;

/** Largest live update's trace entry, in UTF-8 bytes of JSON (256 KiB). */
export const LIVE_MAX_SNAPSHOT_BYTES = 262144;

/** Bytes per second of live updates, averaged over each update and the wait after it. */
export const LIVE_MAX_BYTES_PER_S = 262144;

/**
 * Bytes of a Jupyter message besides its content (header, parent header,
 * metadata, HMAC signature, ZMQ frames), counted with each update's bytes:
 * about 0.5 KiB, rounded up.
 */
export const IOPUB_ENVELOPE_BYTES = 1024;

/** Rows of a running update's text/html fallback (read only if the kernel dies mid-cell). */
export const LIVE_FALLBACK_ROWS = 100;

/** A trace input that is live. */
export type LiveTraceInput = IBundleTraceInput & { live: IWireLive };

/**
 * How long to wait after sending an update of `bytes` before the next:
 * max(LIVE_MIN_INTERVAL_MS, bytes at LIVE_MAX_BYTES_PER_S).
 */
export function nextUpdateDelayMs(bytes: number): number {
  return Math.max(LIVE_MIN_INTERVAL_MS, (bytes / LIVE_MAX_BYTES_PER_S) * 1000);
}

/** The end time a snapshot orders ended spans by (NaN when unreadable). */
function endKey(value: unknown): number {
  if (typeof value === 'number') {
    return value;
  }
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
}

/** True for a span dict still running: its end is null, absent or 0. */
export function isRunningSpanDict(span: unknown): boolean {
  if (!isRecord(span)) {
    return false;
  }
  const end = span.end_time_unix_nano;
  return end === null || end === undefined || endKey(end) === 0;
}

/** A non-empty string id, or null. */
function idOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Which spans a snapshot always keeps: roots, running spans and their ancestors. */
function requiredSpans(spans: readonly unknown[]): boolean[] {
  const indexById = new Map<string, number>();
  spans.forEach((span, i) => {
    const id = isRecord(span) ? idOf(span.span_id) : null;
    if (id !== null && !indexById.has(id)) {
      indexById.set(id, i);
    }
  });
  const required = spans.map(
    span => isRecord(span) && idOf(span.parent_span_id) === null
  );
  spans.forEach((span, i) => {
    if (!isRunningSpanDict(span)) {
      return;
    }
    // Stops at a span already kept: its own ancestors are (or will be) kept too
    let at: number | undefined = i;
    while (at !== undefined && !(required[at] && at !== i)) {
      required[at] = true;
      const parent = spans[at] as Record<string, unknown>;
      const parentId = idOf(parent.parent_span_id);
      at = parentId === null ? undefined : indexById.get(parentId);
    }
  });
  return required;
}

/** Ended spans, newest end first (ties: later in the list first; unreadable ends last). */
function newestEndedFirst(
  spans: readonly unknown[],
  required: readonly boolean[]
): number[] {
  const keys = spans.map(span => {
    const key = isRecord(span) ? endKey(span.end_time_unix_nano) : NaN;
    return Number.isNaN(key) ? -Infinity : key;
  });
  const ended: number[] = [];
  spans.forEach((_, i) => {
    if (!required[i]) {
      ended.push(i);
    }
  });
  return ended.sort((a, b) =>
    keys[a] !== keys[b] ? (keys[a] < keys[b] ? 1 : -1) : b - a
  );
}

/** The longest string value anywhere in a span dict, in UTF-16 code units. */
function longestString(span: unknown): number {
  let longest = 0;
  const pending = [span];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      longest = Math.max(longest, value.length);
    } else if (Array.isArray(value) || isRecord(value)) {
      // a loop, not push(...items): a huge list would overflow the stack
      for (const item of Object.values(value)) {
        pending.push(item);
      }
    }
  }
  return longest;
}

/** The raw spans' sizes and longest strings, measured once for every step of the ladder. */
class RawSpans {
  private readonly _bytes = new Map<number, number>();
  private readonly _longest = new Map<number, number>();

  constructor(readonly spans: readonly unknown[]) {}

  bytes(i: number): number {
    let bytes = this._bytes.get(i);
    if (bytes === undefined) {
      bytes = utf8ByteLength(JSON.stringify(this.spans[i]) ?? 'null');
      this._bytes.set(i, bytes);
    }
    return bytes;
  }

  longest(i: number): number {
    let longest = this._longest.get(i);
    if (longest === undefined) {
      longest = longestString(this.spans[i]);
      this._longest.set(i, longest);
    }
    return longest;
  }
}

/** Spans as one step of the ladder writes them, shortened at `maxChars` (none when null). */
class SpanSizes {
  readonly shortened = new Set<number>();
  private readonly _spans = new Map<number, unknown>();
  private readonly _bytes = new Map<number, number>();

  constructor(
    private readonly _raw: RawSpans,
    readonly maxChars: number | null
  ) {}

  get count(): number {
    return this._raw.spans.length;
  }

  span(i: number): unknown {
    return this._fits(i) ? this._raw.spans[i] : this._shorten(i).span;
  }

  bytes(i: number): number {
    return this._fits(i) ? this._raw.bytes(i) : this._shorten(i).bytes;
  }

  /** True when no string of span `i` is longer than `maxChars`: it is written as is. */
  private _fits(i: number): boolean {
    return this.maxChars === null || this._raw.longest(i) <= this.maxChars;
  }

  private _shorten(i: number): { span: unknown; bytes: number } {
    let bytes = this._bytes.get(i);
    if (bytes === undefined) {
      const result = shortenSpans([this._raw.spans[i]], this.maxChars ?? 0);
      if (result.shortened > 0) {
        this.shortened.add(i);
      }
      bytes = utf8ByteLength(JSON.stringify(result.spans[0]) ?? 'null');
      this._spans.set(i, result.spans[0]);
      this._bytes.set(i, bytes);
    }
    return { span: this._spans.get(i), bytes };
  }
}

/** UTF-8 bytes of the entry with no spans, as the encoder writes it. */
function headBytes(
  input: LiveTraceInput,
  truncated: ITruncation | undefined,
  live: IWireLive
): number {
  const entry: ITraceBundleEntry = { trace_id: input.traceId };
  if (input.info !== undefined) {
    entry.info = input.info;
  }
  entry.spans = [];
  if (truncated !== undefined) {
    entry.truncated = truncated;
  }
  entry.live = live;
  return utf8ByteLength(JSON.stringify(entry));
}

/** True when every span fits with the head in `maxBytes`. */
function allFit(sizes: SpanSizes, head: number, maxBytes: number): boolean {
  let total = head;
  for (let i = 0; i < sizes.count; i++) {
    // each span after the first adds a comma
    total += sizes.bytes(i) + (i > 0 ? 1 : 0);
    if (total > maxBytes) {
      return false;
    }
  }
  return total <= maxBytes;
}

/** The `max_string` values tried, as the encoder tries them: none, 65536 halved to 256. */
function ladder(): (number | null)[] {
  const steps: (number | null)[] = [null];
  for (let m = MAX_STRING_START_CHARS; ; m = Math.floor(m / 2)) {
    const step = Math.max(m, MAX_STRING_FLOOR_CHARS);
    steps.push(step);
    if (step === MAX_STRING_FLOOR_CHARS) {
      return steps;
    }
  }
}

function snapshot(
  input: LiveTraceInput,
  live: IWireLive,
  sizes: SpanSizes,
  kept: readonly number[]
): LiveTraceInput {
  const out: LiveTraceInput = { traceId: input.traceId, live };
  if (input.info !== undefined) {
    out.info = input.info;
  }
  if (input.spans !== undefined) {
    out.spans = kept.map(i => sizes.span(i));
  }
  if (sizes.maxChars !== null && kept.some(i => sizes.shortened.has(i))) {
    out.truncated = { max_string: sizes.maxChars };
  }
  return out;
}

/**
 * A live trace input whose entry, as the encoder writes it, fits in
 * `maxBytes` (LIVE_MAX_SNAPSHOT_BYTES by default) wherever that can be.
 *
 * #### Notes
 * All spans when they fit. Otherwise long strings are shortened first, as
 * the encoder does (`max_string` 65536 halved down to 256, the trace marked
 * `truncated`); if all spans still do not fit, the snapshot keeps every
 * root, every running span (end null) and its ancestors, then the ended
 * spans with the newest end while they fit, in their input order, and
 * `live.spans_omitted` says how many ended spans were left out. Running
 * spans and their ancestors are never left out, even over the bound.
 * Info is never shortened. Pass the smaller of this bound and the
 * output's budget, so the encoder does not shorten again.
 */
export function boundLiveSnapshot(
  input: LiveTraceInput,
  maxBytes: number = LIVE_MAX_SNAPSHOT_BYTES
): LiveTraceInput {
  const live: IWireLive = { ...input.live };
  delete live.spans_omitted;
  if (input.spans === undefined) {
    return snapshot(input, live, new SpanSizes(new RawSpans([]), null), []);
  }
  const raw = input.spans;
  const measured = new RawSpans(raw);
  const all = raw.map((_, i) => i);
  let sizes = new SpanSizes(measured, null);
  for (const maxChars of ladder()) {
    sizes = new SpanSizes(measured, maxChars);
    const truncated = maxChars === null ? undefined : { max_string: maxChars };
    if (allFit(sizes, headBytes(input, truncated, live), maxBytes)) {
      return snapshot(input, live, sizes, all);
    }
  }
  const required = requiredSpans(raw);
  const ended = newestEndedFirst(raw, required);
  // Room for the largest spans_omitted this snapshot can write
  const reserve = { ...live, spans_omitted: ended.length };
  const truncated = { max_string: sizes.maxChars as number };
  let total = headBytes(input, truncated, reserve);
  let count = 0;
  const add = (i: number) => {
    total += sizes.bytes(i) + (count > 0 ? 1 : 0);
    count++;
  };
  const keep = required.slice();
  all.forEach(i => keep[i] && add(i));
  let kept = 0;
  for (const i of ended) {
    if (total + sizes.bytes(i) + (count > 0 ? 1 : 0) > maxBytes) {
      break;
    }
    add(i);
    keep[i] = true;
    kept++;
  }
  if (ended.length > kept) {
    live.spans_omitted = ended.length - kept;
  }
  return snapshot(
    input,
    live,
    sizes,
    all.filter(i => keep[i])
  );
}
