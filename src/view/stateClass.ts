/**
 * The class of a trace-state badge: one constant per known state, so the
 * state text (untrusted) never becomes part of a class attribute.
 */
import type { TraceState } from '../trace';

/** Badge classes of the states MLflow defines (style/base.css). */
const STATE_CLASSES: Readonly<Record<TraceState, string>> = {
  OK: 'jp-MlflowTrace-state-OK',
  ERROR: 'jp-MlflowTrace-state-ERROR',
  IN_PROGRESS: 'jp-MlflowTrace-state-IN_PROGRESS',
  STATE_UNSPECIFIED: 'jp-MlflowTrace-state-STATE_UNSPECIFIED'
};

/** The neutral badge class of any other state (its text is still shown). */
export const OTHER_STATE_CLASS = 'jp-MlflowTrace-state-other';

/** The badge class of `state`: its own for a known state, else the neutral one. */
export function stateClass(state: unknown): string {
  return typeof state === 'string' &&
    Object.prototype.hasOwnProperty.call(STATE_CLASSES, state)
    ? STATE_CLASSES[state as TraceState]
    : OTHER_STATE_CLASS;
}
