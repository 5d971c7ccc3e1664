/**
 * The trace views: React components fed by the trace model.
 */
export * from './TraceOutput';
export * from './TraceExplorer';
export * from './list/CompareView';
export * from './list/listRows';
export * from './list/TraceListOutput';
export * from './session/SessionView';
export * from './session/sessionTurns';
export * from './summary/TraceSummaryOutput';
export * from './assessments/AssessmentsPane';
export * from './assessments/actions';
export type { IPaneOpen } from './assessments/useAssessmentsPane';
export * from './AttachmentView';
