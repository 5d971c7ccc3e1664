/**
 * What every assessment shows, current or in a history: its value line,
 * a failed judge's error (with its stack trace on demand), the source in
 * words, the time, the rationale and the metadata.
 */
import React, { useMemo, useState } from 'react';
import {
  clipCodePoints,
  failedText,
  formatCount,
  formatUsd,
  formatUtcMs,
  IAssessmentItem,
  sourceTypeText
} from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';

/** Characters (code points) of a value or rationale shown before "Show all". */
const CLIP_CHARS = 400;
/** Up to how many characters "Show all" counts a text's length. */
const COUNT_CHARS = 100_000;

/** "N characters", or "over N" past what is worth counting. */
function lengthText(text: string): string {
  const { totalKnown } = clipCodePoints(text, COUNT_CHARS);
  return totalKnown === undefined
    ? `over ${formatCount(COUNT_CHARS)} characters`
    : `${formatCount(totalKnown)} characters`;
}

/** Text clipped to {@link CLIP_CHARS}, with a toggle to show it all. */
export function ClippedText({ text }: { text: string }): React.ReactElement {
  const [all, setAll] = useState(false);
  const head = useMemo(() => clipCodePoints(text, CLIP_CHARS), [text]);
  const length = useMemo(
    () => (head.clipped ? lengthText(text) : ''),
    [head, text]
  );
  if (!head.clipped) {
    return <>{text}</>;
  }
  return (
    <>
      {all ? text : `${head.text}…`}{' '}
      <button
        type="button"
        className={CSS.button}
        aria-expanded={all}
        onClick={() => setAll(!all)}
      >
        {all ? 'Show less' : `Show all (${length})`}
      </button>
    </>
  );
}

/** A failed judge's error; its stack trace behind a toggle. */
function ErrorNote({
  error
}: {
  error: NonNullable<IAssessmentItem['error']>;
}): React.ReactElement {
  const [open, setOpen] = useState(false);
  return (
    <div className={ASSESSMENT_CSS.error} role="note">
      {failedText(error)}
      {error.stackTrace && (
        <>
          {' '}
          <button
            type="button"
            className={CSS.button}
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            Stack trace
          </button>
          {open && <pre className={CSS.json}>{error.stackTrace}</pre>}
        </>
      )}
    </div>
  );
}

/** MLflow's own metadata keys (AssessmentMetadataKey) in words. */
const METADATA_WORDS: Record<string, string> = {
  'mlflow.assessment.judgeCost': 'judge cost',
  'mlflow.assessment.judgeInputTokens': 'judge input tokens',
  'mlflow.assessment.judgeOutputTokens': 'judge output tokens',
  'mlflow.assessment.scorerTraceId': "judge's trace",
  'mlflow.assessment.scorerName': 'scorer',
  'mlflow.assessment.scorerVersion': 'scorer version',
  'mlflow.assessment.sourceRunId': 'run'
};

/** One metadata entry as text: MLflow's keys in words, a judge's cost in dollars. */
export function metadataText([key, value]: [string, string]): string {
  const word = Object.prototype.hasOwnProperty.call(METADATA_WORDS, key)
    ? METADATA_WORDS[key]
    : key;
  const cost = Number(value);
  return key === 'mlflow.assessment.judgeCost' &&
    value.trim() &&
    Number.isFinite(cost)
    ? `${word}: ${formatUsd(cost)}`
    : `${word}: ${value}`;
}

/** Source, time, rationale, error and metadata: what every assessment shows. */
export function Facts({ item }: { item: IAssessmentItem }): React.ReactElement {
  const edited =
    item.updateTimeMs !== undefined && item.updateTimeMs !== item.createTimeMs;
  const metadata = Object.entries(item.metadata).map(metadataText);
  return (
    <>
      {item.error && <ErrorNote error={item.error} />}
      <div className={ASSESSMENT_CSS.source}>
        {sourceTypeText(item.sourceType)}
        {item.sourceId && ` · ${item.sourceId}`} ·{' '}
        {formatUtcMs(item.createTimeMs)}
        {edited && ` (edited ${formatUtcMs(item.updateTimeMs)})`}
        {!item.valid && ' · superseded'}
      </div>
      {item.rationale && (
        <div className={ASSESSMENT_CSS.rationale}>
          <ClippedText text={item.rationale} />
        </div>
      )}
      {metadata.length > 0 && (
        <div className={ASSESSMENT_CSS.source}>{metadata.join(' · ')}</div>
      )}
    </>
  );
}

/** The value line: name and value, or an issue's id and title. */
export function ValueLine({
  item
}: {
  item: IAssessmentItem;
}): React.ReactElement {
  return (
    <div>
      <span className={ASSESSMENT_CSS.heading}>{item.name}</span>
      {item.valueText && (
        <>
          {item.kind === 'issue' ? ' · ' : ': '}
          <span className={ASSESSMENT_CSS.value}>
            <ClippedText text={item.valueText} />
          </span>
        </>
      )}
    </div>
  );
}
