/**
 * The review's writes still saving or left unsaved, each unsaved one with
 * its error and Retry; one line per write as the assessments pane words it
 * (pendingStatusText), plus the trace it belongs to and "Retry all".
 */
import React from 'react';
import type { IPendingWrite } from '../assessments/actions';
import { pendingStatusText } from '../assessments/PendingList';
import { REVIEW_CSS } from './reviewClasses';

/** Writes saving or unsaved: each unsaved one with its error and Retry. */
export function PendingWrites(props: {
  pending: readonly IPendingWrite[];
  onRetry: (writeId: string) => void;
  onRetryAll: () => void;
}): React.ReactElement | null {
  const { pending } = props;
  if (pending.length === 0) {
    return null;
  }
  const unsaved = pending.filter(write => write.status === 'unsaved');
  return (
    <ul className={REVIEW_CSS.pending} aria-label="Labels not saved yet">
      {pending.map(write => (
        <li
          key={write.id}
          className={write.status === 'unsaved' ? REVIEW_CSS.unsaved : ''}
          data-trace-id={write.traceId}
        >
          {write.label}: {pendingStatusText(write)}
          {write.status === 'unsaved' && (
            <button type="button" onClick={() => props.onRetry(write.id)}>
              Retry
            </button>
          )}
        </li>
      ))}
      {unsaved.length > 1 && (
        <li>
          <button type="button" onClick={props.onRetryAll}>
            Retry all
          </button>
        </li>
      )}
    </ul>
  );
}
