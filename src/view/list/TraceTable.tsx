/**
 * The result table of a trace query: sortable columns, a filter box, an
 * errors-only toggle, "Load more", and row selection to open or compare.
 * Rows are virtualized, so 10,000 results stay smooth.
 */
import React, { useCallback, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { CSS } from '../classes';
import { formatCount, formatDurationMs } from '../../trace';
import { formatTimestampMs } from '../format';
import {
  filterItems,
  IListSort,
  itemCostText,
  itemKeys,
  ITraceListItem,
  ListColumn,
  sortItems
} from './listRows';
import { groupBySession, sessionHeadingText, traceRows } from './sessionGroups';

const ROW_HEIGHT_PX = 26;
const rowHeight = () => ROW_HEIGHT_PX;

const COLUMNS: {
  column: ListColumn;
  title: string;
  format: (item: ITraceListItem) => string;
  /** A cell's tooltip, when it has more to say than its text. */
  detail?: (item: ITraceListItem) => string | undefined;
}[] = [
  { column: 'traceId', title: 'Trace id', format: item => item.traceId },
  { column: 'name', title: 'Name', format: item => item.name },
  { column: 'state', title: 'Status', format: item => item.state },
  {
    column: 'requestTimeMs',
    title: 'Request time',
    format: item => formatTimestampMs(item.requestTimeMs)
  },
  {
    column: 'durationMs',
    title: 'Duration',
    format: item => formatDurationMs(item.durationMs)
  },
  {
    column: 'totalTokens',
    title: 'Tokens',
    format: item =>
      item.totalTokens === null ? '' : formatCount(item.totalTokens)
  },
  {
    column: 'cost',
    title: 'Cost',
    format: itemCostText,
    detail: item => item.costNote || undefined
  },
  { column: 'session', title: 'Session', format: item => item.session },
  { column: 'user', title: 'User', format: item => item.user },
  { column: 'tags', title: 'Tags', format: item => item.tags },
  { column: 'request', title: 'Request', format: item => item.request },
  { column: 'response', title: 'Response', format: item => item.response }
];

/** Props of {@link TraceTable}. */
export interface ITraceTableProps {
  items: ITraceListItem[];
  /** Present when more results can be fetched. */
  onLoadMore?: () => void;
  loadingMore: boolean;
  openedId: string | undefined;
  onOpen: (traceId: string) => void;
  onCompare: (leftId: string, rightId: string) => void;
  /** Present to offer each session heading's rows as a conversation. */
  onOpenSession?: (sessionId: string) => void;
  /** The sort it starts with; newest first when absent. */
  initialSort?: IListSort;
}

/** The trace table. */
export function TraceTable(props: ITraceTableProps): React.ReactElement {
  const [sort, setSort] = useState<IListSort>(
    props.initialSort ?? { column: 'requestTimeMs', descending: true }
  );
  const [filter, setFilter] = useState('');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [bySession, setBySession] = useState(false);
  // Row keys, not trace ids: a trace id listed twice is two rows to pick.
  const [picked, setPicked] = useState<string[]>([]);
  const scrollerRef = useRef<HTMLDivElement>(null);

  const shown = useMemo(
    () => sortItems(filterItems(props.items, filter, errorsOnly), sort),
    [props.items, filter, errorsOnly, sort]
  );
  // Unique even when trace ids repeat: a duplicate key would drop a row.
  const keys = useMemo(() => itemKeys(props.items), [props.items]);
  const rows = useMemo(
    () => (bySession ? groupBySession : traceRows)(shown, keys),
    [bySession, shown, keys]
  );
  // Stable between renders, or the virtualizer re-measures every row on each frame.
  const getItemKey = useCallback((index: number) => rows[index].key, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: rowHeight,
    overscan: 8,
    getItemKey,
    initialRect: { width: 800, height: 300 }
  });

  const itemOfKey = useMemo(
    () => new Map([...keys].map(([item, key]) => [key, item])),
    [keys]
  );
  const pickedItems = picked
    .map(key => itemOfKey.get(key))
    .filter((item): item is ITraceListItem => item !== undefined);
  const togglePick = (key: string) =>
    setPicked(previous =>
      previous.includes(key)
        ? previous.filter(k => k !== key)
        : [...previous, key].slice(-2)
    );
  const sortBy = (column: ListColumn) =>
    setSort(previous => ({
      column,
      descending: previous.column === column ? !previous.descending : false
    }));

  return (
    <div className="jp-MlflowTraceList-table">
      <div className={CSS.toolbar}>
        <input
          className={CSS.search}
          type="search"
          placeholder="Filter traces"
          aria-label="Filter traces"
          value={filter}
          onChange={event => setFilter(event.target.value)}
        />
        <label>
          <input
            type="checkbox"
            checked={errorsOnly}
            onChange={event => setErrorsOnly(event.target.checked)}
          />{' '}
          Errors only
        </label>
        <label>
          <input
            type="checkbox"
            checked={bySession}
            onChange={event => setBySession(event.target.checked)}
          />{' '}
          Group by session
        </label>
        <span className={CSS.searchCount}>
          {shown.length} of {props.items.length} traces
        </span>
        <button
          className={CSS.button}
          disabled={pickedItems.length !== 2}
          onClick={() =>
            props.onCompare(pickedItems[0].traceId, pickedItems[1].traceId)
          }
        >
          Compare {pickedItems.length}/2
        </button>
        {props.onLoadMore && (
          <button
            className={CSS.button}
            disabled={props.loadingMore}
            onClick={props.onLoadMore}
          >
            {props.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
      <div
        role="table"
        aria-label="Traces"
        aria-rowcount={rows.length + 1}
        className="jp-MlflowTraceList-grid"
      >
        <div
          role="row"
          className="jp-MlflowTraceList-row jp-MlflowTraceList-head"
        >
          <span role="columnheader" className="jp-MlflowTraceList-pick" />
          {COLUMNS.map(({ column, title }) => (
            <span
              key={column}
              role="columnheader"
              aria-sort={
                sort.column === column
                  ? sort.descending
                    ? 'descending'
                    : 'ascending'
                  : 'none'
              }
              className={`jp-MlflowTraceList-cell jp-MlflowTraceList-col-${column}`}
            >
              <button
                className="jp-MlflowTraceList-sort"
                onClick={() => sortBy(column)}
                title={`Sort the ${props.items.length} loaded rows by ${title.toLowerCase()}; Load more adds rows`}
              >
                {title}
                {sort.column === column ? (sort.descending ? ' ▾' : ' ▴') : ''}
              </button>
            </span>
          ))}
        </div>
        <div className="jp-MlflowTraceList-scroller" ref={scrollerRef}>
          <div
            style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
          >
            {virtualizer.getVirtualItems().map(virtualRow => {
              const row = rows[virtualRow.index];
              if (row.kind === 'session') {
                return (
                  <div
                    key={virtualRow.key}
                    role="row"
                    aria-rowindex={virtualRow.index + 2}
                    className="jp-MlflowTraceList-row jp-MlflowTraceList-session"
                    style={{
                      transform: `translateY(${virtualRow.start}px)`,
                      height: ROW_HEIGHT_PX
                    }}
                  >
                    <span
                      role="rowheader"
                      aria-colspan={COLUMNS.length + 1}
                      className="jp-MlflowTraceList-cell"
                    >
                      <span className="jp-MlflowTraceList-sessionText">
                        {sessionHeadingText(row)}
                      </span>
                      {props.onOpenSession && row.session !== '' && (
                        <button
                          className={`${CSS.button} jp-MlflowTraceList-conversation`}
                          onClick={() => props.onOpenSession!(row.session)}
                        >
                          Conversation
                        </button>
                      )}
                    </span>
                  </div>
                );
              }
              const item = row.item;
              const classes = [
                'jp-MlflowTraceList-row',
                item.traceId === props.openedId ? CSS.modSelected : '',
                item.state === 'ERROR' ? CSS.modError : ''
              ].join(' ');
              return (
                <div
                  key={virtualRow.key}
                  role="row"
                  aria-rowindex={virtualRow.index + 2}
                  aria-selected={item.traceId === props.openedId}
                  data-trace-id={item.traceId}
                  className={classes}
                  style={{
                    transform: `translateY(${virtualRow.start}px)`,
                    height: ROW_HEIGHT_PX
                  }}
                  onClick={() => props.onOpen(item.traceId)}
                >
                  <span role="cell" className="jp-MlflowTraceList-pick">
                    <input
                      type="checkbox"
                      aria-label={`Pick ${item.traceId} to compare`}
                      checked={picked.includes(keys.get(item)!)}
                      onClick={event => event.stopPropagation()}
                      onChange={() => togglePick(keys.get(item)!)}
                    />
                  </span>
                  {COLUMNS.map(({ column, format, detail }) => (
                    <span
                      key={column}
                      role="cell"
                      className={`jp-MlflowTraceList-cell jp-MlflowTraceList-col-${column}`}
                      title={detail?.(item)}
                    >
                      {format(item)}
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
