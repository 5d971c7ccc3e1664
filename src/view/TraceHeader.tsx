/**
 * The header of a trace: name, status, start, duration, counts, tokens,
 * tags and the trace id with a copy button.
 */
import React from 'react';
import { ITraceSummary } from '../trace';
import { CSS } from './classes';
import {
  formatCount,
  formatDurationMs,
  formatTimestampMs,
  safeHttpUrl
} from './format';

/** Props of {@link TraceHeader}. */
export interface ITraceHeaderProps {
  summary: ITraceSummary;
  tags: Record<string, string>;
  /** "Open in MLflow UI" target; shown only when it is an http(s) URL. */
  uiUrl?: string;
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

/** The trace header. */
export function TraceHeader({
  summary,
  tags,
  uiUrl
}: ITraceHeaderProps): React.ReactElement {
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
          className={`jp-MlflowTrace-state jp-MlflowTrace-state-${summary.state}`}
        >
          {summary.state}
        </span>
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
