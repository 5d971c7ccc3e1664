/**
 * The form that edits one's own assessment or overrides someone else's
 * feedback: a new value and rationale, checked before anything is sent.
 */
import React, { useEffect, useRef, useState } from 'react';
import {
  IAssessmentItem,
  ValueKind,
  valueKind,
  valueKindProblem
} from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentActions } from './actions';
import { ValueEditor } from './ValueEditor';
import { editableText, parseTypedValue, VALUE_TYPES } from './valueInput';

/** Props of {@link ChangeForm}. */
export interface IChangeFormProps {
  traceId: string;
  item: IAssessmentItem;
  /** Every assessment of the trace, for the kind check. */
  items: readonly IAssessmentItem[];
  mode: 'edit' | 'override';
  actions: IAssessmentActions;
  onDone: () => void;
}

/** Edit or override one assessment. */
export function ChangeForm(props: IChangeFormProps): React.ReactElement {
  const { item, mode } = props;
  const kind = item.kind === 'expectation' ? 'expectation' : 'feedback';
  const types = VALUE_TYPES[kind];
  const current = valueKind(item.value);
  // A failed judge has no value: its override starts as a boolean.
  const known = item.value !== null && types.includes(current);
  const [type, setType] = useState<ValueKind>(known ? current : 'boolean');
  const [text, setText] = useState(known ? editableText(item.value) : 'true');
  const [rationale, setRationale] = useState(
    mode === 'edit' ? (item.rationale ?? '') : ''
  );
  const [problem, setProblem] = useState<string | undefined>();
  const verb = mode === 'edit' ? 'Save' : 'Override';
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // Keyboard users land in the form they opened (the card takes it back).
    formRef.current?.querySelector<HTMLElement>('[data-value]')?.focus();
  }, []);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const parsed = parseTypedValue(type, text);
    // An edit replaces its own value, so only the others set the kind.
    const others =
      mode === 'edit' ? props.items.filter(i => i !== item) : props.items;
    const found =
      'problem' in parsed
        ? parsed.problem
        : valueKindProblem(others, item.name, kind, parsed.value);
    setProblem(found);
    if (found !== undefined || 'problem' in parsed || item.id === undefined) {
      return;
    }
    // An edit sends its rationale even emptied ('' clears it on the server;
    // undefined would keep the old one); an override starts one afresh.
    // Expectations have none in MLflow.
    const trimmed = rationale.trim();
    const input = {
      value: parsed.value,
      rationale:
        kind !== 'feedback'
          ? undefined
          : mode === 'edit'
            ? trimmed
            : trimmed || undefined
    };
    if (mode === 'edit') {
      props.actions.edit(props.traceId, item.id, input);
    } else {
      props.actions.override(props.traceId, item.id, input);
    }
    props.onDone();
  };

  return (
    <form
      ref={formRef}
      className={ASSESSMENT_CSS.form}
      aria-label={`${verb} ${item.name}`}
      onSubmit={submit}
      onKeyDown={event => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onDone();
        }
      }}
    >
      <ValueEditor
        types={types}
        type={type}
        text={text}
        onType={setType}
        onText={setText}
      />
      {kind === 'feedback' && (
        // MLflow 3.17 keeps no rationale on expectations (it drops one sent).
        <label className={ASSESSMENT_CSS.field}>
          Rationale
          <textarea
            value={rationale}
            rows={2}
            onChange={event => setRationale(event.target.value)}
          />
        </label>
      )}
      {problem && (
        <div className={ASSESSMENT_CSS.problem} role="alert">
          {problem}
        </div>
      )}
      <button type="submit" className={CSS.button}>
        {verb}
      </button>
      <button type="button" className={CSS.button} onClick={props.onDone}>
        Cancel
      </button>
    </form>
  );
}
