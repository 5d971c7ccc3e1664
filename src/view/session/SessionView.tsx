/**
 * A session as a conversation: one turn per trace in request-time order,
 * the user's message and the assistant's answer, with the turn's time,
 * status, latency, cost and assessments. Enter or a click on a turn opens
 * its trace. Turns are virtualized; their heights are measured.
 */
import React, { useCallback, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatDurationMs, ISessionTurn } from '../../trace';
import { CSS } from '../classes';
import { formatTimestampMs } from '../format';
import { ITraceListItem, itemCostText } from '../list/listRows';
import { assessmentChips } from '../TraceHeader';
import { sessionTurnsOfItems } from './sessionTurns';

/** A first guess of a turn's height, before it is measured. */
const TURN_ESTIMATE_PX = 110;
const turnEstimate = () => TURN_ESTIMATE_PX;

/** CSS class names of the session view (style/session.css). */
export const SESSION_CSS = {
  root: 'jp-MlflowTraceSession',
  scroller: 'jp-MlflowTraceSession-scroller',
  turn: 'jp-MlflowTraceSession-turn',
  head: 'jp-MlflowTraceSession-head',
  open: 'jp-MlflowTraceSession-open',
  fact: 'jp-MlflowTraceSession-fact',
  chip: 'jp-MlflowTraceSession-chip',
  message: 'jp-MlflowTraceSession-message',
  user: 'jp-MlflowTraceSession-user',
  assistant: 'jp-MlflowTraceSession-assistant',
  role: 'jp-MlflowTraceSession-role'
} as const;

/** Props of {@link SessionView}. */
export interface ISessionViewProps {
  /** The session's rows, in any order: the view orders them by request time. */
  items: readonly ITraceListItem[];
  openedId: string | undefined;
  onOpen: (traceId: string) => void;
  /** Present when more turns can be fetched. */
  onLoadMore?: () => void;
  loadingMore: boolean;
}

/** One turn's header: its number, time, status, latency, cost and assessments. */
function TurnHead(props: {
  index: number;
  turn: ISessionTurn;
  item: ITraceListItem;
  onOpen: () => void;
}): React.ReactElement {
  const { turn, item } = props;
  const chips = assessmentChips(turn.info.assessments);
  return (
    <div className={SESSION_CSS.head}>
      <button
        className={SESSION_CSS.open}
        onClick={event => {
          event.stopPropagation();
          props.onOpen();
        }}
        title={`Open trace ${turn.traceId}`}
      >
        Turn {props.index + 1}
      </button>
      <span className={SESSION_CSS.fact}>
        {formatTimestampMs(turn.requestTimeMs)}
      </span>
      <span
        className={`${SESSION_CSS.fact} ${turn.state === 'ERROR' ? CSS.modError : ''}`}
      >
        {turn.state}
      </span>
      <span className={SESSION_CSS.fact} aria-label="Latency">
        {formatDurationMs(turn.durationMs)}
      </span>
      <span
        className={SESSION_CSS.fact}
        aria-label="Cost"
        title={item.costNote || undefined}
      >
        {itemCostText(item)}
      </span>
      {chips.map((chip, i) => (
        <span key={i} className={SESSION_CSS.chip} title={chip.detail}>
          {chip.text}
        </span>
      ))}
    </div>
  );
}

/** The conversation of a session. */
export function SessionView(props: ISessionViewProps): React.ReactElement {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const turns = useMemo(() => sessionTurnsOfItems(props.items), [props.items]);
  // Keyed by position in the items, so a trace id listed twice is two turns.
  const getItemKey = useCallback((index: number) => turns[index].key, [turns]);
  const virtualizer = useVirtualizer({
    count: turns.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: turnEstimate,
    overscan: 4,
    getItemKey,
    initialRect: { width: 800, height: 400 }
  });
  const { onOpen } = props;
  return (
    <div className={SESSION_CSS.root}>
      <div className={CSS.toolbar}>
        <span className={CSS.searchCount}>
          {turns.length} {turns.length === 1 ? 'turn' : 'turns'}
        </span>
        {props.onLoadMore && (
          <button
            className={CSS.button}
            disabled={props.loadingMore}
            onClick={props.onLoadMore}
          >
            {props.loadingMore ? 'Loading…' : 'Load more turns'}
          </button>
        )}
      </div>
      <div
        className={SESSION_CSS.scroller}
        ref={scrollerRef}
        role="list"
        aria-label="Turns"
      >
        <div
          style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
        >
          {virtualizer.getVirtualItems().map(virtualTurn => {
            const { turn, item } = turns[virtualTurn.index];
            const open = () => onOpen(turn.traceId);
            const classes = [
              SESSION_CSS.turn,
              turn.traceId === props.openedId ? CSS.modSelected : '',
              turn.state === 'ERROR' ? CSS.modError : ''
            ].join(' ');
            return (
              <div
                key={virtualTurn.key}
                ref={virtualizer.measureElement}
                data-index={virtualTurn.index}
                data-trace-id={turn.traceId}
                role="listitem"
                aria-posinset={virtualTurn.index + 1}
                aria-setsize={turns.length}
                aria-current={turn.traceId === props.openedId}
                className={classes}
                style={{ transform: `translateY(${virtualTurn.start}px)` }}
                onClick={open}
              >
                <TurnHead
                  index={virtualTurn.index}
                  turn={turn}
                  item={item}
                  onOpen={open}
                />
                <div className={`${SESSION_CSS.message} ${SESSION_CSS.user}`}>
                  <span className={SESSION_CSS.role}>user</span>
                  {turn.user}
                </div>
                <div
                  className={`${SESSION_CSS.message} ${SESSION_CSS.assistant}`}
                >
                  <span className={SESSION_CSS.role}>assistant</span>
                  {turn.assistant}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
