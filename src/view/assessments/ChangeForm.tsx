/**
 * The form that edits one's own assessment or overrides someone else's
 * feedback: a new value and rationale, checked before anything is sent.
 */
import React, { useEffect, useRef } from 'react';
import { IAssessmentItem, valueKind } from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentActions } from './actions';
import { LabelFields, useLabelFields } from './LabelFields';
import { editableText, VALUE_TYPES } from './valueInput';

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
  const { fields, check } = useLabelFields({
    type: known ? current : 'boolean',
    text: known ? editableText(item.value) : 'true',
    rationale: mode === 'edit' ? (item.rationale ?? '') : ''
  });
  const verb = mode === 'edit' ? 'Save' : 'Override';
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // Keyboard users land in the form they opened (the card takes it back).
    formRef.current?.querySelector<HTMLElement>('[data-value]')?.focus();
  }, []);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    // An edit replaces its own value, so only the others set the kind.
    const others =
      mode === 'edit' ? props.items.filter(i => i !== item) : props.items;
    const checked = check(others, item.name, kind);
    if (checked === undefined || item.id === undefined) {
      return;
    }
    // An edit sends its rationale even emptied ('' clears it on the server;
    // undefined would keep the old one); an override starts one afresh.
    // Expectations have none in MLflow.
    const trimmed = fields.rationale.trim();
    const input = {
      value: checked.value,
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
      <LabelFields {...fields} kind={kind} submit={verb} />
      <button type="button" className={CSS.button} onClick={props.onDone}>
        Cancel
      </button>
    </form>
  );
}
