/**
 * "History (n)": the assessments one superseded (overridden), behind a
 * toggle, each with its value and facts.
 */
import React, { useState } from 'react';
import { IAssessmentItem } from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { Facts, ValueLine } from './Facts';

/** The superseded ones of `item`, oldest last; nothing without any. */
export function HistoryList({
  item,
  history
}: {
  item: IAssessmentItem;
  history: readonly IAssessmentItem[];
}): React.ReactElement | null {
  const [historyOpen, setHistoryOpen] = useState(false);
  if (history.length === 0) {
    return null;
  }
  return (
    <>
      <button
        type="button"
        className={`${CSS.button} ${ASSESSMENT_CSS.history}`}
        aria-expanded={historyOpen}
        onClick={() => setHistoryOpen(!historyOpen)}
      >
        History ({history.length})
      </button>
      {historyOpen && (
        <ol
          className={ASSESSMENT_CSS.history}
          aria-label={`History of ${item.name}`}
        >
          {history.map((old, index) => (
            <li key={old.id ?? index} className={ASSESSMENT_CSS.modSuperseded}>
              <ValueLine item={old} />
              <Facts item={old} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
