/**
 * How a review starts from a trace-list output: "Review" over the list, or
 * "Review from queue…" when the server lists review queues.
 */
import React from 'react';
import { REVIEW_CSS } from './reviewClasses';

/** A review queue as the start menu offers it. */
export interface IReviewQueueChoice {
  id: string;
  name: string;
}

/** Props of {@link ReviewStart}. */
export interface IReviewStartProps {
  onReview: () => void;
  queues: readonly IReviewQueueChoice[];
  onReviewQueue: (queueId: string) => void;
  /** Why a review cannot start (no server to write to); the buttons stay disabled. */
  disabledReason?: string;
}

/** The "Review" button and, when queues exist, the queue picker. */
export function ReviewStart(props: IReviewStartProps): React.ReactElement {
  const disabled = props.disabledReason !== undefined;
  return (
    <div className={REVIEW_CSS.start}>
      <button
        type="button"
        disabled={disabled}
        title={
          props.disabledReason ?? 'Label the traces one by one (j/k, u/d, r)'
        }
        onClick={props.onReview}
      >
        Review
      </button>
      {props.queues.length > 0 && (
        <select
          aria-label="Review from queue"
          disabled={disabled}
          value=""
          onChange={event => {
            if (event.target.value) {
              props.onReviewQueue(event.target.value);
            }
          }}
        >
          <option value="">Review from queue…</option>
          {props.queues.map(queue => (
            <option key={queue.id} value={queue.id}>
              {queue.name}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
