/**
 * What the fallbacks show of a trace info's assessments, read by the pane's
 * model (`parseAssessments`), so a fallback and the pane never disagree on
 * a value, an error, a target or validity. The twin of the reading part of
 * the Python package's `_assessment_fallback.py`.
 *
 * #### Notes
 * What the fallbacks add to the model: a failed judge's text in place of its
 * value (`failedText`, the pane's wording), and counts of the superseded
 * (`valid: false`: overridden; counted, not listed) and of the entries the
 * model cannot read (left out).
 */
import {
  failedText,
  IAssessmentItem,
  isRecord,
  parseAssessments
} from '../trace';

/** One valid assessment, as the fallbacks show it. */
export interface IFallbackAssessment {
  kind: IAssessmentItem['kind'];
  name: string;
  /** The value's text (the pane's `valueText`); a failed judge's `failedText`. */
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

function shown(item: IAssessmentItem): IFallbackAssessment {
  return {
    kind: item.kind,
    name: item.name,
    valueText: item.error ? failedText(item.error) : item.valueText,
    failed: item.error !== undefined,
    sourceType: item.sourceType,
    sourceId: item.sourceId,
    rationale: item.rationale ?? '',
    spanId: item.spanId ?? null
  };
}

/** The valid assessments of a trace info in its order, and how many are superseded or unreadable. */
export function fallbackAssessments(info: unknown): IFallbackAssessments {
  const list =
    isRecord(info) && Object.prototype.hasOwnProperty.call(info, 'assessments')
      ? info.assessments
      : undefined;
  if (!Array.isArray(list)) {
    return { valid: [], superseded: 0, unreadable: 0 };
  }
  // The model leaves out, with a warning, each entry it cannot read.
  const { items } = parseAssessments(list);
  const valid = items.filter(item => item.valid);
  return {
    valid: valid.map(shown),
    superseded: items.length - valid.length,
    unreadable: list.length - items.length
  };
}
