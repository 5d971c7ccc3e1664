/**
 * Everything one output shows: problems with the bundle, a switcher when
 * the output holds several traces, and the active trace (or its loading
 * state or error, with Retry).
 */
import React, { useState } from 'react';
import { formatCount, ILiveWire, ITrace, summarizeTrace } from '../trace';
import type { IAssessmentActions } from './assessments/actions';
import { CSS } from './classes';
import { ErrorBoundary } from './ErrorBoundary';
import { CompareView } from './list/CompareView';
import type { ExplorerView } from './flame/ViewSwitch';
import { TraceExplorer } from './TraceExplorer';
import { ISwitcherItem, TraceSwitcher } from './TraceSwitcher';
import { Notes } from './Notes';
import { outputProblemsHeadline, WarningList } from './WarningList';

/** One trace of the output, in whatever state its data is. */
export interface ITraceEntry {
  traceId: string;
  trace?: ITrace;
  loading: boolean;
  /** What failed and where, e.g. "Trace tr-… not found on http://…". */
  error?: string;
  uiUrl?: string;
  /** Set when the kernel shortened long values to fit the output. */
  truncatedAtChars?: number;
  /** Set while the trace is live: the kernel updates it in place. */
  live?: ILiveWire;
  /** When `live` arrived (browser clock, Unix ms). */
  receivedAtMs?: number;
}

/** Props of {@link TraceOutput}. */
export interface ITraceOutputProps {
  entries: ITraceEntry[];
  /** Problems found in the bundle itself. */
  notices: string[];
  /** Problems of the bundle that were worked around (the decoder's warnings). */
  warnings?: readonly string[];
  /** Where the data comes from, e.g. another server than the output names. */
  notes?: readonly string[];
  /** The output's text/plain, shown in place of a view that fails. */
  fallbackText?: string;
  /** Present when a tracking server is known: fetch the trace again. */
  onRefresh?: (index: number) => void;
  /** Show the two traces side by side (the bundle's `compare`). */
  compare?: boolean;
  /** Present when labels can be written from the assessments pane. */
  actions?: IAssessmentActions;
}

// Keyed by position too: one output may hold the same trace twice (a self-comparison).
function switcherItem(entry: ITraceEntry, index: number): ISwitcherItem {
  if (!entry.trace) {
    return {
      key: `${index}:${entry.traceId}`,
      name: entry.traceId,
      state: entry.error ? 'ERROR' : '…',
      durationMs: null
    };
  }
  const summary = summarizeTrace(entry.trace);
  return {
    key: `${index}:${entry.traceId}`,
    name: summary.name,
    state: summary.state,
    durationMs: summary.durationMs
  };
}

/** The content of a trace output. */
export function TraceOutput({
  entries,
  notices,
  onRefresh,
  compare,
  actions,
  warnings = [],
  notes = [],
  fallbackText
}: ITraceOutputProps): React.ReactElement {
  const [activeIndex, setActiveIndex] = useState(0);
  // One view for the output: switching to another of its traces keeps it.
  const [view, setView] = useState<ExplorerView>('tree');
  const [separate, setSeparate] = useState(false);
  const pair =
    compare && entries.length === 2 && entries[0].trace && entries[1].trace;
  if (pair && !separate) {
    return (
      <>
        <div className={CSS.toolbar}>
          <button className={CSS.button} onClick={() => setSeparate(true)}>
            Show each trace
          </button>
        </div>
        <Notes notes={notes} />
        <WarningList
          warnings={warnings}
          headline={outputProblemsHeadline(warnings.length)}
        />
        <ErrorBoundary
          traceIds={[entries[0].traceId, entries[1].traceId]}
          fallbackText={fallbackText}
          resetKey={entries}
        >
          <CompareView left={entries[0].trace!} right={entries[1].trace!} />
        </ErrorBoundary>
      </>
    );
  }
  const index = Math.min(activeIndex, entries.length - 1);
  const entry = entries[index];
  return (
    <>
      {notices.map((notice, noticeIndex) => (
        <div
          key={noticeIndex}
          className={`${CSS.notice} ${CSS.modError}`}
          role="alert"
        >
          {notice}
        </div>
      ))}
      <Notes notes={notes} />
      <WarningList
        warnings={warnings}
        headline={outputProblemsHeadline(warnings.length)}
      />
      {entries.length > 1 && (
        <TraceSwitcher
          items={entries.map(switcherItem)}
          activeIndex={index}
          onSelect={setActiveIndex}
        />
      )}
      {entry && (
        <div className="jp-MlflowTrace-entry">
          {(entry.loading ||
            entry.error ||
            entry.truncatedAtChars ||
            onRefresh) && (
            <div className={CSS.toolbar}>
              {entry.loading && (
                <span className={CSS.notice} role="status">
                  Loading trace {entry.traceId}…
                </span>
              )}
              {entry.error && (
                <span className={`${CSS.notice} ${CSS.modError}`} role="alert">
                  {entry.error}
                </span>
              )}
              {entry.truncatedAtChars !== undefined && (
                <span className={`${CSS.notice} ${CSS.modWarning}`}>
                  Values longer than {formatCount(entry.truncatedAtChars)}{' '}
                  characters were shortened to fit the notebook.
                </span>
              )}
              {onRefresh &&
                !entry.loading &&
                entry.live?.status !== 'running' && (
                  <button
                    className={CSS.button}
                    onClick={() => onRefresh(index)}
                  >
                    {entry.error
                      ? 'Retry'
                      : entry.trace
                        ? 'Refresh from server'
                        : 'Load'}
                  </button>
                )}
            </div>
          )}
          {entry.trace && (
            <ErrorBoundary
              key={entry.traceId}
              traceIds={[entry.traceId]}
              fallbackText={fallbackText}
              resetKey={entry.trace}
            >
              <TraceExplorer
                trace={entry.trace}
                uiUrl={entry.uiUrl}
                live={entry.live}
                receivedAtMs={entry.receivedAtMs}
                actions={actions}
                view={{ view, onChange: setView }}
              />
            </ErrorBoundary>
          )}
        </div>
      )}
    </>
  );
}
