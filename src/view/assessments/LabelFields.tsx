/**
 * What the pane's forms share: the typed value, the rationale (feedback
 * only), the problem that stopped a write, the submit button, text boxes.
 */
import React, { useState } from 'react';
import { IAssessmentItem, ValueKind } from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { ValueEditor } from './ValueEditor';
import { checkedValue, VALUE_TYPES } from './valueInput';

/** Why a form sent nothing, as an alert; nothing when there is no problem. */
export function ProblemAlert({
  problem
}: {
  problem: string | undefined;
}): React.ReactElement | null {
  return problem ? (
    <div className={ASSESSMENT_CSS.problem} role="alert">
      {problem}
    </div>
  ) : null;
}

/** A labelled one-line text box (tag keys and values, names). */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** A datalist's id: suggestions. */
  list?: string;
  children?: React.ReactNode;
}): React.ReactElement {
  return (
    <label className={ASSESSMENT_CSS.field}>
      {props.label}
      <input
        type="text"
        list={props.list}
        value={props.value}
        onChange={event => props.onChange(event.target.value)}
      />
      {props.children}
    </label>
  );
}

/** Props of {@link LabelFields}. */
export interface ILabelFieldsProps {
  kind: 'feedback' | 'expectation';
  type: ValueKind;
  text: string;
  onType: (type: ValueKind) => void;
  onText: (text: string) => void;
  rationale: string;
  onRationale: (rationale: string) => void;
  problem: string | undefined;
  /** The submit button's text. */
  submit: string;
}

/** Value, rationale, problem and submit of a label form. */
export function LabelFields(props: ILabelFieldsProps): React.ReactElement {
  return (
    <>
      <ValueEditor
        types={VALUE_TYPES[props.kind]}
        type={props.type}
        text={props.text}
        onType={props.onType}
        onText={props.onText}
      />
      {props.kind === 'feedback' && (
        // MLflow 3.17 keeps no rationale on expectations (it drops one sent).
        <label className={ASSESSMENT_CSS.field}>
          Rationale
          <textarea
            value={props.rationale}
            rows={2}
            onChange={event => props.onRationale(event.target.value)}
          />
        </label>
      )}
      <ProblemAlert problem={props.problem} />
      <button type="submit" className={CSS.button}>
        {props.submit}
      </button>
    </>
  );
}

/**
 * The state of {@link LabelFields} (`fields`, to spread into it) and
 * `check`: the value to send, or undefined once the problem is shown.
 */
export function useLabelFields(start: {
  type: ValueKind;
  text: string;
  rationale?: string;
}) {
  const [type, onType] = useState<ValueKind>(start.type);
  const [text, onText] = useState(start.text);
  const [rationale, onRationale] = useState(start.rationale ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const check = (
    others: readonly IAssessmentItem[],
    name: string,
    kind: 'feedback' | 'expectation'
  ): { value: unknown } | undefined => {
    const checked = checkedValue(type, text, others, name, kind);
    setProblem('problem' in checked ? checked.problem : undefined);
    return 'problem' in checked ? undefined : checked;
  };
  return {
    fields: { type, onType, text, onText, rationale, onRationale, problem },
    check
  };
}
