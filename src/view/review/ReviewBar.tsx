/**
 * The review bar over a trace list: progress, the feedback name, thumbs
 * showing the current value, the rationale box, moving, leaving, and the
 * writes not saved yet (with Retry). Its area takes the review keys.
 */
import React, { useEffect, useRef, useState } from 'react';
import type { IPendingWrite } from '../assessments/actions';
import { PendingWrites } from './PendingWrites';
import { REVIEW_CSS } from './reviewClasses';
import { ReviewAction, reviewKeyAction, REVIEW_KEYS_HELP } from './reviewKeys';

/** Props of {@link ReviewBar}. */
export interface IReviewBarProps {
  /** Exactly `12 of 50 reviewed`. */
  progress: string;
  /** Where the review is: `Trace 3 of 50: <id>`. */
  position: string;
  /** The review queue the review walks, if any. */
  queueName?: string;
  feedbackName: string;
  onFeedbackName: (name: string) => void;
  /** The current trace's value of the feedback; undefined when none. */
  value: boolean | undefined;
  rationale: string;
  onRationale: (text: string) => void;
  onSaveRationale: () => void;
  /** Bumped to focus the rationale box (the `r` key). */
  rationaleFocus: number;
  /** Writes of the review still saving or unsaved. */
  pending: readonly IPendingWrite[];
  onRetry: (writeId: string) => void;
  onRetryAll: () => void;
  notices: readonly string[];
  atStart: boolean;
  atEnd: boolean;
  onAction: (action: ReviewAction) => void;
}

/** The bar, and under it `children` (the explorer of the current trace); keys anywhere in it review. */
export function ReviewArea(
  props: IReviewBarProps & { children?: React.ReactNode }
): React.ReactElement {
  const { onAction } = props;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  const onKeyDown = (event: React.KeyboardEvent) => {
    const action = reviewKeyAction(event.nativeEvent);
    if (action) {
      // The notebook's own j/k/d shortcuts must not see review keys.
      event.preventDefault();
      event.stopPropagation();
      onAction(action);
    }
  };
  return (
    <div
      ref={ref}
      className={REVIEW_CSS.root}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      aria-label="Review"
    >
      <ReviewBar {...props} />
      {props.children}
    </div>
  );
}

/** The review bar. */
export function ReviewBar(props: IReviewBarProps): React.ReactElement {
  const rationaleRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (props.rationaleFocus > 0) {
      rationaleRef.current?.focus();
    }
  }, [props.rationaleFocus]);
  const thumb = (value: boolean, label: string, symbol: string) => (
    <button
      type="button"
      className={`${REVIEW_CSS.thumb}${props.value === value ? ` ${REVIEW_CSS.pressed}` : ''}`}
      aria-pressed={props.value === value}
      title={`${label} (${value ? 'u' : 'd'})`}
      aria-label={label}
      onClick={() => props.onAction(value ? 'thumbsUp' : 'thumbsDown')}
    >
      {symbol}
    </button>
  );
  return (
    <div className={REVIEW_CSS.bar} role="toolbar" aria-label="Review bar">
      <div className={REVIEW_CSS.row}>
        <span className={REVIEW_CSS.progress} role="status">
          {props.progress}
        </span>
        <span className={REVIEW_CSS.position}>
          {props.queueName !== undefined && `Queue ${props.queueName} · `}
          {props.position}
        </span>
        <FeedbackNameField
          name={props.feedbackName}
          onChange={props.onFeedbackName}
        />
        {thumb(true, 'Thumbs up', 'Up (u)')}
        {thumb(false, 'Thumbs down', 'Down (d)')}
        <button
          type="button"
          disabled={props.atStart}
          onClick={() => props.onAction('previous')}
        >
          Previous
        </button>
        <button
          type="button"
          disabled={props.atEnd}
          onClick={() => props.onAction('next')}
        >
          Next
        </button>
        <button type="button" onClick={() => props.onAction('exit')}>
          Exit review
        </button>
      </div>
      <div className={REVIEW_CSS.row}>
        <input
          ref={rationaleRef}
          className={REVIEW_CSS.rationale}
          type="text"
          aria-label="Rationale"
          placeholder="Rationale (r), Enter saves it"
          value={props.rationale}
          onChange={event => props.onRationale(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Enter') {
              event.preventDefault();
              props.onSaveRationale();
            } else if (event.key === 'Escape') {
              // Leave the box, not the review.
              event.stopPropagation();
              event.currentTarget.blur();
              event.currentTarget
                .closest<HTMLElement>(`.${REVIEW_CSS.root}`)
                ?.focus({ preventScroll: true });
            }
          }}
        />
        <span className={REVIEW_CSS.help}>{REVIEW_KEYS_HELP}</span>
      </div>
      <PendingWrites
        pending={props.pending}
        onRetry={props.onRetry}
        onRetryAll={props.onRetryAll}
      />
      {props.notices.map((notice, index) => (
        <div key={index} className={REVIEW_CSS.notice} role="alert">
          {notice}
        </div>
      ))}
    </div>
  );
}

/** The feedback name: applied on Enter or when the field is left. */
function FeedbackNameField(props: {
  name: string;
  onChange: (name: string) => void;
}): React.ReactElement {
  const [draft, setDraft] = useState(props.name);
  useEffect(() => setDraft(props.name), [props.name]);
  const apply = () => {
    const name = draft.trim();
    if (name && name !== props.name) {
      props.onChange(name);
    } else {
      setDraft(props.name);
    }
  };
  return (
    <input
      className={REVIEW_CSS.name}
      type="text"
      aria-label="Feedback name"
      value={draft}
      onChange={event => setDraft(event.target.value)}
      onBlur={apply}
      onKeyDown={event => {
        if (event.key === 'Enter') {
          apply();
        }
      }}
    />
  );
}
