/**
 * The form that adds feedback or an expectation to the trace or to the
 * selected span. A value of the wrong type, or of another kind than the
 * name already has, is refused here with a message, and nothing is sent.
 */
import React, { useEffect, useId, useRef, useState } from 'react';
import { IAssessmentItem, ValueKind, valueKind } from '../../trace';
import { ASSESSMENT_CSS } from '../classes';
import { IAssessmentActions } from './actions';
import { NOTES_NAME } from './groups';
import { LabelFields, TextField, useLabelFields } from './LabelFields';
import { VALUE_TYPES } from './valueInput';

/** Props of {@link AddForm}. */
export interface IAddFormProps {
  traceId: string;
  items: readonly IAssessmentItem[];
  actions: IAssessmentActions;
  /** The selected span, which the form may target instead of the trace. */
  span: { spanId: string; name: string } | undefined;
  /** Start on this feedback name (and the span), typed as its values are; focused. */
  initial?: { name: string; onSpan: boolean };
}

type Kind = 'feedback' | 'expectation';

/** The type of feedback `name`'s values (boolean for a new name). */
function initialType(
  items: readonly IAssessmentItem[],
  name: string | undefined
): ValueKind {
  const same = items.find(
    item =>
      item.kind === 'feedback' && item.name === name && item.value !== null
  );
  const kind = same ? valueKind(same.value) : 'boolean';
  return kind === 'json' ? 'string' : kind;
}

/** Add feedback or an expectation. */
export function AddForm(props: IAddFormProps): React.ReactElement {
  const { span, initial } = props;
  const start = initialType(props.items, initial?.name);
  const [kind, setKind] = useState<Kind>('feedback');
  const [onSpan, setOnSpan] = useState(initial?.onSpan ?? false);
  const [name, setName] = useState(initial?.name ?? '');
  const { fields, check } = useLabelFields({
    type: start,
    text: start === 'boolean' ? 'true' : ''
  });
  const formRef = useRef<HTMLFormElement>(null);
  const namesId = useId();
  const names = [
    ...new Set(
      props.items
        .filter(item => item.kind === kind && item.name !== NOTES_NAME)
        .map(item => item.name)
    )
  ];
  useEffect(() => {
    if (initial) {
      formRef.current?.querySelector<HTMLElement>('[data-value]')?.focus();
    }
  }, []);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    const checked = check(props.items, trimmed, kind);
    if (checked === undefined) {
      return;
    }
    const input = {
      name: trimmed,
      value: checked.value,
      rationale: (kind === 'feedback' && fields.rationale.trim()) || undefined,
      spanId: onSpan && span ? span.spanId : undefined
    };
    if (kind === 'feedback') {
      props.actions.addFeedback(props.traceId, input);
    } else {
      props.actions.addExpectation(props.traceId, input);
    }
    // The name stays for the next label; the value and the rationale go.
    fields.onRationale('');
    fields.onText(fields.type === 'boolean' ? 'true' : '');
  };

  return (
    <form
      ref={formRef}
      className={ASSESSMENT_CSS.form}
      aria-label="Add an assessment"
      onSubmit={submit}
    >
      <label className={ASSESSMENT_CSS.field}>
        Add
        <select
          value={kind}
          onChange={event => {
            const next = event.target.value as Kind;
            setKind(next);
            if (!VALUE_TYPES[next].includes(fields.type)) {
              fields.onType('string');
            }
          }}
        >
          <option value="feedback">feedback</option>
          <option value="expectation">expectation</option>
        </select>
      </label>
      <label className={ASSESSMENT_CSS.field}>
        On
        <select
          value={onSpan && span ? 'span' : 'trace'}
          onChange={event => setOnSpan(event.target.value === 'span')}
        >
          <option value="trace">the trace</option>
          {span && <option value="span">span {span.name}</option>}
        </select>
      </label>
      <TextField label="Name" list={namesId} value={name} onChange={setName}>
        {/* The names this trace already has, as MLflow's UI suggests them. */}
        <datalist id={namesId}>
          {names.map(known => (
            <option key={known} value={known} />
          ))}
        </datalist>
      </TextField>
      <LabelFields {...fields} kind={kind} submit={`Add ${kind}`} />
    </form>
  );
}
