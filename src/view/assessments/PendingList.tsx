/**
 * Writes not yet confirmed by the server where they apply: "saving…", or
 * "unsaved: <error>" with Retry.
 */
import React from 'react';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentActions, IPendingWrite } from './actions';

/** Props of {@link PendingList}. */
export interface IPendingListProps {
  writes: readonly IPendingWrite[];
  actions: IAssessmentActions;
}

/** What a pending write's line says after its label: "saving…" or "unsaved: <error>". */
export function pendingStatusText(write: IPendingWrite): string {
  return write.status === 'saving'
    ? 'saving…'
    : `unsaved: ${write.error ?? 'not saved'}`;
}

/** One line per pending write; nothing when there is none. */
export function PendingList({
  writes,
  actions
}: IPendingListProps): React.ReactElement | null {
  if (writes.length === 0) {
    return null;
  }
  return (
    <ul className={ASSESSMENT_CSS.pending} aria-label="Writes not saved yet">
      {writes.map(write => (
        <li
          key={write.id}
          className={
            write.status === 'unsaved' ? ASSESSMENT_CSS.modUnsaved : ''
          }
          role={write.status === 'unsaved' ? 'alert' : 'status'}
        >
          {write.label}: {pendingStatusText(write)}
          {write.status === 'unsaved' && (
            <button
              type="button"
              className={CSS.button}
              onClick={() => actions.retry(write.id)}
              aria-label={`Retry: ${write.label}`}
            >
              Retry
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
