/**
 * The package's main entry, for Node (tslab notebooks and scripts): the
 * tslab helper (configure, trace, withSpan, show, flush, SpanType, and the
 * queries: searchTraces, setTag, logFeedback, deleteTraces, compare), the
 * trace model, the tracking-server client and the bundle's MIME types.
 */
export * from './bundle/mimetypes';
export * from './trace/wire';
export * from './kernel';
