/**
 * Problems that were worked around, folded under one line: the count, then
 * each problem as text when opened; and problems that lose data, each an
 * alert. Both show at most MAX_SHOWN, then how many more there are.
 */
import React from 'react';
import { CSS } from './classes';

// Beyond this many, the list says how many more there are.
const MAX_SHOWN = 50;

/** Props of {@link WarningList}. */
export interface IWarningListProps {
  warnings: readonly string[];
  /** The folded line, e.g. "2 problems in this output (…)". */
  headline: string;
}

/** The headline over an output's decoder warnings. */
export function outputProblemsHeadline(count: number): string {
  const noun = count === 1 ? 'problem' : 'problems';
  return `${count} ${noun} in this output's data (worked around; everything else is still shown)`;
}

/** The headline, opening to the list of problems; nothing when there is none. */
export function WarningList({
  warnings,
  headline
}: IWarningListProps): React.ReactElement | null {
  if (warnings.length === 0) {
    return null;
  }
  const hidden = warnings.length - MAX_SHOWN;
  return (
    <details className={`${CSS.notice} ${CSS.modWarning}`}>
      <summary>{headline}</summary>
      <ul>
        {warnings.slice(0, MAX_SHOWN).map((warning, index) => (
          <li key={index}>{warning}</li>
        ))}
        {hidden > 0 && <li>… and {hidden} more</li>}
      </ul>
    </details>
  );
}

/** Props of {@link ErrorList}. */
export interface IErrorListProps {
  errors: readonly string[];
}

/**
 * Problems that lose data, each an alert: the first MAX_SHOWN, then one
 * saying how many more there are (a bundle can hold thousands).
 */
export function ErrorList({ errors }: IErrorListProps): React.ReactElement {
  const hidden = errors.length - MAX_SHOWN;
  const className = `${CSS.notice} ${CSS.modError}`;
  return (
    <>
      {errors.slice(0, MAX_SHOWN).map((error, index) => (
        <div key={index} className={className} role="alert">
          {error}
        </div>
      ))}
      {hidden > 0 && (
        <div className={className} role="alert">
          {`… and ${hidden} more`}
        </div>
      )}
    </>
  );
}
