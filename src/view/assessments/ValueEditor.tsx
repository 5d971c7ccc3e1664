/**
 * A typed value box: the type (boolean, number, text, JSON) and the value,
 * a true/false choice for booleans, a text area for JSON.
 */
import React from 'react';
import { ValueKind } from '../../trace';
import { ASSESSMENT_CSS } from '../classes';
import { VALUE_TYPE_LABELS } from './valueInput';

/** Props of {@link ValueEditor}. */
export interface IValueEditorProps {
  types: readonly ValueKind[];
  type: ValueKind;
  text: string;
  onType: (type: ValueKind) => void;
  onText: (text: string) => void;
}

/** The type select and the value box. */
export function ValueEditor(props: IValueEditorProps): React.ReactElement {
  const { type, text, onText } = props;
  return (
    <>
      <label className={ASSESSMENT_CSS.field}>
        Type
        <select
          value={type}
          onChange={event => {
            const next = event.target.value as ValueKind;
            props.onType(next);
            if (next === 'boolean' && text !== 'false') {
              onText('true');
            }
          }}
        >
          {props.types.map(kind => (
            <option key={kind} value={kind}>
              {VALUE_TYPE_LABELS[kind]}
            </option>
          ))}
        </select>
      </label>
      <label className={ASSESSMENT_CSS.field}>
        Value
        {type === 'boolean' ? (
          <select
            data-value
            value={text === 'false' ? 'false' : 'true'}
            onChange={event => onText(event.target.value)}
          >
            <option value="true">true</option>
            <option value="false">false</option>
          </select>
        ) : type === 'json' ? (
          <textarea
            data-value
            value={text}
            rows={3}
            spellCheck={false}
            onChange={event => onText(event.target.value)}
          />
        ) : (
          <input
            data-value
            type="text"
            inputMode={type === 'number' ? 'decimal' : undefined}
            value={text}
            onChange={event => onText(event.target.value)}
          />
        )}
      </label>
    </>
  );
}
