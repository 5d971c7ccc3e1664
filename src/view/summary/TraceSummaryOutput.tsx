/**
 * Everything a trace-summary output shows: the query, the totals and how
 * they were computed; the bundle's problems; the active bucket's figures;
 * the charts, as wide as the output (the whole query's, the segments',
 * quality's); where time and cost go; the broken budgets; and, below, what
 * the host shows for a picked bucket or span row (the traces behind it).
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
import { QualityCharts } from './QualityCharts';
import { SegmentCharts } from './SegmentCharts';
import { bucketReadout } from './series';
import { ISpanPick, SpanTables } from './SpanTable';
import { SummaryCharts } from './SummaryCharts';
import { ViolationTable } from './ViolationTable';

/** What the user picked to see the traces behind: a bucket or a span row. */
export type SummaryPick =
  { kind: 'bucket'; index: number } | ({ kind: 'span' } & ISpanPick);

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
  /** Pick a bucket or a span row; none: nothing is pickable. */
  onPick?: (pick: SummaryPick) => void;
  /** What the host shows under the summary (the picked traces). */
  below?: React.ReactNode;
}

const FALLBACK_WIDTH_PX = 640;

/** Which path computed the figures, in words. */
export function sourceText(summary: IQuerySummary): string {
  switch (summary.source) {
    case 'server':
      return (
        'Computed by the tracking server (QueryTraceMetrics)' +
        (summary.sourceNote ? `: ${summary.sourceNote}` : '.')
      );
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
  onActive,
  onPick
}: {
  summary: IQuerySummary;
  active: number | null;
  onActive: (index: number | null) => void;
  onPick?: (pick: SummaryPick) => void;
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
  const shown =
    active !== null && bucketLabels[active] !== undefined
      ? bucketReadout(summary, active, bucketLabels[active])
      : undefined;
  const pickBucket = useMemo(
    () =>
      onPick ? (index: number) => onPick({ kind: 'bucket', index }) : undefined,
    [onPick]
  );
  const pickSpan = useMemo(
    () =>
      onPick
        ? (pick: ISpanPick) => onPick({ kind: 'span', ...pick })
        : undefined,
    [onPick]
  );
  const chartProps = {
    summary,
    series,
    widthPx,
    tickLabel,
    bucketLabels,
    active,
    onActive,
    onPick: pickBucket
  };
  return (
    <div ref={ref}>
      <div className={SUMMARY_CSS.readout} role="status" aria-live="polite">
        {shown
          ? shown.map((line, i) => <div key={i}>{line}</div>)
          : buckets.length
            ? 'Point at a bucket, or Tab to the charts and use the arrow keys, to read its figures' +
              (onPick ? '; click it or press Enter to list its traces.' : '.')
            : 'The range holds no bucket.'}
      </div>
      {buckets.length > 0 && (
        <>
          <SummaryCharts {...chartProps} />
          <SegmentCharts {...chartProps} />
          <QualityCharts {...chartProps} />
        </>
      )}
      <SpanTables summary={summary} onPick={pickSpan} />
      <ViolationTable summary={summary} />
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
          onPick={props.onPick}
        />
      )}
      {props.below}
    </div>
  );
}
