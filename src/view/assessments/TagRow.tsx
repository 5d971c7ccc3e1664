/**
 * One trace tag in the pane: its value, or a box to change it, with
 * Change and Remove when the pane can write, and its pending writes.
 */
import React, { useState } from 'react';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentActions } from './actions';
import { TextField } from './LabelFields';
import { PendingList } from './PendingList';

/** One tag: its value, or a box to change it. */
export function TagRow(props: {
  traceId: string;
  tagKey: string;
  value: string;
  actions: IAssessmentActions | undefined;
}): React.ReactElement {
  const { traceId, tagKey, actions } = props;
  const [draft, setDraft] = useState<string | undefined>();
  const writable = actions && !actions.disabledReason;
  return (
    <li className={ASSESSMENT_CSS.tagRow}>
      <span className={ASSESSMENT_CSS.heading}>{tagKey}</span>:{' '}
      {draft === undefined ? (
        <span className={ASSESSMENT_CSS.value}>{props.value}</span>
      ) : (
        <form
          className={ASSESSMENT_CSS.form}
          aria-label={`Change tag ${tagKey}`}
          onSubmit={event => {
            event.preventDefault();
            actions?.setTag(traceId, tagKey, draft);
            setDraft(undefined);
          }}
        >
          <TextField label="Value" value={draft} onChange={setDraft} />
          <button type="submit" className={CSS.button}>
            Save
          </button>
          <button
            type="button"
            className={CSS.button}
            onClick={() => setDraft(undefined)}
          >
            Cancel
          </button>
        </form>
      )}
      {writable && draft === undefined && (
        <span className={ASSESSMENT_CSS.actions}>
          <button
            type="button"
            className={CSS.button}
            aria-label={`Change tag ${tagKey}`}
            onClick={() => setDraft(props.value)}
          >
            Change
          </button>
          <button
            type="button"
            className={CSS.button}
            aria-label={`Remove tag ${tagKey}`}
            onClick={() => actions.removeTag(traceId, tagKey)}
          >
            Remove
          </button>
        </span>
      )}
      {actions && (
        <PendingList
          writes={actions.pending.filter(
            w => w.traceId === traceId && w.tagKey === tagKey
          )}
          actions={actions}
        />
      )}
    </li>
  );
}
