/**
 * CSS class names of the trace view, `jp-MlflowTrace-*` (style/base.css).
 */
export const CSS = {
  root: 'jp-MlflowTrace',
  header: 'jp-MlflowTrace-header',
  title: 'jp-MlflowTrace-title',
  facts: 'jp-MlflowTrace-facts',
  fact: 'jp-MlflowTrace-fact',
  tag: 'jp-MlflowTrace-tag',
  toolbar: 'jp-MlflowTrace-toolbar',
  button: 'jp-MlflowTrace-button',
  search: 'jp-MlflowTrace-search',
  searchCount: 'jp-MlflowTrace-searchCount',
  body: 'jp-MlflowTrace-body',
  rowsPane: 'jp-MlflowTrace-rowsPane',
  axis: 'jp-MlflowTrace-axis',
  axisSpacer: 'jp-MlflowTrace-axisSpacer',
  scroller: 'jp-MlflowTrace-scroller',
  row: 'jp-MlflowTrace-row',
  cell: 'jp-MlflowTrace-treeCell',
  toggle: 'jp-MlflowTrace-toggle',
  typeBadge: 'jp-MlflowTrace-typeBadge',
  spanName: 'jp-MlflowTrace-spanName',
  duration: 'jp-MlflowTrace-duration',
  spanLlm: 'jp-MlflowTrace-spanLlm',
  errorBadge: 'jp-MlflowTrace-errorBadge',
  failedBelowBadge: 'jp-MlflowTrace-failedBelowBadge',
  barCell: 'jp-MlflowTrace-barCell',
  bar: 'jp-MlflowTrace-bar',
  tooltip: 'jp-MlflowTrace-tooltip',
  details: 'jp-MlflowTrace-details',
  /** The heading of the details column and of the assessments pane. */
  detailsTitle: 'jp-MlflowTrace-detailsTitle',
  section: 'jp-MlflowTrace-section',
  json: 'jp-MlflowTrace-json',
  attributes: 'jp-MlflowTrace-attributes',
  attributeKey: 'jp-MlflowTrace-attributeKey',
  attributeValue: 'jp-MlflowTrace-attributeValue',
  chat: 'jp-MlflowTrace-chat',
  message: 'jp-MlflowTrace-message',
  documents: 'jp-MlflowTrace-documents',
  event: 'jp-MlflowTrace-event',
  stack: 'jp-MlflowTrace-stack',
  switcher: 'jp-MlflowTrace-switcher',
  notice: 'jp-MlflowTrace-notice',
  resize: 'jp-MlflowTrace-resize',
  liveStatus: 'jp-MlflowTrace-liveStatus',
  liveBadge: 'jp-MlflowTrace-liveBadge',
  /** A running span (row, bar) or a running trace's header line. */
  modRunning: 'jp-MlflowTrace-mod-running',
  /** An open span of an interrupted trace, drawn up to the interruption. */
  modCutOff: 'jp-MlflowTrace-mod-cutOff',
  /** An open span of a trace that stopped updating: no end known. */
  modStalled: 'jp-MlflowTrace-mod-stalled',
  modSelected: 'jp-mod-selected',
  modActive: 'jp-mod-active',
  modMatch: 'jp-mod-match',
  modCurrent: 'jp-mod-current',
  modError: 'jp-mod-error',
  modWarning: 'jp-mod-warning'
} as const;

/** Classes of the assessments pane (style/assessments.css). */
export const ASSESSMENT_CSS = {
  pane: 'jp-MlflowTrace-assessments',
  /** The column the pane shares with the span details. */
  side: 'jp-MlflowTrace-sideColumn',
  title: 'jp-MlflowTrace-assessmentsTitle',
  section: 'jp-MlflowTrace-assessmentSection',
  heading: 'jp-MlflowTrace-assessmentHeading',
  group: 'jp-MlflowTrace-assessmentGroup',
  value: 'jp-MlflowTrace-assessmentValue',
  count: 'jp-MlflowTrace-assessmentCount',
  card: 'jp-MlflowTrace-assessment',
  source: 'jp-MlflowTrace-assessmentSource',
  rationale: 'jp-MlflowTrace-assessmentRationale',
  error: 'jp-MlflowTrace-assessmentError',
  history: 'jp-MlflowTrace-assessmentHistory',
  form: 'jp-MlflowTrace-assessmentForm',
  field: 'jp-MlflowTrace-assessmentField',
  problem: 'jp-MlflowTrace-assessmentProblem',
  pending: 'jp-MlflowTrace-pendingWrite',
  actions: 'jp-MlflowTrace-assessmentActions',
  marker: 'jp-MlflowTrace-assessedMarker',
  summary: 'jp-MlflowTrace-assessmentSummary',
  tagRow: 'jp-MlflowTrace-tagRow',
  /** A superseded assessment, or one of a history. */
  modSuperseded: 'jp-mod-superseded',
  modUnsaved: 'jp-mod-unsaved'
} as const;

/** The class that colours a span type (unknown types share one colour). */
export function typeClass(category: string): string {
  return `jp-MlflowTrace-type-${category}`;
}
