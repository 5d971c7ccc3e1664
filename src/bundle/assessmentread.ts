/**
 * What the fallbacks read of a trace info's assessments. The twin of the
 * reading part of the Python package's `_assessment_fallback.py`.
 *
 * #### Notes
 * Reads `info.assessments` as MLflow 3.17.2 sends them: a failed judge is a
 * feedback with `error {error_code, error_message}`; an expectation holding
 * JSON arrives as `serialized_value.value` (shown parsed, as the pane shows
 * it; as stored when it is not JSON); an issue reference is named by its
 * issue id and holds `issue.issue_name`. A
 * superseded assessment (`valid: false`: overridden) is counted, not listed.
 */
import {
  assessmentValueText,
  isRecord,
  normalizeId,
  parseJsonExact
} from '../trace';

/** One valid assessment, as the fallbacks show it. */
export interface IFallbackAssessment {
  kind: 'feedback' | 'expectation' | 'issue';
  name: string;
  /** The value as text (`assessmentValueText`, the pane's rule); the error of a failed judge. */
  valueText: string;
  failed: boolean;
  sourceType: string;
  sourceId: string;
  rationale: string;
  /** Normalized span id; null on the trace. */
  spanId: string | null;
}

/** What the fallbacks read of a trace info's assessments. */
export interface IFallbackAssessments {
  valid: IFallbackAssessment[];
  superseded: number;
  /** Entries with no name or no feedback, expectation or issue. */
  unreadable: number;
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key)
    ? record[key]
    : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A serialized expectation's JSON text as its value's text; the text itself when it is not JSON. */
function serializedText(raw: string): string {
  try {
    return assessmentValueText(parseJsonExact(raw));
  } catch {
    return raw;
  }
}

function read(item: Record<string, unknown>): IFallbackAssessment | null {
  const name = own(item, 'assessment_name');
  const feedback = own(item, 'feedback');
  const expectation = own(item, 'expectation');
  const issue = own(item, 'issue');
  if (typeof name !== 'string') {
    return null;
  }
  const source = isRecord(own(item, 'source'))
    ? (item.source as Record<string, unknown>)
    : {};
  const base = {
    name,
    failed: false,
    sourceType: text(own(source, 'source_type')),
    sourceId: text(own(source, 'source_id')),
    rationale: text(own(item, 'rationale')),
    spanId: normalizeId(own(item, 'span_id'))
  };
  if (isRecord(feedback)) {
    const error = own(feedback, 'error');
    if (isRecord(error)) {
      const parts = [
        text(own(error, 'error_code')),
        text(own(error, 'error_message'))
      ];
      const shown = parts.filter(part => part !== '').join(': ') || 'failed';
      return {
        ...base,
        kind: 'feedback',
        valueText: `error ${shown}`,
        failed: true
      };
    }
    return {
      ...base,
      kind: 'feedback',
      valueText: assessmentValueText(own(feedback, 'value'))
    };
  }
  if (isRecord(expectation)) {
    const serialized = own(expectation, 'serialized_value');
    const value = Object.prototype.hasOwnProperty.call(expectation, 'value')
      ? assessmentValueText(expectation.value)
      : isRecord(serialized)
        ? serializedText(text(own(serialized, 'value')))
        : '';
    return { ...base, kind: 'expectation', valueText: value };
  }
  if (isRecord(issue)) {
    return {
      ...base,
      kind: 'issue',
      valueText: text(own(issue, 'issue_name'))
    };
  }
  return null;
}

/** The valid assessments of a trace info in its order, and how many are superseded or unreadable. */
export function fallbackAssessments(info: unknown): IFallbackAssessments {
  const out: IFallbackAssessments = { valid: [], superseded: 0, unreadable: 0 };
  const list = isRecord(info) ? own(info, 'assessments') : undefined;
  if (!Array.isArray(list)) {
    return out;
  }
  for (const raw of list) {
    const item = isRecord(raw) ? read(raw) : null;
    if (item === null) {
      out.unreadable++;
    } else if (own(raw, 'valid') === false) {
      out.superseded++;
    } else {
      out.valid.push(item);
    }
  }
  return out;
}
