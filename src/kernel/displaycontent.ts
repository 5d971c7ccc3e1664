/**
 * The content of a trace output: one display message carrying the trace
 * bundle and its text/html and text/plain fallbacks.
 */
import {
  encodeTraceBundle,
  IBundleTraceInput,
  renderTraceHtml,
  renderTraceText,
  TRACE_MIME_TYPE
} from '../bundle';
import { current, IActive } from './session';
import { DisplayWriter, IDisplayContent } from './tslab';

/** The display content for fetched traces, and the bundle's size. */
export function buildDisplayContent(
  traces: readonly IBundleTraceInput[],
  options: {
    trackingUri?: string;
    maxBytes?: number;
    embed?: 'full' | 'ids';
    compare?: boolean;
    /** Rows of the text/html fallback per trace (its default: 500). */
    maxRowsPerTrace?: number;
  }
): { content: IDisplayContent; bundleBytes: number; warnings: string[] } {
  const { bundle, sizeBytes, warnings } = encodeTraceBundle(traces, {
    trackingUri: options.trackingUri,
    maxBytes: options.maxBytes,
    embed: options.embed,
    compare: options.compare
  });
  const fallbackOptions = {
    trackingUri: options.trackingUri,
    maxRowsPerTrace: options.maxRowsPerTrace
  };
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

/** The traces as the server holds them now, with their info. */
export async function fetchTraces(
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

/** Sends display content (or, outside a kernel, its text line) and its warnings. */
export function emit(
  writer: DisplayWriter | null,
  content: IDisplayContent,
  warnings: readonly string[],
  update = false
): void {
  if (writer) {
    writer(content, update);
  } else {
    // Outside a kernel: the one-line summary on stdout.
    console.log(content.data['text/plain']);
  }
  for (const warning of warnings) {
    console.warn(`mlflow-traces: ${warning}`);
  }
}

/** Prints on stderr what could not be done, and why. */
export function report(error: unknown, what: string): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`mlflow-traces: could not ${what}: ${message}`);
}

/** The trace as the server holds it now, as display content with `displayId`. */
export async function traceContent(
  traceId: string,
  displayId: string
): Promise<{
  content: IDisplayContent;
  bundleBytes: number;
  warnings: string[];
}> {
  const session = await current();
  const traces = await fetchTraces(session, [traceId]);
  const built = buildDisplayContent(traces, {
    trackingUri: session.config.trackingUri,
    maxBytes: session.config.maxBytes,
    embed: session.config.embed
  });
  built.content.transient = { display_id: displayId };
  return built;
}
