/**
 * Short forms of a trace's labels for the header and the session turns:
 * one chip per current assessment, and the user tags. Pure.
 */
import { assessmentValueText, failedText, parseAssessments } from '../../trace';
import { currentEntries } from './groups';

/** One assessment as a chip: `name: value`, and who said it and why. */
export interface IAssessmentChip {
  text: string;
  detail: string;
}

/** The current (not superseded) assessments of an info's `assessments` as chips. */
export function assessmentChips(assessments: unknown): IAssessmentChip[] {
  const { items } = parseAssessments(assessments);
  return currentEntries(items).map(({ item }) => ({
    text: `${item.name}: ${item.error && item.value === null ? failedText(item.error) : assessmentValueText(item.value)}`,
    detail: [
      item.kind,
      item.sourceId ? `by ${item.sourceId}` : '',
      item.rationale ?? ''
    ]
      .filter(Boolean)
      .join(' · ')
  }));
}

/** User tags: MLflow's own bookkeeping tags (`mlflow.*`) are left out. */
export function userTags(tags: unknown): [string, string][] {
  // Tags come from untrusted outputs: a non-object or non-string value must not reach React as a child.
  if (typeof tags !== 'object' || tags === null) {
    return [];
  }
  return Object.entries(tags)
    .filter(([key]) => !key.startsWith('mlflow.'))
    .map(([key, value]) => [
      key,
      typeof value === 'string' ? value : String(JSON.stringify(value))
    ]);
}
