/**
 * Everything a trace-list output shows: the result table, and under it the
 * opened trace or the comparison of two picked traces.
 */
import React from 'react';
import { ITrace } from '../../trace';
import { CSS } from '../classes';
import { Notes } from '../Notes';
import { TraceExplorer } from '../TraceExplorer';
import { outputProblemsHeadline, WarningList } from '../WarningList';
import { CompareView } from './CompareView';
import { IListSort, ITraceListItem } from './listRows';
import { SessionView } from '../session/SessionView';
import { sessionCaption } from '../session/sessionTurns';
import { TraceTable } from './TraceTable';
import type { IAssessmentActions } from '../assessments/actions';
import {
  IReviewBarProps,
  IReviewStartProps,
  ReviewArea,
  ReviewStart
} from '../review';

/** What is open under the table. */
export type ListDetail =
  | { kind: 'none' }
  | { kind: 'loading'; what: string }
  | { kind: 'error'; message: string }
  | { kind: 'trace'; trace: ITrace; uiUrl?: string }
  | { kind: 'compare'; left: ITrace; right: ITrace }
  | { kind: 'session'; sessionId: string; items: ITraceListItem[] };

/** Props of {@link TraceListOutput}. */
export interface ITraceListOutputProps {
  caption: string;
  notices: string[];
  /** Problems of the bundle that were worked around (the decoder's warnings). */
  warnings?: readonly string[];
  /** Where the data comes from, e.g. another server than the output names. */
  notes?: readonly string[];
  items: ITraceListItem[];
  onLoadMore?: () => void;
  loadingMore: boolean;
  openedId: string | undefined;
  detail: ListDetail;
  onOpen: (traceId: string) => void;
  onCompare: (leftId: string, rightId: string) => void;
  /** Show a session's loaded rows as a conversation under the table. */
  onOpenSession?: (sessionId: string) => void;
  /** The table's first sort; newest first when absent. */
  initialSort?: IListSort;
  /** Set when the list is one session's turns: shown as a conversation, not a table. */
  sessionId?: string;
  /** Writes from the opened trace's assessments pane; read-only without. */
  actions?: IAssessmentActions;
  /** The "Review" button (and queue picker); absent where a list cannot be reviewed. */
  reviewStart?: IReviewStartProps;
  /** The review in progress: its bar goes above the opened trace. */
  review?: IReviewBarProps;
}

/** The content of a trace-list output. */
export function TraceListOutput(
  props: ITraceListOutputProps
): React.ReactElement {
  const { detail, review } = props;
  const detailPane = (
    <div className="jp-MlflowTraceList-detail">
      <ListDetailView detail={detail} props={props} />
    </div>
  );
  return (
    <>
      <div className={CSS.notice}>{props.caption}</div>
      {props.reviewStart && !review && <ReviewStart {...props.reviewStart} />}
      {props.notices.map((notice, index) => (
        <div
          key={index}
          className={`${CSS.notice} ${CSS.modError}`}
          role="alert"
        >
          {notice}
        </div>
      ))}
      <Notes notes={props.notes ?? []} />
      <WarningList
        warnings={props.warnings ?? []}
        headline={outputProblemsHeadline(props.warnings?.length ?? 0)}
      />
      {review ? null : props.sessionId !== undefined ? (
        <SessionView
          items={props.items}
          onLoadMore={props.onLoadMore}
          loadingMore={props.loadingMore}
          openedId={props.openedId}
          onOpen={props.onOpen}
        />
      ) : (
        <TraceTable
          items={props.items}
          onLoadMore={props.onLoadMore}
          loadingMore={props.loadingMore}
          openedId={props.openedId}
          onOpen={props.onOpen}
          onCompare={props.onCompare}
          onOpenSession={props.onOpenSession}
          initialSort={props.initialSort}
        />
      )}
      {review ? <ReviewArea {...review}>{detailPane}</ReviewArea> : detailPane}
    </>
  );
}

/** What is open under the table. */
function ListDetailView({
  detail,
  props
}: {
  detail: ListDetail;
  props: ITraceListOutputProps;
}): React.ReactElement {
  return (
    <>
      {detail.kind === 'loading' && (
        <div className={CSS.notice} role="status">
          Loading {detail.what}…
        </div>
      )}
      {detail.kind === 'error' && (
        <div className={`${CSS.notice} ${CSS.modError}`} role="alert">
          {detail.message}
        </div>
      )}
      {detail.kind === 'trace' && (
        <TraceExplorer
          key={detail.trace.info?.trace_id}
          trace={detail.trace}
          uiUrl={detail.uiUrl}
          actions={props.actions}
        />
      )}
      {detail.kind === 'session' && (
        <>
          <div className={CSS.notice}>
            {sessionCaption(detail.sessionId, detail.items, [])} (the loaded
            rows)
          </div>
          <SessionView
            items={detail.items}
            openedId={props.openedId}
            onOpen={props.onOpen}
            loadingMore={false}
          />
        </>
      )}
      {detail.kind === 'compare' && (
        <CompareView left={detail.left} right={detail.right} />
      )}
    </>
  );
}
