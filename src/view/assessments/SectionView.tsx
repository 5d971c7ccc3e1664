/**
 * The assessments about one target (the trace, or the selected span):
 * feedback grouped by name then value with counts, then expectations, then
 * MLflow's issue references.
 */
import React from 'react';
import { formatCount, IAssessmentItem } from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentActions } from './actions';
import { AssessmentCard } from './AssessmentCard';
import { ClippedText } from './Facts';
import {
  IAssessmentEntry,
  IAssessmentSection,
  sourceCountsText
} from './groups';

/** Props of {@link SectionView}. */
export interface ISectionViewProps {
  title: string;
  section: IAssessmentSection;
  traceId: string;
  items: readonly IAssessmentItem[];
  actions: IAssessmentActions | undefined;
  /** Lists notes among the cards (a span's; the trace's have their own section). */
  showNotes?: boolean;
  /** Offers "+" on each feedback name: a new feedback of that name. */
  onAddTo?: (name: string) => void;
}

/** Props every card of a section shares. */
type Shared = Omit<
  ISectionViewProps,
  'title' | 'section' | 'showNotes' | 'onAddTo'
>;

function Cards(props: {
  entries: IAssessmentEntry[];
  showValue: boolean;
  shared: Shared;
}): React.ReactElement | null {
  if (props.entries.length === 0) {
    return null;
  }
  return (
    <ul>
      {props.entries.map((entry, index) => (
        <AssessmentCard
          key={entry.item.id ?? `#${index}`}
          entry={entry}
          showValue={props.showValue}
          {...props.shared}
        />
      ))}
    </ul>
  );
}

/** One target's assessments; "None." when it has none. */
export function SectionView(props: ISectionViewProps): React.ReactElement {
  const { title, section, showNotes, onAddTo, ...shared } = props;
  return (
    <section className={ASSESSMENT_CSS.section} aria-label={title}>
      <h4 className={ASSESSMENT_CSS.title}>
        {title} ({formatCount(section.count)})
      </h4>
      {section.count === 0 && <div className={CSS.notice}>None.</div>}
      {section.feedback.length > 0 && <h5>Feedback</h5>}
      {section.feedback.map(group => (
        <div key={group.name} className={ASSESSMENT_CSS.group}>
          <div className={ASSESSMENT_CSS.heading}>
            {group.name}{' '}
            <span className={ASSESSMENT_CSS.count}>
              ({formatCount(group.count)})
            </span>
            {onAddTo && (
              <button
                type="button"
                className={CSS.button}
                aria-label={`Add feedback ${group.name}`}
                title="Add feedback of this name"
                onClick={() => onAddTo(group.name)}
              >
                +
              </button>
            )}
          </div>
          {group.values.map(value => (
            <div key={value.key}>
              <div>
                <span
                  className={`${ASSESSMENT_CSS.value} ${value.failed ? ASSESSMENT_CSS.error : ''}`}
                >
                  {value.failed ? (
                    // Messages differ within the group: each card says its own.
                    'Judge failed'
                  ) : (
                    <ClippedText text={value.valueText} />
                  )}
                </span>{' '}
                <span className={ASSESSMENT_CSS.count}>
                  ×{formatCount(value.entries.length)} (
                  {sourceCountsText(value.entries)})
                </span>
              </div>
              <Cards
                entries={value.entries}
                showValue={false}
                shared={shared}
              />
            </div>
          ))}
        </div>
      ))}
      {section.expectations.length > 0 && <h5>Expectations</h5>}
      <Cards entries={section.expectations} showValue={true} shared={shared} />
      {showNotes && section.notes.length > 0 && <h5>Notes</h5>}
      {showNotes && (
        <Cards entries={section.notes} showValue={true} shared={shared} />
      )}
      {section.issues.length > 0 && <h5>Issues</h5>}
      <Cards entries={section.issues} showValue={true} shared={shared} />
    </section>
  );
}
