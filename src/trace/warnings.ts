/**
 * Warnings the trace model raises about hostile or unusual input.
 *
 * #### Notes
 * The model never throws on bad spans; it repairs what it can and records a
 * warning so the view can show what was repaired.
 */

/** What kind of repair or oddity a warning reports. */
export type TraceWarningKind =
  | 'not-an-array'
  | 'not-a-span'
  | 'missing-id'
  | 'duplicate-id'
  | 'orphan'
  | 'cycle'
  | 'in-progress'
  | 'outside-parent'
  | 'bad-time';

/** One problem found while parsing or linking a trace's spans. */
export interface ITraceWarning {
  kind: TraceWarningKind;
  /** The span concerned (hex id as in `ISpan.spanId`), when there is one. */
  spanId?: string;
  message: string;
}

/** The headline over a trace's warnings: "1 problem in this trace's data …". */
export function problemsHeadline(count: number): string {
  const noun = count === 1 ? 'problem' : 'problems';
  return `${count} ${noun} in this trace's data (every span is still shown)`;
}
