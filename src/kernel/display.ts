/**
 * Trace outputs: one display message carrying the trace bundle and its
 * text/html and text/plain fallbacks, for auto-display and show().
 */
import {
  encodeTraceBundle,
  IBundleTraceInput,
  renderTraceHtml,
  renderTraceText,
  TRACE_MIME_TYPE
} from '../bundle';
import { buildListContent } from './listdisplay';
import { IRootEnded } from './processor';
import { isTraceSearchResults, TraceSearchResults } from './results';
import {
  current,
  currentConfig,
  DEFAULT_MAX_TRACES_PER_CELL,
  IActive,
  onRootEnded
} from './session';
import {
  currentCellScope,
  currentDisplayWriter,
  DisplayWriter,
  holdCell,
  IDisplayContent,
  installCellHook
} from './tslab';

/** Something show() can display: an id, or an object carrying one. */
export type TraceRef =
  | string
  | { trace_id: string }
  | { traceId: string }
  | { info: { trace_id: string } }
  | { readonly traceId: string; readonly spanId: string };

/** What one display cost, for the latency report. */
export interface IDisplayTiming {
  traceId: string;
  /** From the root span's end to the display message being sent. */
  latencyMs: number;
  /** UTF-8 bytes of the embedded trace JSON. */
  bundleBytes: number;
}

const timings: IDisplayTiming[] = [];
const MAX_TIMINGS = 1000;

/** Timings of the auto-displays so far (newest last). */
export function displayTimings(): IDisplayTiming[] {
  return timings.slice();
}

/** The display content for fetched traces, and the bundle's size. */
export function buildDisplayContent(
  traces: readonly IBundleTraceInput[],
  options: {
    trackingUri?: string;
    maxBytes?: number;
    embed?: 'full' | 'ids';
    compare?: boolean;
  }
): { content: IDisplayContent; bundleBytes: number; warnings: string[] } {
  const { bundle, sizeBytes, warnings } = encodeTraceBundle(traces, {
    trackingUri: options.trackingUri,
    maxBytes: options.maxBytes,
    embed: options.embed,
    compare: options.compare
  });
  const fallbackOptions = { trackingUri: options.trackingUri };
  return {
    content: {
      data: {
        [TRACE_MIME_TYPE]: bundle,
        'text/html': renderTraceHtml(traces, fallbackOptions),
        'text/plain': renderTraceText(traces, fallbackOptions)
      },
      metadata: {},
      transient: {}
    },
    bundleBytes: sizeBytes,
    warnings
  };
}

async function fetchTraces(
  session: IActive,
  traceIds: readonly string[]
): Promise<IBundleTraceInput[]> {
  const raws = await session.client.getTraces(traceIds.slice());
  return raws.map((raw, i) => ({
    traceId: traceIds[i],
    info: raw.info,
    spans: raw.spans
  }));
}

function emit(
  writer: DisplayWriter | null,
  content: IDisplayContent,
  warnings: readonly string[]
): void {
  if (writer) {
    writer(content, false);
  } else {
    // Outside a kernel: the one-line summary on stdout.
    console.log(content.data['text/plain']);
  }
  for (const warning of warnings) {
    console.warn(`mlflow-traces: ${warning}`);
  }
}

function report(error: unknown, what: string): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`mlflow-traces: could not ${what}: ${message}`);
}

async function displayRoot(
  event: IRootEnded,
  writer: DisplayWriter | null,
  endedAtMs: number
): Promise<void> {
  try {
    await event.exported;
  } catch (error) {
    report(error, `send trace ${event.traceId} to the tracking server`);
    return;
  }
  try {
    const session = await current();
    const traces = await fetchTraces(session, [event.traceId]);
    const { content, bundleBytes, warnings } = buildDisplayContent(traces, {
      trackingUri: session.config.trackingUri,
      maxBytes: session.config.maxBytes,
      embed: session.config.embed
    });
    emit(writer, content, warnings);
    timings.push({
      traceId: event.traceId,
      latencyMs: performance.now() - endedAtMs,
      bundleBytes
    });
    if (timings.length > MAX_TIMINGS) {
      timings.shift();
    }
  } catch (error) {
    report(error, `display trace ${event.traceId}`);
  }
}

