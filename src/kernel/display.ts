/**
 * show() and compare(): trace outputs on request, the same bundle as
 * auto-display, for traces written by anything.
 */
import { installAutoDisplay } from './autodisplay';
import { buildDisplayContent, emit, fetchTraces } from './displaycontent';
import { buildListContent } from './listdisplay';
import { isTraceSearchResults, TraceSearchResults } from './results';
import { current, currentConfig } from './session';
import { ISessionOptions, searchSession } from './sessionsearch';
import {
  currentCellScope,
  currentDisplayWriter,
  holdCell,
  IDisplayContent
} from './tslab';

export {
  displayTimings,
  getLastTraceId,
  IDisplayTiming,
  installAutoDisplay
} from './autodisplay';
export { buildDisplayContent } from './displaycontent';

/** Something show() can display: an id, or an object carrying one. */
export type TraceRef =
  | string
  | { trace_id: string }
  | { traceId: string }
  | { info: { trace_id: string } }
  | { readonly traceId: string; readonly spanId: string };

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

/** True for `{ sessionId }`: show() reads that session, not a trace. */
function isSessionRequest(value: unknown): value is ISessionOptions {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'sessionId' in value
  );
}

/**
 * Fetches traces from the tracking server and displays them in one output,
 * the same bundle as auto-display. Works for traces written by anything.
 * Given searchTraces() results, displays them as a trace list (a table);
 * given `{ sessionId }`, that session's traces as a conversation.
 */
export async function show(
  refs: TraceRef | readonly TraceRef[] | TraceSearchResults | ISessionOptions
): Promise<void> {
  if (isTraceSearchResults(refs) || isSessionRequest(refs)) {
    const request = refs;
    const maxBytes = currentConfig()?.maxBytes;
    await display(async () => {
      const results = isTraceSearchResults(request)
        ? request
        : await searchSession(request);
      return buildListContent(results, { maxBytes });
    });
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
