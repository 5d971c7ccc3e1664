/**
 * What a trace output saves after a confirmed label: its payload with that
 * trace's info replaced, and its static fallbacks made again from it, so a
 * saved notebook shows the labels without a server.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import {
  ITraceBundle,
  renderTraceHtml,
  renderTraceText,
  TRACE_MIME_TYPE
} from '../bundle';
import { ITraceInfoV3 } from '../trace';

/** The data of an output, as its mime model holds it. */
export type Data = IRenderMime.IMimeModel['data'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The output's data with trace `traceId`'s info replaced in the bundle
 * (by `shown`, the info the output shows now, or else the bundle's own
 * with `apply`), and its text/html and text/plain made again from it, as
 * the kernel makes them. Undefined when there is nothing to save: a
 * Databricks bundle (not ours to rewrite), or a trace the bundle names by
 * id only (the server holds its labels; it is fetched whenever shown).
 */
export function withSavedInfo(
  data: Data,
  mimeType: string,
  traceId: string,
  shown: ITraceInfoV3 | undefined,
  apply: (info: ITraceInfoV3) => ITraceInfoV3
): Data | undefined {
  const bundle = data[mimeType];
  if (
    mimeType !== TRACE_MIME_TYPE ||
    !isRecord(bundle) ||
    !Array.isArray(bundle.traces)
  ) {
    return undefined;
  }
  let changed = false;
  const traces = bundle.traces.map(entry => {
    if (
      !isRecord(entry) ||
      entry.trace_id !== traceId ||
      !isRecord(entry.info)
    ) {
      return entry;
    }
    changed = true;
    return {
      ...entry,
      info: shown ?? apply(entry.info as unknown as ITraceInfoV3)
    };
  });
  if (!changed) {
    return undefined;
  }
  const next = { ...bundle, traces } as unknown as ITraceBundle;
  return {
    ...data,
    [mimeType]: next as unknown as Data[string],
    'text/html': renderTraceHtml(next),
    'text/plain': renderTraceText(next)
  };
}
