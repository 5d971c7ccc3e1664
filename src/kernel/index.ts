/**
 * The tslab helper (Node only): configure the tracking server, trace code
 * with OpenTelemetry, show each trace under the cell that made it, and
 * search, tag, label (feedback, expectations, overrides), delete, compare
 * and summarize traces.
 */
import { installAutoDisplay } from './display';
import {
  configure as configureSession,
  IConfiguration,
  IConfigureOptions
} from './session';

export {
  encodeAttributeValue,
  ITokenUsage,
  SpanAttributeKey,
  SpanType,
  SpanTypeName
} from './attributes';
export {
  buildDisplayContent,
  compare,
  displayTimings,
  getLastTraceId,
  IDisplayTiming,
  show,
  TraceRef,
  traceRefId
} from './display';
export { buildListContent } from './listdisplay';
export {
  AssessmentSourceInput,
  deleteAssessment,
  IAssessmentOptions,
  IOverrideOptions,
  IUpdateOptions,
  logExpectation,
  logFeedback,
  overrideFeedback,
  reviewer,
  updateAssessment
} from './assessments';
export {
  deleteTag,
  // MLflow's client names them so too
  deleteTag as deleteTraceTag,
  deleteTraces,
  DeleteTracesOptions,
  ISearchTracesOptions,
  searchTraces,
  setTag,
  setTag as setTraceTag
} from './queries';
export {
  isTraceSearchResults,
  ITraceQuery,
  ITraceResult,
  toTraceResult,
  TracePager,
  TraceSearchResults
} from './results';
export {
  GRACE_MS,
  ILateSpans,
  IRootEnded,
  ITraceBatchOptions,
  mlflowTraceId,
  TraceBatchProcessor
} from './processor';
export {
  currentConfig,
  DEFAULT_MAX_TRACES_PER_CELL,
  flush,
  getLiveProcessor,
  getSpanProcessor,
  getTracer,
  IConfiguration,
  IConfigureOptions
} from './session';
export { ISessionOptions, searchSession } from './sessionsearch';
export { ILiveTrace, LiveSpanProcessor } from './liveprocessor';
export { computeSummary, ISummarizeOptions, summarize } from './summary';
export { check } from './summarycheck';
export {
  IBudgets,
  IBudgetsJson,
  IViolationJson,
  SpanBudget,
  violations
} from '../trace/budgets';
export { ISpanOptions, MlflowSpan, trace, withSpan } from './tracing';

// Hook the kernel as soon as the helper is imported, so that the cells after
// the importing one hold their reply until their traces are displayed.
installAutoDisplay();

/**
 * Connects to the MLflow tracking server and turns auto-display on (unless
 * `autoDisplay: false`). See IConfigureOptions for the environment defaults.
 */
export async function configure(
  options: IConfigureOptions = {}
): Promise<IConfiguration> {
  installAutoDisplay();
  return configureSession(options);
}
