/**
 * The display content of a trace search: the trace-list bundle and its
 * static text/html and text/plain tables, in one display message.
 */
import {
  encodeTraceListBundle,
  renderTraceListHtml,
  renderTraceListText,
  TRACE_LIST_MIME_TYPE
} from '../bundle';
import { TraceSearchResults } from './results';
import { IDisplayContent } from './tslab';

/** The display content of a result list, and the bundle's size. */
export function buildListContent(
  results: TraceSearchResults,
  options: { trackingUri?: string; maxBytes?: number } = {}
): { content: IDisplayContent; bundleBytes: number; warnings: string[] } {
  const { bundle, sizeBytes, warnings } = encodeTraceListBundle(
    {
      experimentIds: results.query.experimentIds,
      filter: results.query.filter,
      orderBy: results.query.orderBy,
      maxResults: results.query.maxResults,
      sessionId: results.query.sessionId,
      traces: results.map(row => row.info),
      nextPageToken: results.nextPageToken
    },
    {
      trackingUri: options.trackingUri ?? results.trackingUri,
      maxBytes: options.maxBytes
    }
  );
  return {
    content: {
      data: {
        [TRACE_LIST_MIME_TYPE]: bundle,
        'text/html': renderTraceListHtml(bundle),
        'text/plain': renderTraceListText(bundle)
      },
      metadata: {},
      transient: {}
    },
    bundleBytes: sizeBytes,
    warnings
  };
}
