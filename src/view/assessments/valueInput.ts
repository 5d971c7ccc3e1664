/**
 * A value typed into the pane's forms, read as the type the user chose.
 * Pure: a parsed value or a message saying why the text is not one.
 */
import {
  IAssessmentItem,
  parseJsonExact,
  ValueKind,
  valueKindProblem,
  valueText
} from '../../trace';

/** The value types a form offers: feedback takes no JSON (as MLflow's UI). */
export const VALUE_TYPES: Record<'feedback' | 'expectation', ValueKind[]> = {
  feedback: ['boolean', 'number', 'string'],
  expectation: ['boolean', 'number', 'string', 'json']
};

/** What a form's value box reads as. */
export type ParsedValue = { value: unknown } | { problem: string };

/** A JSON number, no more: "1e3" and "-0.5" are numbers, "0x1" and "" are not. */
const NUMBER_RE = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** `text` read as `type`. */
export function parseTypedValue(type: ValueKind, text: string): ParsedValue {
  const trimmed = text.trim();
  switch (type) {
    case 'boolean':
      return trimmed === 'true' || trimmed === 'false'
        ? { value: trimmed === 'true' }
        : { problem: 'Choose true or false.' };
    case 'number': {
      const number = Number(trimmed);
      return NUMBER_RE.test(trimmed) && Number.isFinite(number)
        ? { value: number }
        : { problem: `"${text}" is not a number.` };
    }
    case 'string':
      return text === '' ? { problem: 'The value is empty.' } : { value: text };
    default:
      try {
        return { value: parseJsonExact(trimmed) };
      } catch (error) {
        return {
          problem: `The value is not JSON: ${error instanceof Error ? error.message : String(error)}`
        };
      }
  }
}

/**
 * `text` read as `type`, then checked as a `kind` named `name` beside the
 * `others` (valueKindProblem): the value to send, or why not. The one check
 * of every form that writes a label.
 */
export function checkedValue(
  type: ValueKind,
  text: string,
  others: readonly IAssessmentItem[],
  name: string,
  kind: 'feedback' | 'expectation'
): ParsedValue {
  const parsed = parseTypedValue(type, text);
  if ('problem' in parsed) {
    return parsed;
  }
  const problem = valueKindProblem(others, name, kind, parsed.value);
  return problem === undefined ? parsed : { problem };
}

/** The text a value box starts with for an existing value (JSON indented). */
export function editableText(value: unknown): string {
  return valueText(value, typeof value === 'object' && value ? 2 : 0);
}

/** A type's name in a select. */
export const VALUE_TYPE_LABELS: Record<ValueKind, string> = {
  boolean: 'boolean',
  number: 'number',
  string: 'text',
  json: 'JSON'
};