let lastTraceId: string | null = null;

/** The id of the trace whose root span ended last, or null. */
export function getLastTraceId(): string | null {
  return lastTraceId;
}

function onRoot(event: IRootEnded): void {
  const endedAtMs = performance.now();
  lastTraceId = event.traceId;
  const config = currentConfig();
  if (config !== null && !config.autoDisplay) {
    return;
  }
  const writer = currentDisplayWriter();
  if (writer === null) {
    return;
  }
  const scope = currentCellScope();
  const max = config?.maxTracesPerCell ?? DEFAULT_MAX_TRACES_PER_CELL;
  scope.displayed += 1;
  if (scope.displayed > max) {
    if (scope.displayed === max + 1) {
      console.log(
        `mlflow-traces: more than ${max} traces in this cell; ` +
          'use show() to display the others'
      );
    }
    return;
  }
  void holdCell(scope, displayRoot(event, writer, endedAtMs));
}

let installed = false;

/** Turns auto-display on: hooks the kernel and listens for root spans. */
export function installAutoDisplay(): void {
  if (installed) {
    return;
  }
  installed = true;
  installCellHook();
  onRootEnded(onRoot);
}

/** The trace id of a TraceRef; a TypeError for anything else. */
export function traceRefId(ref: TraceRef): string {
  if (typeof ref === 'string') {
    return ref;
  }
  if (ref && typeof ref === 'object') {
    const r = ref as Record<string, unknown>;
    if (typeof r.trace_id === 'string') {
      return r.trace_id;
    }
    if (typeof r.traceId === 'string') {
      return r.traceId;
    }
    const info = r.info as Record<string, unknown> | undefined;
    if (info && typeof info.trace_id === 'string') {
      return info.trace_id;
    }
  }
  throw new TypeError(
    'show() takes a trace id ("tr-…"), a trace, or a list of those'
  );
}

/** Sends the content `build` makes under the cell running now. */
async function display(
  build: () => Promise<{ content: IDisplayContent; warnings: string[] }>
): Promise<void> {
  installAutoDisplay();
  const writer = currentDisplayWriter();
  const scope = currentCellScope();
  const work = (async () => {
    const { content, warnings } = await build();
    emit(writer, content, warnings);
  })();
  await holdCell(scope, work);
}

/** Fetches traces and displays them in one trace bundle. */
async function displayTraces(ids: string[], compare: boolean): Promise<void> {
  await display(async () => {
    const session = await current();
    const traces = await fetchTraces(session, ids);
    return buildDisplayContent(traces, {
      trackingUri: session.config.trackingUri,
      maxBytes: session.config.maxBytes,
      embed: compare ? 'full' : session.config.embed,
      compare
    });
  });
}

/**
 * Fetches traces from the tracking server and displays them in one output,
 * the same bundle as auto-display. Works for traces written by anything.
 * Given searchTraces() results, displays them as a trace list (a table).
 */
export async function show(
  refs: TraceRef | readonly TraceRef[] | TraceSearchResults
): Promise<void> {
  if (isTraceSearchResults(refs)) {
    const results = refs;
    const maxBytes = currentConfig()?.maxBytes;
    await display(async () => buildListContent(results, { maxBytes }));
    return;
  }
  const list = Array.isArray(refs) ? refs : [refs as TraceRef];
  const ids = list.map(traceRefId);
  if (ids.length === 0) {
    throw new TypeError('show() needs at least one trace');
  }
  await displayTraces(ids, false);
}

/** Displays two traces side by side: one trace bundle with both embedded and `compare: true`. */
export async function compare(a: TraceRef, b: TraceRef): Promise<void> {
  await displayTraces([traceRefId(a), traceRefId(b)], true);
}
