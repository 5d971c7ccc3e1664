/**
 * One trace, explorable: header, toolbar with the view switch and search,
 * the span tree with its timeline or the flame graph (one selection and one
 * search for both), the details of the selected span and, on demand, the
 * assessments pane (which writes labels when the host gives actions).
 */
import React, { useCallback, useId, useMemo, useRef, useState } from 'react';
import { ILiveWire, ITrace, problemsHeadline, summarizeTrace } from '../trace';
import { IAssessmentActions } from './assessments/actions';
import {
  IPaneOpen,
  useAssessmentsPane
} from './assessments/useAssessmentsPane';
import { CSS } from './classes';
import { ConversationView } from './conversation/ConversationView';
import { CriticalPathToggle } from './CriticalPathToggle';
import { FlameGraph } from './flame/FlameGraph';
import { AgentGraph } from './graph/AgentGraph';
import {
  ExplorerView,
  IViewChoice,
  ViewSwitch,
  viewTabId
} from './flame/ViewSwitch';
import { LIVE_PHASE_TEXT, liveView } from './live';
import { LiveStatus } from './LiveStatus';
import { LogLevelFilter } from './LogLevelFilter';
import { failedBelowIds } from './rows';
import { searchTrace } from './search';
import { SpanDetails } from './SpanDetails';
import { SpanRows } from './SpanRows';
import { TraceHeader } from './TraceHeader';
import { fullWindow, liveExtentMs, TimeWindow } from './timeline';
import { useLiveClock } from './useLiveClock';
import { useExplorerFilters } from './useExplorerFilters';
import { useTreeNavigation } from './useTreeNavigation';
import { WarningList } from './WarningList';

/** Props of {@link TraceExplorer}. */
export interface ITraceExplorerProps {
  trace: ITrace;
  /** "Open in MLflow UI" target, when the tracking server is known. */
  uiUrl?: string;
  /** Set while the trace is live (its cell runs, or was cut off). */
  live?: ILiveWire;
  /** When `live` arrived (browser clock, Unix ms). */
  receivedAtMs?: number;
  /** Writes of assessments and tags; without it the pane is read-only. */
  actions?: IAssessmentActions;
  /** The pane's open state held by the host (e.g. kept from trace to trace in a review). */
  paneOpen?: IPaneOpen;
  /** The view shown, held by the host; else the explorer keeps it (across refreshes and live updates). */
  view?: IViewChoice;
}

/** The search match the user went to: its place and its span. */
interface IMatch {
  index: number;
  spanId: string | undefined;
}

const NO_MATCH: IMatch = { index: 0, spanId: undefined };

/** Where `match` is among `matches` now: by its span, else by its place. */
function currentMatchIndex(matches: readonly string[], match: IMatch): number {
  const bySpan =
    match.spanId === undefined ? -1 : matches.indexOf(match.spanId);
  return bySpan >= 0
    ? bySpan
    : Math.max(0, Math.min(match.index, matches.length - 1));
}

