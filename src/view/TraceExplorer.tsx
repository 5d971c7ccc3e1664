/**
 * One trace, explorable: header, toolbar with search, the span tree with
 * its timeline, and the details of the selected span.
 */
import React, { useCallback, useMemo, useRef, useState } from 'react';
import { ITrace, problemsHeadline, summarizeTrace } from '../trace';
import { CSS } from './classes';
import { failedBelowIds } from './rows';
import { searchTrace } from './search';
import { SpanDetails } from './SpanDetails';
import { SpanRows } from './SpanRows';
import { TraceHeader } from './TraceHeader';
import { fullWindow, TimeWindow } from './timeline';
import { useTreeNavigation } from './useTreeNavigation';
import { WarningList } from './WarningList';

/** Props of {@link TraceExplorer}. */
export interface ITraceExplorerProps {
  trace: ITrace;
  /** "Open in MLflow UI" target, when the tracking server is known. */
  uiUrl?: string;
}

/** The explorer of one trace. */
export function TraceExplorer({
  trace,
  uiUrl
}: ITraceExplorerProps): React.ReactElement {
  const summary = useMemo(() => summarizeTrace(trace), [trace]);
  const warningTexts = useMemo(
    () => trace.warnings.map(warning => warning.message),
    [trace]
  );
  const totalMs = (trace.endNs - trace.startNs) / 1e6;
  const navigation = useTreeNavigation(trace);
  // The window the user zoomed to; until then (or after Reset zoom) the whole
  // trace, following it as a polled trace grows.
  const [zoom, setZoom] = useState<TimeWindow | null>(null);
  const full = useMemo(() => fullWindow(totalMs), [totalMs]);
  const window = zoom ?? full;
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);

  const matches = useMemo(() => searchTrace(trace, query), [trace, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const currentMatchId = matches.length
    ? matches[Math.min(matchIndex, matches.length - 1)]
    : undefined;

  const goToMatch = useCallback(
    (index: number) => {
      if (!matches.length) {
        return;
      }
      const wrapped = (index + matches.length) % matches.length;
      setMatchIndex(wrapped);
      navigation.reveal(matches[wrapped]);
    },
    [matches, navigation.reveal]
  );

  const onQueryChange = (value: string) => {
    setQuery(value);
    setMatchIndex(0);
    const first = searchTrace(trace, value)[0];
    if (first) {
      navigation.reveal(first);
    }
  };

  const onRootKeyDown = (event: React.KeyboardEvent) => {
    const inInput = (event.target as HTMLElement).tagName === 'INPUT';
    if (event.key === '/' && !inInput) {
      event.preventDefault();
      searchRef.current?.focus();
    }
  };

  const selected = navigation.selectedId
    ? trace.nodeById.get(navigation.selectedId)
    : undefined;
  return (
    <div className="jp-MlflowTrace-explorer" onKeyDown={onRootKeyDown}>
      <TraceHeader
        summary={summary}
        tags={trace.info?.tags ?? {}}
        assessments={trace.info?.assessments}
        uiUrl={uiUrl}
      />
      <WarningList
        warnings={warningTexts}
        headline={problemsHeadline(warningTexts.length)}
      />
      <div className={CSS.toolbar}>
        <input
          ref={searchRef}
          className={CSS.search}
          type="search"
          placeholder="Search spans (/)"
          aria-label="Search spans"
          value={query}
          onChange={event => onQueryChange(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Enter') {
              goToMatch(matchIndex + (event.shiftKey ? -1 : 1));
            }
          }}
        />
        <span className={CSS.searchCount} aria-live="polite">
          {query
            ? `${matches.length ? Math.min(matchIndex, matches.length - 1) + 1 : 0} of ${matches.length}`
            : ''}
        </span>
        <button
          className={CSS.button}
          onClick={() => goToMatch(matchIndex - 1)}
          disabled={!matches.length}
        >
          Previous
        </button>
        <button
          className={CSS.button}
          onClick={() => goToMatch(matchIndex + 1)}
          disabled={!matches.length}
        >
          Next
        </button>
        <button className={CSS.button} onClick={navigation.expandAll}>
          Expand all
        </button>
        <button className={CSS.button} onClick={navigation.collapseAll}>
          Collapse all
        </button>
        <button className={CSS.button} onClick={() => setZoom(null)}>
          Reset zoom
        </button>
      </div>
      <div className={CSS.body}>
        <SpanRows
          rows={navigation.rows}
          collapsed={navigation.collapsed}
          failedBelow={failedBelowIds(trace)}
          selectedId={navigation.selectedId}
          activeIndex={navigation.activeIndex}
          matches={matchSet}
          currentMatchId={currentMatchId}
          scrollRequest={navigation.scrollRequest}
          window={window}
          totalMs={totalMs}
          onZoom={setZoom}
          onToggle={navigation.toggle}
          onSelectRow={navigation.selectRow}
          onKeyDown={navigation.onKeyDown}
        />
        <SpanDetails node={selected} />
      </div>
    </div>
  );
}
