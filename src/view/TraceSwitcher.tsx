/**
 * A compact switcher between the traces of one output.
 */
import React from 'react';
import { CSS } from './classes';
import { stateClass } from './stateClass';
import { formatDurationMs } from '../trace';

/** What the switcher shows of each trace. */
export interface ISwitcherItem {
  key: string;
  name: string;
  state: string;
  durationMs: number | null;
}

/** Props of {@link TraceSwitcher}. */
export interface ITraceSwitcherProps {
  items: ISwitcherItem[];
  activeIndex: number;
  onSelect: (index: number) => void;
}

/** One tab per trace: name, status and duration. */
export function TraceSwitcher({
  items,
  activeIndex,
  onSelect
}: ITraceSwitcherProps): React.ReactElement {
  return (
    <div
      className={CSS.switcher}
      role="tablist"
      aria-label="Traces in this output"
    >
      {items.map((item, index) => (
        <button
          key={item.key}
          role="tab"
          aria-selected={index === activeIndex}
          className={`${CSS.button} ${index === activeIndex ? CSS.modSelected : ''}`}
          onClick={() => onSelect(index)}
        >
          <span className={`jp-MlflowTrace-state ${stateClass(item.state)}`}>
            {item.state}
          </span>{' '}
          {item.name}{' '}
          <span className={CSS.duration}>
            {formatDurationMs(item.durationMs)}
          </span>
        </button>
      ))}
    </div>
  );
}
