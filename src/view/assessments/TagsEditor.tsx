/**
 * The trace's tags (MLflow's own `mlflow.*` left out), with add, change
 * and remove when the pane can write.
 */
import React, { useState } from 'react';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentActions } from './actions';
import { ProblemAlert, TextField } from './LabelFields';
import { PendingList } from './PendingList';
import { TagRow } from './TagRow';

/** Props of {@link TagsEditor}. */
export interface ITagsEditorProps {
  traceId: string;
  tags: [string, string][];
  /** Given when the pane can write. */
  actions: IAssessmentActions | undefined;
}

/** Why a tag cannot be set under `key` (as it will be sent: trimmed), or undefined. */
export function tagProblem(key: string): string | undefined {
  if (!key.trim()) {
    return 'A tag needs a key.';
  }
  // Leading space too: a caller that forgot to trim must not slip one past.
  return key.trimStart().startsWith('mlflow.')
    ? `Tag "${key}": keys starting with "mlflow." are MLflow's own.`
    : undefined;
}

/** The tags section. */
export function TagsEditor(props: ITagsEditorProps): React.ReactElement {
  const { traceId, tags, actions } = props;
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const writable = actions && !actions.disabledReason;
  const shown = new Set(tags.map(([k]) => k));
  const elsewhere = (actions?.pending ?? []).filter(
    w => w.traceId === traceId && w.tagKey !== undefined && !shown.has(w.tagKey)
  );
  return (
    <section className={ASSESSMENT_CSS.section} aria-label="Tags">
      <h4 className={ASSESSMENT_CSS.title}>Tags ({tags.length})</h4>
      {tags.length > 0 && (
        <ul>
          {tags.map(([k, v]) => (
            <TagRow
              key={k}
              traceId={traceId}
              tagKey={k}
              value={v}
              actions={actions}
            />
          ))}
        </ul>
      )}
      {actions && <PendingList writes={elsewhere} actions={actions} />}
      {writable && (
        <form
          className={ASSESSMENT_CSS.form}
          aria-label="Add a tag"
          onSubmit={event => {
            event.preventDefault();
            // Trimmed once: what is checked is what is sent (" mlflow.x" is MLflow's too).
            const trimmed = key.trim();
            const found = tagProblem(trimmed);
            setProblem(found);
            if (found === undefined) {
              actions.setTag(traceId, trimmed, value);
              setKey('');
              setValue('');
            }
          }}
        >
          <TextField label="Key" value={key} onChange={setKey} />
          <TextField label="Value" value={value} onChange={setValue} />
          <ProblemAlert problem={problem} />
          <button type="submit" className={CSS.button}>
            Add tag
          </button>
        </form>
      )}
    </section>
  );
}
