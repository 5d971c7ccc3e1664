/**
 * The package's main entry, for Node (tslab notebooks and scripts): the trace
 * model, the tracking-server client and the bundle's MIME types.
 */
export * from './bundle/mimetypes';
export * from './trace/wire';
