/**
 * Encoder for `application/vnd.mlflow.trace+json`, with the output size
 * budget. Pure and deterministic: the same input gives the same bytes.
 */
import { BUNDLE_VERSION } from './mimetypes';
import { shortenSpans } from './shorten';
import { IBundleTraceInput, ITraceBundle, ITraceBundleEntry } from './types';
import { setTrackingUri, utf8ByteLength } from './util';

/** Default budget for the JSON payload: 4 MiB. */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/** The first `max_string` tried when the payload is over budget. */
export const MAX_STRING_START_CHARS = 65536;

/** The smallest `max_string` tried before spans are dropped. */
export const MAX_STRING_FLOOR_CHARS = 256;

/** Options of encodeTraceBundle. */
export interface IEncodeOptions {
  /** The tracking server's URL; kept only when it is http(s). */
  trackingUri?: string;
  /** Budget for the UTF-8 JSON payload (fallbacks not included). */
  maxBytes?: number;
  /** Always shorten strings longer than this, even within budget. */
  maxStringChars?: number;
  /** 'full' (default) embeds info and spans; 'ids' writes trace ids only. */
  embed?: 'full' | 'ids';
  /** Ask the renderer to show the traces side by side. */
  compare?: boolean;
}

/** What encodeTraceBundle returns. */
export interface IEncodeResult {
  bundle: ITraceBundle;
  /** UTF-8 bytes of `JSON.stringify(bundle)`. */
  sizeBytes: number;
  /** Problems worked around (an ignored URI, a budget that could not be met). */
  warnings: string[];
}

interface IAttempt {
  entries: ITraceBundleEntry[];
  entryBytes: number[];
}

function sizeOf(value: unknown): number {
  return utf8ByteLength(JSON.stringify(value));
}

function encodeEntry(
  trace: IBundleTraceInput,
  maxChars: number | null
): ITraceBundleEntry {
  const entry: ITraceBundleEntry = { trace_id: trace.traceId };
  if (trace.info !== undefined) {
    entry.info = trace.info;
  }
  if (trace.spans !== undefined) {
    if (maxChars === null) {
      entry.spans = trace.spans.slice();
    } else {
      const result = shortenSpans(trace.spans, maxChars);
      entry.spans = result.spans;
      if (result.shortened > 0) {
        entry.truncated = { max_string: maxChars };
      }
    }
  }
  // Spans the caller already shortened (a live snapshot) keep their mark
  if (trace.truncated !== undefined && entry.truncated === undefined) {
    entry.truncated = trace.truncated;
  }
  if (trace.live !== undefined) {
    entry.live = trace.live;
  }
  return entry;
}

function attempt(
  traces: readonly IBundleTraceInput[],
  maxChars: number | null
): IAttempt {
  const entries = traces.map(trace => encodeEntry(trace, maxChars));
  return { entries, entryBytes: entries.map(sizeOf) };
}

function total(headBytes: number, entryBytes: number[]): number {
  let sum = headBytes + Math.max(0, entryBytes.length - 1);
  for (const bytes of entryBytes) {
    sum += bytes;
  }
  return sum;
}

/** Replaces the largest entries' spans, then their info, until the budget is met. */
function dropUntilFits(
  fit: IAttempt,
  headBytes: number,
  maxBytes: number,
  maxChars: number
): void {
  const bySize = fit.entries
    .map((_, i) => i)
    .sort((a, b) => fit.entryBytes[b] - fit.entryBytes[a] || a - b);
  for (const field of ['spans', 'info'] as const) {
    for (const i of bySize) {
      if (total(headBytes, fit.entryBytes) <= maxBytes) {
        return;
      }
      const entry = fit.entries[i];
      if (entry[field] === undefined) {
        continue;
      }
      const lean: ITraceBundleEntry = { ...entry };
      delete lean[field];
      lean.truncated = { max_string: maxChars, spans_dropped: true };
      fit.entries[i] = lean;
      fit.entryBytes[i] = sizeOf(lean);
    }
  }
}

/**
 * Builds an `application/vnd.mlflow.trace+json` payload within a byte budget.
 *
 * #### Notes
 * Over budget, every string longer than `max_string` (65536, then halved
 * down to 256) is shortened in every trace's spans, and traces that lost
 * characters get `truncated: {max_string}`. If 256 is still too much, the
 * largest traces lose their spans, then their info, and get
 * `truncated: {max_string, spans_dropped: true}`: the renderer then fetches
 * them from the tracking server. Info is never shortened.
 */
export function encodeTraceBundle(
  traces: readonly IBundleTraceInput[],
  options: IEncodeOptions = {}
): IEncodeResult {
  const warnings: string[] = [];
  const bundle: ITraceBundle = { version: BUNDLE_VERSION, traces: [] };
  setTrackingUri(bundle, options.trackingUri, warnings);
  if (options.compare === true) {
    bundle.compare = true;
  }
  const headBytes = sizeOf(bundle);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let fit: IAttempt;
  if (options.embed === 'ids') {
    fit = attempt(
      traces.map(trace => ({ traceId: trace.traceId })),
      null
    );
  } else {
    const startChars =
      options.maxStringChars !== undefined && options.maxStringChars >= 1
        ? Math.floor(options.maxStringChars)
        : null;
    let maxChars = startChars;
    fit = attempt(traces, maxChars);
    const floorChars = Math.min(startChars ?? Infinity, MAX_STRING_FLOOR_CHARS);
    while (total(headBytes, fit.entryBytes) > maxBytes) {
      if (maxChars !== null && maxChars <= floorChars) {
        dropUntilFits(fit, headBytes, maxBytes, maxChars);
        break;
      }
      maxChars =
        maxChars === null || maxChars > MAX_STRING_START_CHARS
          ? MAX_STRING_START_CHARS
          : Math.max(floorChars, Math.floor(maxChars / 2));
      fit = attempt(traces, maxChars);
    }
  }
  bundle.traces = fit.entries;
  const sizeBytes = total(headBytes, fit.entryBytes);
  if (sizeBytes > maxBytes) {
    warnings.push(
      `the bundle is ${sizeBytes} bytes, over the ${maxBytes}-byte budget even with trace ids only`
    );
  }
  return { bundle, sizeBytes, warnings };
}
