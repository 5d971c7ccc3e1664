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
  dot: 'jp-MlflowTraceSummary-dot'
} as const;

/** The class of one series (a percentile or a token kind); keys are ours, never trace text. */
export function seriesClass(key: string): string {
  return `jp-MlflowTraceSummary-series-${key}`;
}
