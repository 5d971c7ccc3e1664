/**
 * The header of a trace: name, status, start, duration, counts, tokens,
 * cost and models, tags and the trace id with a copy button.
 */
import React from 'react';
import {
  costBreakdown,
  formatCount,
  formatDurationMs,
  formatUsd,
  isRecord,
  ITraceSummary,
  modelsText,
  safeHttpUrl
} from '../trace';
import { CSS } from './classes';
import { stateClass } from './stateClass';
import { formatTimestampMs } from './format';

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
}

/** User tags: MLflow's own bookkeeping tags (`mlflow.*`) are left out. */
function userTags(tags: Record<string, string>): [string, string][] {
  // Tags come from untrusted outputs: a non-object or non-string value must not reach React as a child.
  if (typeof tags !== 'object' || tags === null) {
    return [];
  }
  return Object.entries(tags)
    .filter(([key]) => !key.startsWith('mlflow.'))
    .map(([key, value]) => [
      key,
      typeof value === 'string' ? value : String(JSON.stringify(value))
    ]);
}

/** One assessment as the header shows it. */
interface IAssessmentChip {
  text: string;
  detail: string;
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** Feedback and expectations as `name: value`; malformed entries are skipped. */
export function assessmentChips(assessments: unknown): IAssessmentChip[] {
  if (!Array.isArray(assessments)) {
    return [];
  }
  return assessments.flatMap(raw => {
    const item = record(raw);
    if (typeof item.assessment_name !== 'string') {
      return [];
    }
    const feedback = record(item.feedback);
    const expectation = record(item.expectation);
    const value =
      'value' in feedback
        ? feedback.value
        : 'value' in expectation
          ? expectation.value
          : record(expectation.serialized_value).value;
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    const kind = 'value' in feedback ? 'feedback' : 'expectation';
    const source = record(item.source);
    const detail = [
      kind,
      typeof source.source_id === 'string' ? `by ${source.source_id}` : '',
      typeof item.rationale === 'string' ? item.rationale : ''
    ]
      .filter(Boolean)
      .join(' · ');
    return [{ text: `${item.assessment_name}: ${shown ?? ''}`, detail }];
  });
}

/** The trace header. */
export function TraceHeader({
  summary,
  tags,
  assessments,
  uiUrl,
  live,
  stateText
}: ITraceHeaderProps): React.ReactElement {
  const chips = assessmentChips(assessments);
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
          {chips.map((chip, index) => (
            <span key={index} className={CSS.tag} title={chip.detail}>
              {chip.text}
            </span>
          ))}
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
