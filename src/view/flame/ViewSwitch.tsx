/**
 * The explorer's view switch: a tab list of the views of one trace, reached
 * with Tab and moved along with the arrow keys, Home and End.
 */
import React, { useRef } from 'react';
import { FLAME_CSS } from './classes';

/** The views of the explorer. */
export const EXPLORER_VIEWS = [
  { id: 'tree', label: 'Tree + timeline' },
  { id: 'flame', label: 'Flame graph' },
  { id: 'graph', label: 'Agent graph' },
  { id: 'conversation', label: 'Conversation' }
] as const;

/** One of {@link EXPLORER_VIEWS}. */
export type ExplorerView = (typeof EXPLORER_VIEWS)[number]['id'];

/** The view shown, when the explorer's host holds it (kept per output). */
export interface IViewChoice {
  view: ExplorerView;
  onChange: (view: ExplorerView) => void;
}

/** The id of the tab of `view` within the explorer `idPrefix`. */
export function viewTabId(idPrefix: string, view: ExplorerView): string {
  return `${idPrefix}-tab-${view}`;
}

/** Props of {@link ViewSwitch}. */
export interface IViewSwitchProps {
  view: ExplorerView;
  onChange: (view: ExplorerView) => void;
  /** Unique per explorer: the tabs' ids. */
  idPrefix: string;
  /** The id of the panel the tabs control. */
  panelId: string;
}

/** The segmented control choosing the explorer's view. */
export function ViewSwitch({
  view,
  onChange,
  idPrefix,
  panelId
}: IViewSwitchProps): React.ReactElement {
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const current = EXPLORER_VIEWS.findIndex(item => item.id === view);
  const moveTo = (index: number) => {
    const wrapped = (index + EXPLORER_VIEWS.length) % EXPLORER_VIEWS.length;
    onChange(EXPLORER_VIEWS[wrapped].id);
    tabs.current[wrapped]?.focus();
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const target = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      Home: 0,
      End: EXPLORER_VIEWS.length - 1
    }[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    }
  };
  return (
    <div
      className={FLAME_CSS.viewSwitch}
      role="tablist"
      aria-label="Trace view"
      onKeyDown={onKeyDown}
    >
      {EXPLORER_VIEWS.map((item, index) => (
        <button
          key={item.id}
          ref={element => {
            tabs.current[index] = element;
          }}
          id={viewTabId(idPrefix, item.id)}
          role="tab"
          aria-selected={item.id === view}
          aria-controls={panelId}
          tabIndex={item.id === view ? 0 : -1}
          onClick={() => onChange(item.id)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
