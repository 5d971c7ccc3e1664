/**
 * A write the tracking server confirmed, applied to a TraceInfoV3 the way
 * MLflow's store applies it, so an output shows (and saves) what the server
 * now holds without fetching the trace again. Pure: every function returns a
 * new info and leaves its argument alone.
 *
 * #### Notes
 * Checked against `mlflow server` 3.17.2: creating an assessment with
 * `overrides: <id>` marks that one `valid: false`; deleting the overriding
 * one marks the overridden one `valid: true` again.
 */
import { IAssessment, ITraceInfoV3 } from './wire';

/** `info` with `assessment` (the server's answer to a create) added; an override supersedes the one it names. */
export function addAssessment(
  info: ITraceInfoV3,
  assessment: IAssessment
): ITraceInfoV3 {
  const others = (info.assessments ?? []).filter(
    item => !sameId(item, assessment.assessment_id)
  );
  const superseded = assessment.overrides;
  return {
    ...info,
    assessments: [
      ...others.map(item =>
        superseded !== undefined && item.assessment_id === superseded
          ? { ...item, valid: false }
          : item
      ),
      assessment
    ]
  };
}

/** `info` with the assessment of the same id replaced by `assessment` (the server's answer to an update). */
export function replaceAssessment(
  info: ITraceInfoV3,
  assessment: IAssessment
): ITraceInfoV3 {
  const list = info.assessments ?? [];
  if (!list.some(item => sameId(item, assessment.assessment_id))) {
    // Not in this info (e.g. it was shown before a refresh): added, as the server holds it.
    return addAssessment(info, assessment);
  }
  return {
    ...info,
    assessments: list.map(item =>
      sameId(item, assessment.assessment_id) ? assessment : item
    )
  };
}

/** `info` without the assessment `assessmentId`; the one it overrode is valid again. */
export function removeAssessment(
  info: ITraceInfoV3,
  assessmentId: string
): ITraceInfoV3 {
  const list = info.assessments ?? [];
  const removed = list.find(item => item.assessment_id === assessmentId);
  if (!removed) {
    return info;
  }
  const restored = removed.overrides;
  return {
    ...info,
    assessments: list
      .filter(item => item !== removed)
      .map(item =>
        restored !== undefined && item.assessment_id === restored
          ? { ...item, valid: true }
          : item
      )
  };
}

/** `info` with tag `key` set to `value`. */
export function setTraceTag(
  info: ITraceInfoV3,
  key: string,
  value: string
): ITraceInfoV3 {
  return { ...info, tags: { ...(info.tags ?? {}), [key]: value } };
}

/** `info` without tag `key`. */
export function removeTraceTag(info: ITraceInfoV3, key: string): ITraceInfoV3 {
  if (!info.tags || !Object.prototype.hasOwnProperty.call(info.tags, key)) {
    return info;
  }
  const tags = { ...info.tags };
  delete tags[key];
  return { ...info, tags };
}

function sameId(item: IAssessment, id: string | undefined): boolean {
  return id !== undefined && item.assessment_id === id;
}
