/**
 * The content of a live trace output: the trace as recorded in this kernel
 * so far (spans in memory as MLflow span dicts), bounded in bytes, with its
 * `live` object and the fallbacks.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  boundLiveSnapshot,
  DEFAULT_MAX_BYTES,
  IBundleTraceInput,
  IWireLive,
  LIVE_FALLBACK_ROWS,
  LIVE_UPDATE_EVERY_MS,
  TRACE_MIME_TYPE
} from '../bundle';
import { ISpanDict } from '../trace';
import { buildDisplayContent } from './displaycontent';
import { ILiveTrace } from './liveprocessor';
import { liveSpanDict, liveTraceInfo } from './livespans';
import { currentConfig } from './session';
import { IDisplayContent } from './tslab';

// Room for the kernel's own spans_omitted, added after the bound.
const OMITTED_RESERVE_BYTES = 32;

/** A span dict and its UTF-8 bytes as JSON. */
interface ISizedDict {
  dict: ISpanDict;
  bytes: number;
}

// An ended span never changes: converted and measured once.
const endedDicts = new WeakMap<ReadableSpan, ISizedDict>();

function sized(dict: ISpanDict): ISizedDict {
  return { dict, bytes: Buffer.byteLength(JSON.stringify(dict)) };
}

function sizedDictOf(span: ReadableSpan): ISizedDict {
  if (!span.ended) {
    return sized(liveSpanDict(span, true));
  }
  let entry = endedDicts.get(span);
  if (entry === undefined) {
    entry = sized(liveSpanDict(span, false));
    endedDicts.set(span, entry);
  }
  return entry;
}

function spanDictOf(span: ReadableSpan): ISpanDict {
  return sizedDictOf(span).dict;
}

/**
 * The spans of a snapshot of about `maxBytes`: the root, open spans and
 * their ancestors, then the newest ended spans that fit (in start order);
 * how many ended spans it leaves out, the ones let go of included; and
 * their bytes as JSON (a comma each).
 * Ended spans are measured once, so a snapshot costs what it keeps.
 */
function snapshotSpans(
  trace: ILiveTrace,
  maxBytes: number
): { spans: ISpanDict[]; omitted: number; bytes: number } {
  const kept = new Map<ReadableSpan, ISizedDict>();
  let total = 0;
  const keep = (span: ReadableSpan): void => {
    const entry = sizedDictOf(span);
    kept.set(span, entry);
    total += entry.bytes + 1;
  };
  for (const span of trace.spans.values()) {
    if (span.ended && span !== trace.root) {
      continue;
    }
    let at: ReadableSpan | undefined = span;
    while (at !== undefined && !kept.has(at)) {
      keep(at);
      const parent: string | undefined = at.parentSpanContext?.spanId;
      at = parent === undefined ? undefined : trace.spans.get(parent);
    }
  }
  for (let i = trace.ended.length - 1; i >= 0; i--) {
    const span = trace.ended[i];
    if (!kept.has(span)) {
      if (total + sizedDictOf(span).bytes + 1 > maxBytes) {
        break;
      }
      keep(span);
    }
  }
  let endedKept = 0;
  for (const span of trace.ended) {
    endedKept += kept.has(span) ? 1 : 0;
  }
  const spans: ISpanDict[] = [];
  for (const span of trace.spans.values()) {
    const entry = kept.get(span);
    if (entry !== undefined) {
      spans.push(entry.dict);
    }
  }
  return {
    spans,
    omitted: trace.ended.length - endedKept + trace.evicted,
    bytes: total
  };
}

/** The trace as this kernel recorded it so far: info and every span held. */
export function recordedTrace(
  trace: ILiveTrace
): Required<Pick<IBundleTraceInput, 'traceId' | 'info' | 'spans'>> {
  return {
    traceId: trace.traceId,
    info: liveTraceInfo(
      trace.root,
      currentConfig()?.experimentId,
      !trace.root.ended
    ),
    spans: Array.from(trace.spans.values(), spanDictOf)
  };
}

/** Spans of the trace not ended yet. */
export function openSpanCount(trace: ILiveTrace): number {
  let open = 0;
  for (const span of trace.spans.values()) {
    if (!span.ended) {
      open += 1;
    }
  }
  return open;
}

/** A built output and the bytes its message content takes. */
export interface IBuiltOutput {
  content: IDisplayContent;
  bytes: number;
  /** Of which other than the trace bundle: the fallbacks, mostly. */
  fallbackBytes: number;
}

