/**
 * Problems that were worked around, folded under one line: the count, then
 * each problem as text when opened.
 */
import React from 'react';
import { CSS } from './classes';

// Beyond this many, the list says how many more there are.
const MAX_SHOWN = 50;

/** Props of {@link WarningList}. */
export interface IWarningListProps {
  warnings: readonly string[];
  /** What the problems are in, e.g. "this output's bundle". */
  about: string;
}

/** "N problems in …", opening to the list; nothing when there is none. */
export function WarningList({
  warnings,
  about
}: IWarningListProps): React.ReactElement | null {
  if (warnings.length === 0) {
    return null;
  }
  const count = warnings.length;
  const hidden = count - MAX_SHOWN;
  return (
    <details className={`${CSS.notice} ${CSS.modWarning}`}>
      <summary>
        {count} {count === 1 ? 'problem' : 'problems'} in {about} (worked
        around; everything else is still shown)
      </summary>
      <ul>
        {warnings.slice(0, MAX_SHOWN).map((warning, index) => (
          <li key={index}>{warning}</li>
        ))}
        {hidden > 0 && <li>… and {hidden} more</li>}
      </ul>
    </details>
  );
}
