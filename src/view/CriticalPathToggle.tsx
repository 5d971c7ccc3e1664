/**
 * The toolbar's "Critical path only" toggle.
 */
import React from 'react';
import { CSS } from './classes';
import { CRITICAL_CSS } from './critical';

export { criticalPathKeep, onCriticalPath } from './critical';

/** Props of {@link CriticalPathToggle}. */
export interface ICriticalPathToggleProps {
  /** True while only the critical path's rows are shown. */
  pressed: boolean;
  onChange: (pressed: boolean) => void;
}

/** A toggle button (aria-pressed) showing only the critical path's rows. */
export function CriticalPathToggle({
  pressed,
  onChange
}: ICriticalPathToggleProps): React.ReactElement {
  return (
    <button
      className={`${CSS.button} ${CRITICAL_CSS.toggle}`}
      aria-pressed={pressed}
      title="Show only the spans on the critical path, the chain that sets the trace's duration"
      onClick={() => onChange(!pressed)}
    >
      Critical path only
    </button>
  );
}