/** Display content with display id `displayId` for `input`, bundle built with the config. */
function contentOf(
  input: IBundleTraceInput,
  displayId: string,
  maxRowsPerTrace?: number
): IBuiltOutput {
  const config = currentConfig();
  const built = buildDisplayContent([input], {
    trackingUri: config?.trackingUri,
    maxBytes: config?.maxBytes,
    embed: 'full',
    maxRowsPerTrace
  });
  built.content.transient = { display_id: displayId };
  // The message content as tslab sends it (JSON), from its parts: the
  // bundle's bytes are known, and stringifying it again is most of the cost.
  const { data } = built.content;
  const fallbackBytes =
    Buffer.byteLength(JSON.stringify(data['text/html'])) +
    Buffer.byteLength(JSON.stringify(data['text/plain']));
  const wrapper = JSON.stringify({
    ...built.content,
    data: { ...data, [TRACE_MIME_TYPE]: 0, 'text/html': 0, 'text/plain': 0 }
  });
  // Each 0 stands for a value measured above.
  const bytes =
    built.bundleBytes + fallbackBytes + Buffer.byteLength(wrapper) - 3;
  return {
    content: built.content,
    bytes,
    fallbackBytes: bytes - built.bundleBytes
  };
}

/**
 * The bounded snapshot of `trace` whose entry's JSON is at most `budget`
 * bytes; its `spans_omitted` also counts the ended spans this kernel no
 * longer holds.
 */
function snapshotInput(
  trace: ILiveTrace,
  live: IWireLive,
  budget: number
): IBundleTraceInput {
  // Running until the server's trace takes its place, even once the root ended.
  const info = liveTraceInfo(
    trace.root,
    currentConfig()?.experimentId,
    live.status === 'running' || !trace.root.ended
  );
  const head = Buffer.byteLength(
    JSON.stringify({ trace_id: trace.traceId, info, spans: [], live })
  );
  const bound = budget - OMITTED_RESERVE_BYTES;
  const { spans, omitted, bytes } = snapshotSpans(trace, bound - head);
  const input = { traceId: trace.traceId, info, spans, live: { ...live } };
  // When all fit, boundLiveSnapshot returns them as they are: skip its
  // measuring. Else it keeps the same spans, shortening long strings.
  const bounded =
    head + bytes <= bound ? input : boundLiveSnapshot(input, bound);
  if (omitted > 0) {
    bounded.live.spans_omitted = (bounded.live.spans_omitted ?? 0) + omitted;
  }
  return bounded;
}

// The fallbacks' bytes in a trace's last running update: the next
// snapshot leaves them room.
const fallbackBytes = new WeakMap<ILiveTrace, number>();

/**
 * A running update of `trace`: the whole display message (the bounded
 * snapshot with `live`, and the fallbacks) in at most `maxBytes`, unless
 * the root, the running spans and their ancestors alone take more.
 */
export function liveOutput(
  trace: ILiveTrace,
  live: IWireLive,
  displayId: string,
  maxBytes: number
): IBuiltOutput {
  let budget = maxBytes - (fallbackBytes.get(trace) ?? 0);
  let built: IBuiltOutput | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const input = snapshotInput(trace, live, budget);
    built = contentOf(input, displayId, LIVE_FALLBACK_ROWS);
    fallbackBytes.set(trace, built.fallbackBytes);
    if (built.bytes <= maxBytes) {
      break;
    }
    // Over by what the fallbacks grew: shrink the snapshot by that, and a little.
    budget -= built.bytes - maxBytes + 1024;
  }
  return built as IBuiltOutput;
}

/** The final output of a trace cut off at `atNs` (Unix ns), for `reason`. */
export function interruptedOutput(
  trace: ILiveTrace,
  sequence: number,
  displayId: string,
  atNs: number,
  reason: string | undefined
): IBuiltOutput {
  const live: IWireLive = {
    status: 'interrupted',
    updated_unix_ms: Date.now(),
    update_every_ms: LIVE_UPDATE_EVERY_MS,
    sequence,
    interrupted_at_unix_nano: atNs
  };
  if (reason) {
    live.reason = reason;
  }
  // Final and saved: bounded by the output's budget, as a final trace is.
  const maxBytes = currentConfig()?.maxBytes ?? DEFAULT_MAX_BYTES;
  return contentOf(snapshotInput(trace, live, maxBytes), displayId);
}

/** The trace as recorded, without `live`: the final output when the server cannot give it. */
export function recordedOutput(
  trace: ILiveTrace,
  displayId: string
): IBuiltOutput {
  return contentOf(recordedTrace(trace), displayId);
}
