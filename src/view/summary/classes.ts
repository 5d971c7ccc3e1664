/**
 * CSS class names of the trace-summary view, `jp-MlflowTraceSummary-*`
 * (style/summary.css). Trace text never becomes a class name: only these.
 */
export const SUMMARY_CSS = {
  root: 'jp-MlflowTraceSummary',
  header: 'jp-MlflowTraceSummary-header',
  query: 'jp-MlflowTraceSummary-query',
  filter: 'jp-MlflowTraceSummary-filter',
  totals: 'jp-MlflowTraceSummary-totals',
  source: 'jp-MlflowTraceSummary-source',
  readout: 'jp-MlflowTraceSummary-readout',
  chart: 'jp-MlflowTraceSummary-chart',
  chartTitle: 'jp-MlflowTraceSummary-chartTitle',
  legend: 'jp-MlflowTraceSummary-legend',
  swatch: 'jp-MlflowTraceSummary-swatch',
  axis: 'jp-MlflowTraceSummary-axis',
  activeBand: 'jp-MlflowTraceSummary-activeBand',
  hit: 'jp-MlflowTraceSummary-hit',
  bar: 'jp-MlflowTraceSummary-bar',
  errorBar: 'jp-MlflowTraceSummary-errorBar',
  rateLine: 'jp-MlflowTraceSummary-rateLine',
  line: 'jp-MlflowTraceSummary-line',
  dot: 'jp-MlflowTraceSummary-dot',
  pickable: 'jp-mod-pickable',
  overBudget: 'jp-MlflowTraceSummary-overBudget',
  budgetLine: 'jp-MlflowTraceSummary-budgetLine',
  budgetLabel: 'jp-MlflowTraceSummary-budgetLabel',
  brokenBand: 'jp-MlflowTraceSummary-brokenBand',
  brokenMark: 'jp-MlflowTraceSummary-brokenMark',
  note: 'jp-MlflowTraceSummary-note',
  section: 'jp-MlflowTraceSummary-section',
  sectionTitle: 'jp-MlflowTraceSummary-sectionTitle',
  smallCharts: 'jp-MlflowTraceSummary-smallCharts',
  table: 'jp-MlflowTraceSummary-table',
  number: 'jp-MlflowTraceSummary-number',
  shareBar: 'jp-MlflowTraceSummary-shareBar',
  shareTrack: 'jp-MlflowTraceSummary-shareTrack',
  shareFill: 'jp-MlflowTraceSummary-shareFill',
  rowButton: 'jp-MlflowTraceSummary-rowButton',
  broken: 'jp-mod-broken',
  noValue: 'jp-mod-noValue',
  drill: 'jp-MlflowTraceSummary-drill',
  drillHeader: 'jp-MlflowTraceSummary-drillHeader'
} as const;

/** The class of one series (a percentile or a token kind); keys are ours, never trace text. */
export function seriesClass(key: string): string {
  return `jp-MlflowTraceSummary-series-${key}`;
}

/** How many segment colours style/summary.css defines (the contract's most segments). */
export const SEGMENT_COLOURS = 12;

/** The series key of the segment at `index` (its position, never its value). */
export function segmentSeries(index: number): string {
  return `segment${index % SEGMENT_COLOURS}`;
}
