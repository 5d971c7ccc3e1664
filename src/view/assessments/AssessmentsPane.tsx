/**
 * The assessments pane beside the span tree: the trace's own assessments,
 * the selected span's, any on spans this trace does not hold, the spans
 * that have some, and the trace's tags; with the forms that write them
 * when the host gives actions.
 */
import React, { useState } from 'react';
import { IAssessmentItem } from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentActions } from './actions';
import { AddForm } from './AddForm';
import { IAssessmentEntry, sectionOf } from './groups';
import { NotesView } from './NotesView';
import { PendingList } from './PendingList';
import { SpanList, spansOf } from './SpanList';
import { SectionView } from './SectionView';
import { TagsEditor } from './TagsEditor';

/** Props of {@link AssessmentsPane}. */
export interface IAssessmentsPaneProps {
  traceId: string;
  items: readonly IAssessmentItem[];
  entries: readonly IAssessmentEntry[];
  warnings: readonly string[];
  tags: [string, string][];
  /** The selected span. */
  span: { spanId: string; name: string } | undefined;
  /** A span's name, or undefined when the trace has no such span. */
  spanName: (spanId: string) => string | undefined;
  /** Select a span in the tree. */
  onReveal: (spanId: string) => void;
  actions: IAssessmentActions | undefined;
}

/** The pane. */
export function AssessmentsPane(
  props: IAssessmentsPaneProps
): React.ReactElement {
  const { traceId, items, entries, actions, span } = props;
  const writable = actions !== undefined && !actions.disabledReason;
  const shared = { traceId, items, actions };
  // "+" on a feedback name starts the form on it (a new key remounts the form).
  const [prefill, setPrefill] = useState({ key: 0, name: '', onSpan: false });
  const [adding, setAdding] = useState(false);
  const addTo = (onSpan: boolean) => (name: string) => {
    setPrefill(old => ({ key: old.key + 1, name, onSpan }));
    setAdding(true);
  };
  const traceSection = sectionOf(entries, undefined);
  const spans = spansOf(entries);
  const unknownSpans = [...spans.keys()].filter(
    id => props.spanName(id) === undefined
  );
  // Writes that belong to no card or tag shown here: new assessments, and
  // edits of assessments no longer listed.
  const ids = new Set(items.map(item => item.id));
  const unplaced = (actions?.pending ?? []).filter(
    w =>
      w.traceId === traceId &&
      w.tagKey === undefined &&
      (w.assessmentId === undefined || !ids.has(w.assessmentId))
  );
  return (
    <aside className={ASSESSMENT_CSS.pane} aria-label="Assessments">
      <h3 className={CSS.detailsTitle}>Assessments</h3>
      {props.warnings.map((warning, index) => (
        <div
          key={index}
          className={`${CSS.notice} ${CSS.modWarning}`}
          role="note"
        >
          {warning}
        </div>
      ))}
      {actions?.disabledReason && (
        <div className={CSS.notice} role="note">
          Read-only: {actions.disabledReason}
        </div>
      )}
      {actions && <PendingList writes={unplaced} actions={actions} />}
      {writable && (
        <button
          type="button"
          className={CSS.button}
          aria-expanded={adding}
          onClick={() => setAdding(!adding)}
        >
          Add feedback or expectation
        </button>
      )}
      {writable && adding && (
        <AddForm
          key={prefill.key}
          traceId={traceId}
          items={items}
          actions={actions}
          span={span}
          initial={prefill.key ? prefill : undefined}
        />
      )}
      <SectionView
        title="Trace"
        section={traceSection}
        onAddTo={writable ? addTo(false) : undefined}
        {...shared}
      />
      <NotesView
        traceId={traceId}
        notes={traceSection.notes}
        actions={actions}
      />
      {span ? (
        <SectionView
          title={`Span ${span.name}`}
          section={sectionOf(entries, span.spanId)}
          showNotes={true}
          onAddTo={writable ? addTo(true) : undefined}
          {...shared}
        />
      ) : (
        <div className={CSS.notice}>Select a span to see its assessments.</div>
      )}
      <SpanList
        spans={spans}
        selected={span?.spanId}
        spanName={props.spanName}
        onReveal={props.onReveal}
      />
      {unknownSpans.map(spanId => (
        <SectionView
          key={spanId}
          title={`Span ${spanId} (not in this trace)`}
          section={sectionOf(entries, spanId)}
          showNotes={true}
          {...shared}
        />
      ))}
      <TagsEditor traceId={traceId} tags={props.tags} actions={actions} />
    </aside>
  );
}
