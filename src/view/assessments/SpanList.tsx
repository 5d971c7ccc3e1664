/**
 * "Spans with assessments": each span with current assessments and how
 * many, a button selecting it in the tree (or its id, when the trace does
 * not hold it).
 */
import React from 'react';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentEntry } from './groups';

/** Spans with current assessments, in the order they first appear. */
export function spansOf(
  entries: readonly IAssessmentEntry[]
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { item } of entries) {
    if (item.spanId !== undefined) {
      counts.set(item.spanId, (counts.get(item.spanId) ?? 0) + 1);
    }
  }
  return counts;
}

/** Props of {@link SpanList}. */
export interface ISpanListProps {
  /** Span id → its count of current assessments. */
  spans: ReadonlyMap<string, number>;
  /** The selected span's id. */
  selected: string | undefined;
  /** A span's name, or undefined when the trace has no such span. */
  spanName: (spanId: string) => string | undefined;
  /** Select a span in the tree. */
  onReveal: (spanId: string) => void;
}

/** The list; nothing when no span has assessments. */
export function SpanList(props: ISpanListProps): React.ReactElement | null {
  const { spans } = props;
  if (spans.size === 0) {
    return null;
  }
  return (
    <section
      className={ASSESSMENT_CSS.section}
      aria-label="Spans with assessments"
    >
      <h4 className={ASSESSMENT_CSS.title}>Spans with assessments</h4>
      <ul>
        {[...spans].map(([spanId, count]) => {
          const name = props.spanName(spanId);
          return (
            <li key={spanId}>
              {name === undefined ? (
                `${spanId} (not in this trace) (${count})`
              ) : (
                <button
                  type="button"
                  className={CSS.button}
                  aria-current={spanId === props.selected ? 'true' : undefined}
                  onClick={() => props.onReveal(spanId)}
                >
                  {name} ({count})
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
