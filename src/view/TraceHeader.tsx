/**
 * The header of a trace: name, status, start, duration, counts, tokens,
 * cost and models, the top contributors to the critical path, a one-line
 * summary of the assessments (opening their pane), the linked prompts, tags
 * and the trace id with a copy button.
 */
import React from 'react';
import {
  clipCodePoints,
  contributorsText,
  costBreakdown,
  formatCount,
  formatDurationMs,
  formatUsd,
  ICriticalContributor,
  ITraceSummary,
  modelsText,
  safeHttpUrl,
  traceLinkedPrompts
} from '../trace';
import { ASSESSMENT_CSS, CSS } from './classes';
import { CRITICAL_CSS } from './critical';
import { LinkedPromptList } from './LinkedPrompts';
import { stateClass } from './stateClass';
import { formatTimestampMs } from './format';
import {
  assessmentChips,
  IAssessmentChip,
  userTags
} from './assessments/summary';

export { assessmentChips };

/** Props of {@link TraceHeader}. */
export interface ITraceHeaderProps {
  summary: ITraceSummary;
  tags: Record<string, string>;
  /** The info's `assessments` (feedback and expectations), as the output holds them. */
  assessments?: unknown;
  /** "Open in MLflow UI" target; shown only when it is an http(s) URL. */
  uiUrl?: string;
  /** A live trace's status line (LiveStatus), beside the state. */
  live?: React.ReactNode;
  /** Shown in place of the state, e.g. a live trace that is no longer running. */
  stateText?: string;
  /** Opens the assessments pane; the summary is a button when given. */
  onOpenAssessments?: () => void;
  /** The largest shares of the critical path (`topContributors`). */
  criticalContributors?: readonly ICriticalContributor[];
}

/** How many chips the header names before "+N more". */
const CHIPS_SHOWN = 3;
/** Longest chip text in the header, in characters. */
const CHIP_CHARS = 40;

/** `text` in at most {@link CHIP_CHARS} code points, "…" ending a clipped one. */
function clip(text: string): string {
  return clipCodePoints(text, CHIP_CHARS).clipped
    ? `${clipCodePoints(text, CHIP_CHARS - 1).text}…`
    : text;
}

/** One line: the count and the first assessments, e.g. "3 assessments: correct: true · …". */
export function assessmentSummaryText(
  chips: readonly IAssessmentChip[]
): string {
  const shown = chips.slice(0, CHIPS_SHOWN).map(chip => clip(chip.text));
  const more = chips.length - shown.length;
  const noun = chips.length === 1 ? 'assessment' : 'assessments';
  return `${formatCount(chips.length)} ${noun}: ${shown.join(' · ')}${more > 0 ? ` · +${formatCount(more)} more` : ''}`;
}

/** The trace header. */
export function TraceHeader({
  summary,
  tags,
  assessments,
  uiUrl,
  live,
  stateText,
  onOpenAssessments,
  criticalContributors
}: ITraceHeaderProps): React.ReactElement {
  const chips = assessmentChips(assessments);
  const prompts = traceLinkedPrompts({ tags });
  const link = safeHttpUrl(uiUrl);
  const usage = summary.tokenUsage;
  const copy = () => void navigator.clipboard?.writeText(summary.traceId);
  return (
    <div className={CSS.header}>
      <div className={CSS.title}>
        <span className="jp-MlflowTrace-traceName">
          {summary.name || '(unnamed trace)'}
        </span>
        <span
          className={`jp-MlflowTrace-state ${stateClass(stateText ?? summary.state)}`}
        >
          {stateText ?? summary.state}
        </span>
        {live}
      </div>
      <div className={CSS.facts}>
        <span className={CSS.fact} title="Start time">
          {formatTimestampMs(summary.startMs)}
        </span>
        <span className={CSS.fact} title="Total duration">
          {formatDurationMs(summary.durationMs)}
        </span>
        <span className={CSS.fact}>{formatCount(summary.spanCount)} spans</span>
        <span
          className={`${CSS.fact} ${summary.errorCount ? CSS.modError : ''}`}
        >
          {formatCount(summary.errorCount)} errors
        </span>
        {usage && (
          <span
            className={CSS.fact}
            title="Token usage: input / output / total"
          >
            {formatCount(usage.input)} in · {formatCount(usage.output)} out ·{' '}
            {formatCount(usage.total)} tokens
          </span>
        )}
        {summary.cost && (
          <span
            className={`${CSS.fact} jp-MlflowTrace-cost`}
            title={['Cost (USD)', costBreakdown(summary.cost)]
              .filter(Boolean)
              .join(': ')}
          >
            {formatUsd(summary.cost.total)}
          </span>
        )}
        {summary.costNote && (
          <span className={`${CSS.fact} ${CSS.modWarning}`} role="note">
            {summary.costNote}
          </span>
        )}
        {summary.models.length > 0 && (
          <span
            className={`${CSS.fact} jp-MlflowTrace-models`}
            title={`Models: ${summary.models.join(', ')}`}
          >
            {modelsText(summary.models)}
          </span>
        )}
        {criticalContributors && criticalContributors.length > 0 && (
          <span
            className={`${CSS.fact} ${CRITICAL_CSS.summary}`}
            title="Own time on the critical path, the chain of spans that sets the trace's duration"
          >
            Critical path: {contributorsText(criticalContributors)}
          </span>
        )}
        <span className={`${CSS.fact} jp-MlflowTrace-traceId`}>
          {summary.traceId}
          <button
            className={CSS.button}
            onClick={copy}
            title="Copy the trace id"
            aria-label="Copy the trace id"
          >
            copy
          </button>
        </span>
        {link && (
          <a
            className={CSS.button}
            href={link}
            target="_blank"
            rel="noopener noreferrer"
          >
            Open in MLflow UI
          </a>
        )}
      </div>
      {chips.length > 0 && (
        <div className={CSS.facts} aria-label="Assessments">
          {onOpenAssessments ? (
            <button
              className={`${CSS.button} ${ASSESSMENT_CSS.summary}`}
              onClick={onOpenAssessments}
              title="Show the assessments pane"
            >
              {assessmentSummaryText(chips)}
            </button>
          ) : (
            <span className={ASSESSMENT_CSS.summary}>
              {assessmentSummaryText(chips)}
            </span>
          )}
        </div>
      )}
      {prompts.length > 0 && (
        <div className={CSS.facts}>
          <span className={CSS.fact}>Prompts</span>
          <LinkedPromptList prompts={prompts} uiUrl={uiUrl} />
        </div>
      )}
      {userTags(tags).length > 0 && (
        <div className={CSS.facts} aria-label="Tags">
          {userTags(tags).map(([key, value]) => (
            <span key={key} className={CSS.tag}>
              {key}: {value}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
