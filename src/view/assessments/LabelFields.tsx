/**
 * What the add and change forms share: the typed value, the rationale
 * (feedback only), the problem that stopped a write, and the submit button.
 */
import React from 'react';
import { ValueKind } from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { ValueEditor } from './ValueEditor';
import { VALUE_TYPES } from './valueInput';

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
