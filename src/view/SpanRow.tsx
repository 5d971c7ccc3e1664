/**
 * One row of the trace: the tree cell (indent, toggle, type, name, model and
 * cost, duration, error and log-level badges, assessments and critical-path
 * marks) and the
 * timeline cell with the span's bar and its part on the critical path.
 */
import React, { memo } from 'react';
import {
  formatDurationMs,
  ISpan,
  spanLlmText,
  spanTypeCategory
} from '../trace';
import { ASSESSMENT_CSS, CSS, typeClass } from './classes';
import { LIVE_PHASE_TEXT, LivePhase } from './live';
import { spanLlmTitle } from './cost';
import { barGeometryMs, TimeWindow } from './timeline';
import { CRITICAL_CSS, criticalRowLabel } from './critical';
import { LogLevelBadge } from './LogLevelFilter';

/** Short labels of the span types, shown in the type badge. */
const TYPE_LABELS: Record<string, string> = {
  LLM: 'LLM',
  CHAT_MODEL: 'CHAT',
  RETRIEVER: 'RET',
  TOOL: 'TOOL',
  AGENT: 'AGT',
  EMBEDDING: 'EMB',
  PARSER: 'PRS',
  RERANKER: 'RRK',
  CHAIN: 'CHN',
  MEMORY: 'MEM',
  UNKNOWN: '?'
};

/** What the mark of a collapsed row over a failed span says. */
const FAILED_BELOW_LABEL = 'contains failed spans';

/** What the mark of a span with assessments says. */
export const ASSESSED_LABEL = 'has assessments';

/** Width of the expand toggle (style/base.css), kept as indent on leaves. */
const TOGGLE_PX = 20;

/** What the tooltip of a hovered bar shows. */
export interface IHoveredSpan {
  span: ISpan;
  startOffsetMs: number;
  durationMs: number;
}

/**
 * Props of {@link SpanRow}: the span object and plain values, so a row
 * whose span and figures did not change is not rendered again (a live
 * trace's rebuild reuses the span objects of unchanged spans).
 */
export interface ISpanRowProps {
  span: ISpan;
  depth: number;
  hasChildren: boolean;
  /** Start relative to the trace's start. */
  startOffsetMs: number;
  /** As drawn: an open span of a live trace is measured to the view's moment. */
  durationMs: number;
  /** Set on an open span of a live trace: the trace's phase. */
  livePhase?: LivePhase;
  rowIndex: number;
  topPx: number;
  heightPx: number;
  expanded: boolean;
  /** The row is collapsed over a failed span: it carries a mark. */
  failedBelow: boolean;
  /** The span has assessments: it carries a mark. */
  assessed?: boolean;
  /** On the critical path: the span's own share of it, as text ("61%"). */
  criticalPercent?: string;
  /** On the critical path: where the span's window on it starts, ms from the trace's start. */
  criticalStartMs?: number;
  /** On the critical path: where that window ends. */
  criticalEndMs?: number;
  selected: boolean;
  active: boolean;
  match: boolean;
  currentMatch: boolean;
  window: TimeWindow;
  onToggle: (spanId: string) => void;
  onClick: (rowIndex: number, spanId: string) => void;
  onHover: (hovered: IHoveredSpan | null, event?: React.MouseEvent) => void;
}

