/**
 * The header line of a live trace: what runs now and for how long, or
 * when it stopped updating, or when and why it was interrupted.
 */
import React from 'react';
import { formatCount, formatDurationMs } from '../trace';
import { CSS } from './classes';
import { formatClockMs } from './format';
import { ILiveView, spansOmittedText } from './live';

/** Props of {@link LiveStatus}. */
export interface ILiveStatusProps {
  view: ILiveView;
}

/**
 * "running 42 s, in `retrieve`", "ended, the final trace follows",
 * "stopped updating at 12:03:04", "interrupted at 12:03:04 (reason)".
 */
export function LiveStatus({ view }: ILiveStatusProps): React.ReactElement {
  const omitted =
    view.spansOmitted > 0 ? ` · ${spansOmittedText(view.spansOmitted)}` : '';
  if (view.phase === 'running' && view.openIds.size === 0) {
    return (
      <span className={`${CSS.liveStatus} ${CSS.modRunning}`} role="status">
        ended, the final trace follows{omitted}
      </span>
    );
  }
  if (view.phase === 'running') {
    return (
      <span className={`${CSS.liveStatus} ${CSS.modRunning}`} role="status">
        running {formatDurationMs(view.nowOffsetMs)}
        {view.runningNow && (
          <>
            , in <code>{view.runningNow.span.name}</code>
          </>
        )}
        {omitted}
      </span>
    );
  }
  if (view.phase === 'stale') {
    return (
      <span className={`${CSS.liveStatus} ${CSS.modWarning}`} role="status">
        stopped updating at {formatClockMs(view.atMs)}
        {omitted}
      </span>
    );
  }
  const cutOff = view.openIds.size;
  return (
    <span className={`${CSS.liveStatus} ${CSS.modError}`} role="status">
      interrupted at {formatClockMs(view.atMs)}
      {view.reason ? ` (${view.reason})` : ''}
      {cutOff > 0 && ` · ${formatCount(cutOff)} cut off`}
      {omitted}
    </span>
  );
}
