/**
 * Reviewers' notes on the trace, kept as MLflow's UI keeps them (feedback
 * named `mlflow.notes`, one per reviewer): everyone's, and one's own in a
 * box to write when the pane can write.
 */
import React, { useState } from 'react';
import { isOwnAssessment } from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentActions } from './actions';
import { ClippedText, Facts } from './Facts';
import { IAssessmentEntry, NOTES_NAME } from './groups';
import { PendingList } from './PendingList';

/** Props of {@link NotesView}. */
export interface INotesViewProps {
  traceId: string;
  notes: readonly IAssessmentEntry[];
  actions: IAssessmentActions | undefined;
}

/** The notes section; nothing when there are none and nothing can be written. */
export function NotesView(props: INotesViewProps): React.ReactElement | null {
  const { traceId, notes, actions } = props;
  const writable = actions !== undefined && !actions.disabledReason;
  const own = writable
    ? notes.find(({ item }) => isOwnAssessment(item, actions.user))?.item
    : undefined;
  const saved = typeof own?.value === 'string' ? own.value : '';
  const [draft, setDraft] = useState<string | undefined>();
  if (notes.length === 0 && !writable) {
    return null;
  }
  const text = draft ?? saved;
  const save = (event: React.FormEvent) => {
    event.preventDefault();
    if (own?.id !== undefined) {
      actions?.edit(traceId, own.id, { value: text });
    } else {
      actions?.addFeedback(traceId, { name: NOTES_NAME, value: text });
    }
    setDraft(undefined);
  };
  return (
    <section className={ASSESSMENT_CSS.section} aria-label="Notes">
      <h4 className={ASSESSMENT_CSS.title}>Notes ({notes.length})</h4>
      {notes.length > 0 && (
        <ul>
          {notes.map(({ item }, index) => (
            <li key={item.id ?? index} className={ASSESSMENT_CSS.card}>
              <div className={ASSESSMENT_CSS.rationale}>
                <ClippedText text={item.valueText} />
              </div>
              <Facts item={item} />
              {actions && item.id !== undefined && (
                <PendingList
                  writes={actions.pending.filter(
                    w => w.traceId === traceId && w.assessmentId === item.id
                  )}
                  actions={actions}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {writable && (
        <form
          className={ASSESSMENT_CSS.form}
          aria-label="Your notes"
          onSubmit={save}
        >
          <label className={ASSESSMENT_CSS.field}>
            Your notes
            <textarea
              value={text}
              rows={3}
              onChange={event => setDraft(event.target.value)}
            />
          </label>
          <button
            type="submit"
            className={CSS.button}
            disabled={text === saved || text === ''}
          >
            Save notes
          </button>
        </form>
      )}
    </section>
  );
}
