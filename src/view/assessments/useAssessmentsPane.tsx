/**
 * The explorer's assessments pane state: the trace's assessments parsed
 * once per info, whether the pane is open, the spans to mark in the tree,
 * and the pane itself.
 */
import React, { useMemo, useState } from 'react';
import { ITrace, parseAssessments, spanIdsWithAssessments } from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { ITreeNavigation } from '../useTreeNavigation';
import { IAssessmentActions } from './actions';
import { AssessmentsPane } from './AssessmentsPane';
import { currentEntries } from './groups';
import { userTags } from './summary';

/** The pane's open state when its host holds it. */
export interface IPaneOpen {
  open: boolean;
  onChange: (open: boolean) => void;
}

/** What the explorer shows of its assessments. */
export interface IAssessmentsPaneState {
  open: boolean;
  toggle: () => void;
  /** Current assessments, for the toolbar's count. */
  count: number;
  /** Spans with valid assessments, marked in the tree. */
  assessed: ReadonlySet<string>;
  /** The toolbar's toggle, "Assessments (N)". */
  toggleButton: React.ReactElement;
  /** The span details, and the pane below or beside them when it is open. */
  beside: (details: React.ReactElement) => React.ReactElement;
}

/** Pane state for `trace`, following the tree's selection. */
export function useAssessmentsPane(
  trace: ITrace,
  traceId: string,
  navigation: Pick<ITreeNavigation, 'selectedId' | 'reveal'>,
  actions: IAssessmentActions | undefined,
  held?: IPaneOpen
): IAssessmentsPaneState {
  const { selectedId, reveal } = navigation;
  const [own, setOwn] = useState(false);
  const open = held ? held.open : own;
  const info = trace.info;
  const parsed = useMemo(() => parseAssessments(info?.assessments), [info]);
  const entries = useMemo(() => currentEntries(parsed.items), [parsed]);
  const assessed = useMemo(
    () => spanIdsWithAssessments(parsed.items),
    [parsed]
  );
  const selected = selectedId ? trace.nodeById.get(selectedId) : undefined;
  const pane = open ? (
    <AssessmentsPane
      traceId={traceId}
      items={parsed.items}
      entries={entries}
      warnings={parsed.warnings}
      tags={userTags(info?.tags ?? {})}
      span={
        selected && { spanId: selected.span.spanId, name: selected.span.name }
      }
      spanName={spanId => trace.nodeById.get(spanId)?.span.name}
      onReveal={reveal}
      actions={actions}
    />
  ) : null;
  const toggle = () => (held ? held.onChange(!held.open) : setOwn(!own));
  return {
    open,
    toggle,
    count: entries.length,
    assessed,
    toggleButton: (
      <button className={CSS.button} aria-pressed={open} onClick={toggle}>
        Assessments ({entries.length})
      </button>
    ),
    // The pane shares the details' column, so the tree keeps its width.
    beside: details =>
      pane ? (
        <div className={ASSESSMENT_CSS.side}>
          {details}
          {pane}
        </div>
      ) : (
        details
      )
  };
}
