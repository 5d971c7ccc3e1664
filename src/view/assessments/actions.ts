/**
 * What the assessments pane asks of its host to write: feedback,
 * expectations, edits, overrides, deletes and trace tags. The lab supplies
 * it (src/lab/assessmentWriter.ts); without it the pane is read-only.
 */

/** A new feedback or expectation, on the trace or on one of its spans. */
export interface IFeedbackInput {
  name: string;
  value: unknown;
  rationale?: string;
  /** The span it is about; absent for the trace itself. */
  spanId?: string;
}

/** A write not yet confirmed by the server, or refused by it. */
export interface IPendingWrite {
  id: string;
  traceId: string;
  /** What the write does, in words ("feedback correct = true"). */
  label: string;
  /** The assessment it edits, overrides or deletes. */
  assessmentId?: string;
  /** The trace tag it sets or removes. */
  tagKey?: string;
  status: 'saving' | 'unsaved';
  /** Why it is unsaved. */
  error?: string;
}

/** The writes the pane can ask for, and the state of those under way. */
export interface IAssessmentActions {
  /** The Jupyter user; undefined when unknown. */
  user: string | undefined;
  /** Set when nothing can be written (no server): forms hidden, reason shown. */
  disabledReason?: string;
  /** Shown as "saving…" / "unsaved: <error> [Retry]". */
  pending: readonly IPendingWrite[];
  addFeedback(traceId: string, input: IFeedbackInput): void;
  addExpectation(traceId: string, input: IFeedbackInput): void;
  /** Edits one's own assessment. */
  edit(
    traceId: string,
    assessmentId: string,
    input: { value: unknown; rationale?: string }
  ): void;
  /** Supersedes someone else's assessment with a new one. */
  override(
    traceId: string,
    assessmentId: string,
    input: { value: unknown; rationale?: string }
  ): void;
  /** Deletes one's own assessment. */
  remove(traceId: string, assessmentId: string): void;
  setTag(traceId: string, key: string, value: string): void;
  removeTag(traceId: string, key: string): void;
  retry(writeId: string): void;
}