/** A span's row; memoized so scrolling re-renders only rows that change. */
export const SpanRow = memo((props: ISpanRowProps): React.ReactElement => {
  const { span, window, hasChildren, depth } = props;
  const category = spanTypeCategory(span.spanType);
  const bar = barGeometryMs(props.startOffsetMs, props.durationMs, window);
  const llmText = spanLlmText(span.llm);
  const mark = props.livePhase ? LIVE_PHASE_TEXT[props.livePhase] : undefined;
  const { criticalPercent, criticalStartMs, criticalEndMs } = props;
  const critical = criticalPercent !== undefined;
  const criticalBar =
    criticalStartMs !== undefined && criticalEndMs !== undefined
      ? barGeometryMs(criticalStartMs, criticalEndMs - criticalStartMs, window)
      : undefined;
  const classes = [
    CSS.row,
    mark?.className ?? '',
    critical ? CRITICAL_CSS.modCritical : '',
    props.selected ? CSS.modSelected : '',
    props.active ? CSS.modActive : '',
    props.match ? CSS.modMatch : '',
    props.currentMatch ? CSS.modCurrent : ''
  ].join(' ');
  return (
    <div
      role="treeitem"
      id={`jp-MlflowTrace-row-${span.spanId}`}
      aria-level={depth + 1}
      aria-expanded={hasChildren ? props.expanded : undefined}
      aria-selected={props.selected}
      data-span-id={span.spanId}
      className={classes}
      style={{
        // top, not a transform: no transform node per row for the compositor
        top: props.topPx,
        height: props.heightPx
      }}
      onClick={() => props.onClick(props.rowIndex, span.spanId)}
    >
      <div
        className={CSS.cell}
        style={{
          paddingLeft:
            4 + Math.min(depth, 40) * 14 + (hasChildren ? 0 : TOGGLE_PX)
        }}
      >
        {/* Mouse only: the keyboard toggles with the arrow keys on the tree.
            Leaves get none (their indent says so), one element less per row. */}
        {hasChildren && (
          <span
            className={CSS.toggle}
            aria-hidden={true}
            onClick={event => {
              event.stopPropagation();
              props.onToggle(span.spanId);
            }}
          >
            {props.expanded ? '▾' : '▸'}
          </span>
        )}
        <span
          className={`${CSS.typeBadge} ${typeClass(category)}`}
          title={span.spanType}
        >
          {TYPE_LABELS[category] ?? '?'}
        </span>
        <span className={CSS.spanName}>{span.name}</span>
        {span.error && (
          <span className={CSS.errorBadge} title="This span failed">
            error
          </span>
        )}
        <LogLevelBadge span={span} />
        {props.failedBelow && (
          <span
            className={CSS.failedBelowBadge}
            role="img"
            aria-label={FAILED_BELOW_LABEL}
            title={FAILED_BELOW_LABEL}
          >
            !
          </span>
        )}
        {props.assessed && (
          <span
            className={ASSESSMENT_CSS.marker}
            role="img"
            aria-label={ASSESSED_LABEL}
            title={ASSESSED_LABEL}
          >
            ◆
          </span>
        )}
        {critical && (
          <span
            className={CRITICAL_CSS.mark}
            role="img"
            aria-label={criticalRowLabel(criticalPercent)}
            title={criticalRowLabel(criticalPercent)}
          >
            {criticalPercent}
          </span>
        )}
        {llmText && span.llm && (
          <span className={CSS.spanLlm} title={spanLlmTitle(span.llm)}>
            {llmText}
          </span>
        )}
        {props.livePhase === 'running' && (
          // A compact mark: the span's name keeps the room
          <span
            className={`${CSS.liveBadge} ${mark!.className}`}
            role="img"
            aria-label={mark!.rowLabel}
            title={mark!.rowLabel}
          >
            ●
          </span>
        )}
        {props.livePhase === 'interrupted' && (
          <span className={`${CSS.liveBadge} ${mark!.className}`}>
            {mark!.rowLabel}
          </span>
        )}
        <span
          className={CSS.duration}
          title={props.livePhase === 'stale' ? mark?.rowLabel : undefined}
        >
          {span.inProgress && (!mark || props.livePhase === 'stale')
            ? '…'
            : formatDurationMs(props.durationMs)}
        </span>
      </div>
      <div className={CSS.barCell}>
        {bar.visible && (
          <div
            className={`${CSS.bar} ${typeClass(category)} ${span.error ? CSS.modError : ''} ${mark?.className ?? ''}`}
            data-span-id={span.spanId}
            style={{ left: `${bar.leftPct}%`, width: `${bar.widthPct}%` }}
            onMouseEnter={event =>
              props.onHover(
                {
                  span,
                  startOffsetMs: props.startOffsetMs,
                  durationMs: props.durationMs
                },
                event
              )
            }
            onMouseLeave={() => props.onHover(null)}
          />
        )}
        {criticalBar?.visible && (
          <div
            className={CRITICAL_CSS.bar}
            aria-hidden={true}
            style={{
              left: `${criticalBar.leftPct}%`,
              width: `${criticalBar.widthPct}%`
            }}
          />
        )}
      </div>
    </div>
  );
});
