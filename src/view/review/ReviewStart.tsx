/**
 * How a review starts from a trace-list output: "Review" over the list, or
 * "Review from queue…", which lists the experiment's review queues (asked
 * only then) and offers them.
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
  /** The queues; undefined until asked for with {@link onLoadQueues}. */
  queues: readonly IReviewQueueChoice[] | undefined;
  loadingQueues: boolean;
  onLoadQueues: () => void;
  onReviewQueue: (queueId: string) => void;
  /** Why a review did not start, or the queues could not be listed. */
  notice?: string;
}

/** The "Review" button and the queue picker. */
export function ReviewStart(props: IReviewStartProps): React.ReactElement {
  const { queues } = props;
  return (
    <div className={REVIEW_CSS.start}>
      <button
        type="button"
        title="Label the traces one by one (j/k, u/d, r)"
        onClick={props.onReview}
      >
        Review
      </button>
      {queues === undefined ? (
        <button
          type="button"
          disabled={props.loadingQueues}
          onClick={props.onLoadQueues}
        >
          {props.loadingQueues
            ? 'Listing review queues…'
            : 'Review from queue…'}
        </button>
      ) : queues.length === 0 ? (
        <span className={REVIEW_CSS.help}>
          No review queues in this experiment
        </span>
      ) : (
        <select
          aria-label="Review from queue"
          value=""
          onChange={event => {
            if (event.target.value) {
              props.onReviewQueue(event.target.value);
            }
          }}
        >
          <option value="">Review from queue…</option>
          {queues.map(queue => (
            <option key={queue.id} value={queue.id}>
              {queue.name}
            </option>
          ))}
        </select>
      )}
      {props.notice !== undefined && (
        <span className={REVIEW_CSS.notice} role="alert">
          {props.notice}
        </span>
      )}
    </div>
  );
}
