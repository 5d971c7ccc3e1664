/**
 * One current assessment: its value, source (type in words, id), time,
 * rationale, a failed judge's error, its writes (edit and delete one's own,
 * override someone else's feedback) and the history it superseded.
 */
import React, { useEffect, useRef, useState } from 'react';
import { IAssessmentItem, isOwnAssessment } from '../../trace';
import { ASSESSMENT_CSS, CSS } from '../classes';
import { IAssessmentActions } from './actions';
import { ChangeForm } from './ChangeForm';
import { Facts, ValueLine } from './Facts';
import { IAssessmentEntry } from './groups';
import { HistoryList } from './HistoryList';
import { PendingList } from './PendingList';

/** Props of {@link AssessmentCard}. */
export interface IAssessmentCardProps {
  traceId: string;
  entry: IAssessmentEntry;
  /** False inside a feedback group, which already names the value. */
  showValue: boolean;
  items: readonly IAssessmentItem[];
  /** Given when the pane can write. */
  actions: IAssessmentActions | undefined;
}

type Mode = 'none' | 'edit' | 'override' | 'delete';

/** One assessment and its history. */
export function AssessmentCard(
  props: IAssessmentCardProps
): React.ReactElement {
  const { entry, actions } = props;
  const { item, history } = entry;
  const [mode, setMode] = useState<Mode>('none');
  const cardRef = useRef<HTMLLIElement>(null);
  // The button that opened a form or the confirmation gets focus back after.
  const opener = useRef<Mode>('none');
  useEffect(() => {
    const card = cardRef.current;
    if (mode === 'delete') {
      card?.querySelector<HTMLElement>('[data-action="confirm"]')?.focus();
    } else if (mode === 'none' && opener.current !== 'none') {
      const action = opener.current;
      opener.current = 'none';
      card?.querySelector<HTMLElement>(`[data-action="${action}"]`)?.focus();
    }
    // A form focuses its own value box (ChangeForm).
  }, [mode]);
  const open = (next: Mode) => () => {
    opener.current = next;
    setMode(next);
  };
  const writable = actions && !actions.disabledReason && item.id !== undefined;
  const own = writable && isOwnAssessment(item, actions.user);
  const canOverride = writable && !own && item.kind === 'feedback';
  const done = () => setMode('none');
  const button = (
    label: string,
    onClick: () => void,
    action: Exclude<Mode, 'none'> | 'confirm'
  ) => (
    <button
      type="button"
      className={CSS.button}
      aria-label={`${label} ${item.name}`}
      onClick={onClick}
      data-action={action}
    >
      {label}
    </button>
  );
  return (
    <li
      ref={cardRef}
      className={`${ASSESSMENT_CSS.card} ${item.valid ? '' : ASSESSMENT_CSS.modSuperseded}`}
    >
      {props.showValue && <ValueLine item={item} />}
      <Facts item={item} />
      {mode === 'none' && (own || canOverride) && (
        <div className={ASSESSMENT_CSS.actions}>
          {own && item.kind !== 'issue' && button('Edit', open('edit'), 'edit')}
          {own && button('Delete', open('delete'), 'delete')}
          {canOverride && button('Override', open('override'), 'override')}
        </div>
      )}
      {mode === 'delete' && actions && (
        <div
          className={ASSESSMENT_CSS.actions}
          role="group"
          aria-label="Confirm delete"
        >
          Delete this {item.kind}?
          {button(
            'Delete',
            () => {
              actions.remove(props.traceId, item.id!);
              done();
            },
            'confirm'
          )}
          <button type="button" className={CSS.button} onClick={done}>
            Cancel
          </button>
        </div>
      )}
      {(mode === 'edit' || mode === 'override') && actions && (
        <ChangeForm
          traceId={props.traceId}
          item={item}
          items={props.items}
          mode={mode}
          actions={actions}
          onDone={done}
        />
      )}
      {actions && (
        <PendingList
          writes={actions.pending.filter(
            w =>
              w.traceId === props.traceId &&
              w.assessmentId === item.id &&
              item.id !== undefined
          )}
          actions={actions}
        />
      )}
      <HistoryList item={item} history={history} />
    </li>
  );
}
