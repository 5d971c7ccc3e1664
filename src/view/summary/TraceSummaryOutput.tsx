/**
 * Everything a trace-summary output shows: the query, the totals and how
 * they were computed; the bundle's problems; the active bucket's figures;
 * and the three charts, as wide as the output.
 */
import React, { useCallback, useMemo, useRef } from 'react';
import {
  bucketText,
  figuresText,
  formatIntervalSeconds,
  formatUtcMs,
  formatUtcTickMs,
  IQuerySummary,
  summarySeries
} from '../../trace';
import { useElementWidth } from '../useElementWidth';
import { ErrorList, outputProblemsHeadline, WarningList } from '../WarningList';
import { SUMMARY_CSS } from './classes';
import { SummaryCharts } from './SummaryCharts';

/** Props of {@link TraceSummaryOutput}. */
export interface ITraceSummaryOutputProps {
  /** null when the bundle has nothing to draw (`errors` says why). */
  summary: IQuerySummary | null;
  /** Problems that lose data, each naming its field. */
  errors: readonly string[];
  /** Problems that were worked around. */
  warnings: readonly string[];
  /** The bucket whose figures are read out; null for none. */
  active: number | null;
  onActive: (index: number | null) => void;
}

const FALLBACK_WIDTH_PX = 640;

/** Which path computed the figures, in words. */
export function sourceText(summary: IQuerySummary): string {
  switch (summary.source) {
    case 'server':
      return 'Computed by the tracking server (QueryTraceMetrics).';
    case 'search':
      return (
        'Computed over search results' +
        (summary.sourceNote ? `: ${summary.sourceNote}` : '.')
      );
    default:
      return 'Computed by an unknown path.';
  }
}

function SummaryHeader({
  summary
}: {
  summary: IQuerySummary;
}): React.ReactElement {
  const { query } = summary;
  const ids = query.experimentIds;
  return (
    <div className={SUMMARY_CSS.header}>
      <div className={SUMMARY_CSS.query}>
        {ids.length === 1 ? 'Experiment ' : 'Experiments '}
        {ids.join(', ')}
        {query.filter !== undefined && query.filter !== '' && (
          <>
            {', matching '}
            <code className={SUMMARY_CSS.filter}>{query.filter}</code>
          </>
        )}
        {`, ${formatUtcMs(query.startTimeMs)} to ${formatUtcMs(query.endTimeMs)}`}
        {`, every ${formatIntervalSeconds(query.intervalSeconds)}`}
      </div>
      <div className={SUMMARY_CSS.totals}>
        Over the range: {figuresText(summary.totals)}
      </div>
      <div className={SUMMARY_CSS.source}>{sourceText(summary)}</div>
    </div>
  );
}

function SummaryBody({
  summary,
  active,
  onActive
}: {
  summary: IQuerySummary;
  active: number | null;
  onActive: (index: number | null) => void;
}): React.ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  const widthPx = useElementWidth(ref, FALLBACK_WIDTH_PX);
  const series = useMemo(() => summarySeries(summary), [summary]);
  const { buckets, query } = summary;
  const bucketLabels = useMemo(
    () => buckets.map(b => bucketText(b, query.intervalSeconds)),
    [buckets, query.intervalSeconds]
  );
  const tickLabel = useCallback(
    (index: number) => {
      const start = buckets[index]?.startTimeMs;
      return typeof start === 'number'
        ? formatUtcTickMs(start, query.intervalSeconds)
        : '–';
    },
    [buckets, query.intervalSeconds]
  );
  const shown = active !== null ? bucketLabels[active] : undefined;
  return (
    <div ref={ref}>
      <div className={SUMMARY_CSS.readout} role="status" aria-live="polite">
        {shown ??
          (buckets.length
            ? 'Point at a bucket, or Tab to the charts and use the arrow keys, to read its figures.'
            : 'The range holds no bucket.')}
      </div>
      {buckets.length > 0 && (
        <SummaryCharts
          summary={summary}
          series={series}
          widthPx={widthPx}
          tickLabel={tickLabel}
          bucketLabels={bucketLabels}
          active={active}
          onActive={onActive}
        />
      )}
    </div>
  );
}

/** The content of a trace-summary output. */
export function TraceSummaryOutput(
  props: ITraceSummaryOutputProps
): React.ReactElement {
  const { summary } = props;
  return (
    <div className={SUMMARY_CSS.root}>
      {summary && <SummaryHeader summary={summary} />}
      <ErrorList errors={props.errors} />
      <WarningList
        warnings={props.warnings}
        headline={outputProblemsHeadline(props.warnings.length)}
      />
      {summary && (
        <SummaryBody
          summary={summary}
          active={props.active}
          onActive={props.onActive}
        />
      )}
    </div>
  );
}