/** The explorer of one trace. */
export function TraceExplorer({
  trace,
  uiUrl,
  live,
  receivedAtMs,
  actions,
  paneOpen,
  view: heldView
}: ITraceExplorerProps): React.ReactElement {
  const summary = useMemo(() => summarizeTrace(trace), [trace]);
  const warningTexts = useMemo(
    () => trace.warnings.map(warning => warning.message),
    [trace]
  );
  const nowMs = useLiveClock(live, receivedAtMs);
  const moment =
    live && receivedAtMs !== undefined
      ? liveView(trace, live, receivedAtMs, nowMs)
      : undefined;
  // A running trace's extent grows in steps, so bars move only when it outgrows one.
  const totalMs = !moment
    ? (trace.endNs - trace.startNs) / 1e6
    : moment.phase === 'running'
      ? liveExtentMs(moment.nowOffsetMs)
      : moment.nowOffsetMs;
  const filters = useExplorerFilters(trace, moment?.phase === 'running');
  const { keep } = filters;
  // The cursor and the arrow keys walk only the rows the filters keep
  const navigation = useTreeNavigation(trace, keep);
  // The window the user zoomed to; until then (or after Reset zoom) the whole
  // trace, following it as a polled trace grows.
  const [zoom, setZoom] = useState<TimeWindow | null>(null);
  const full = useMemo(() => fullWindow(totalMs), [totalMs]);
  const window = zoom ?? full;
  const [query, setQuery] = useState('');
  const [match, setMatch] = useState<IMatch>(NO_MATCH);
  const searchRef = useRef<HTMLInputElement>(null);
  const assessments = useAssessmentsPane(
    trace,
    summary.traceId,
    navigation,
    actions,
    paneOpen
  );

  const [ownView, setOwnView] = useState<ExplorerView>('tree');
  const view = heldView ? heldView.view : ownView;
  const setView = heldView ? heldView.onChange : setOwnView;
  const idPrefix = `jp-MlflowTrace-${useId().replace(/:/g, '')}`;

  const matches = useMemo(() => searchTrace(trace, query), [trace, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  // The current match is kept by span id: an update may add matches before it.
  const matchIndex = currentMatchIndex(matches, match);
  const currentMatchId = matches[matchIndex];

  const goToMatch = useCallback(
    (index: number) => {
      if (!matches.length) {
        return;
      }
      const wrapped = (index + matches.length) % matches.length;
      setMatch({ index: wrapped, spanId: matches[wrapped] });
      navigation.reveal(matches[wrapped]);
    },
    [matches, navigation.reveal]
  );

  const onQueryChange = (value: string) => {
    setQuery(value);
    setMatch(NO_MATCH);
    const first = searchTrace(trace, value)[0];
    if (first) {
      navigation.reveal(first);
    }
  };

  const onRootKeyDown = (event: React.KeyboardEvent) => {
    // The pane's forms take '/' as text (a rationale, a JSON value).
    const inInput = ['INPUT', 'TEXTAREA', 'SELECT'].includes(
      (event.target as HTMLElement).tagName
    );
    if (event.key === '/' && !inInput) {
      event.preventDefault();
      searchRef.current?.focus();
    }
  };

  const selected = navigation.selectedId
    ? trace.nodeById.get(navigation.selectedId)
    : undefined;
  return (
    <div
      className="jp-MlflowTrace-explorer"
      onKeyDown={onRootKeyDown}
      data-live-sequence={moment?.sequence}
    >
      <TraceHeader
        summary={
          // A live trace's duration runs to the moment drawn (as its fallbacks say).
          moment ? { ...summary, durationMs: moment.nowOffsetMs } : summary
        }
        tags={trace.info?.tags ?? {}}
        assessments={trace.info?.assessments}
        uiUrl={uiUrl}
        live={moment && <LiveStatus view={moment} />}
        stateText={moment && LIVE_PHASE_TEXT[moment.phase].traceState}
        onOpenAssessments={assessments.open ? undefined : assessments.toggle}
        criticalContributors={filters.contributors}
      />
      <WarningList
        warnings={warningTexts}
        headline={problemsHeadline(warningTexts.length)}
      />
      <div className={CSS.toolbar}>
        <ViewSwitch
          view={view}
          onChange={setView}
          idPrefix={idPrefix}
          panelId={`${idPrefix}-view`}
        />
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
            ? `${matches.length ? matchIndex + 1 : 0} of ${matches.length}`
            : ''}
        </span>
        {/* Arrows, not words: the toolbar fits a narrow output in two rows */}
        <button
          className={CSS.button}
          onClick={() => goToMatch(matchIndex - 1)}
          disabled={!matches.length}
          aria-label="Previous match"
          title="Previous match (Shift+Enter)"
        >
          ↑
        </button>
        <button
          className={CSS.button}
          onClick={() => goToMatch(matchIndex + 1)}
          disabled={!matches.length}
          aria-label="Next match"
          title="Next match (Enter)"
        >
          ↓
        </button>
        {view === 'tree' && (
          <>
            <button className={CSS.button} onClick={navigation.expandAll}>
              Expand all
            </button>
            <button className={CSS.button} onClick={navigation.collapseAll}>
              Collapse all
            </button>
            <button className={CSS.button} onClick={() => setZoom(null)}>
              Reset zoom
            </button>
          </>
        )}
        <CriticalPathToggle
          pressed={filters.criticalOnly}
          onChange={filters.setCriticalOnly}
        />
        <LogLevelFilter
          minLevel={filters.minLevel}
          onChange={filters.setMinLevel}
          hidden={filters.hiddenByLevel}
        />
        {assessments.toggleButton}
      </div>
      <div
        className={CSS.body}
        id={`${idPrefix}-view`}
        role="tabpanel"
        aria-labelledby={viewTabId(idPrefix, view)}
      >
        {view === 'graph' ? (
          <AgentGraph
            trace={trace}
            selectedId={navigation.selectedId}
            onSelectSpan={navigation.reveal}
            matches={query ? matchSet : undefined}
          />
        ) : view === 'conversation' ? (
          <ConversationView
            trace={trace}
            selectedId={navigation.selectedId}
            onSelectSpan={navigation.reveal}
          />
        ) : view === 'flame' ? (
          <FlameGraph
            trace={trace}
            totalMs={totalMs}
            selectedId={navigation.selectedId}
            matches={query ? matchSet : undefined}
            currentMatchId={query ? currentMatchId : undefined}
            critical={filters.path?.spanIds}
            shown={keep}
            onSelect={navigation.reveal}
          />
        ) : (
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
            live={moment}
            assessed={assessments.assessed}
            critical={filters.path}
          />
        )}
        {assessments.beside(
          <SpanDetails node={selected} live={moment} uiUrl={uiUrl} />
        )}
      </div>
    </div>
  );
}
