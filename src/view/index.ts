/**
 * The trace views: React components fed by the trace model.
 */
export * from './TraceOutput';
export * from './TraceExplorer';
