/**
 * The rules of review mode, pure: which feedback a review writes, when a
 * trace counts as reviewed (a valid HUMAN feedback with the review's name),
 * and the progress text.
 */
import {
  IAssessmentItem,
  isOwnAssessment,
  ITraceInfoV3,
  parseAssessments
} from '../../trace';

/** The feedback a review writes unless the reviewer names another. */
export const DEFAULT_REVIEW_FEEDBACK = 'thumbs_up';

/** The valid HUMAN feedback named `name` of a trace, own ones first. */
export function humanFeedback(
  info: ITraceInfoV3 | undefined,
  name: string,
  user: string | undefined
): IAssessmentItem[] {
  const { items } = parseAssessments(info?.assessments);
  return items
    .filter(
      item =>
        item.kind === 'feedback' &&
        item.valid &&
        item.sourceType === 'HUMAN' &&
        item.name === name
    )
    .sort(
      (a, b) =>
        Number(isOwnAssessment(b, user)) - Number(isOwnAssessment(a, user))
    );
}

/** True when the trace has a valid HUMAN feedback named `name` (the rule of a reviewed trace). */
export function isReviewed(
  info: ITraceInfoV3 | undefined,
  name: string
): boolean {
  return humanFeedback(info, name, undefined).length > 0;
}

/** `12 of 50 reviewed`. */
export function progressText(reviewed: number, total: number): string {
  return `${reviewed} of ${total} reviewed`;
}
