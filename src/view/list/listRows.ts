/**
 * Rows of the trace table: what each column shows, sorting and filtering.
 * Pure; built from TraceInfoV3 as the search API returns it.
 */
import {
  formatUsd,
  isRecord,
  ITraceInfoV3,
  parseDurationMs,
  parseTokenUsage,
  sessionIdOf,
  traceMetadataCost,
  userIdOf
} from '../../trace';

/** One trace as the table shows it. */
export interface ITraceListItem {
  traceId: string;
  name: string;
  state: string;
  requestTimeMs: number | null;
  durationMs: number | null;
  totalTokens: number | null;
  /** Total cost in USD (trace metadata `mlflow.trace.cost`). */
  cost: number | null;
  /** Why the metadata's cost could not be read; '' when it could or is absent. */
  costNote: string;
  /** Trace metadata `mlflow.trace.session`; '' when absent. */
  session: string;
  /** Trace metadata `mlflow.trace.user`; '' when absent. */
  user: string;
  /** User tags as `key=value`, MLflow's own `mlflow.*` tags left out. */
  tags: string;
  request: string;
  response: string;
  info: ITraceInfoV3;
}

/** Sortable columns. */
export type ListColumn =
  | 'traceId'
  | 'name'
  | 'state'
  | 'requestTimeMs'
  | 'durationMs'
  | 'totalTokens'
  | 'cost'
  | 'session'
  | 'user'
  | 'tags'
  | 'request'
  | 'response';

/** A sort: column and direction. */
export interface IListSort {
  column: ListColumn;
  descending: boolean;
}

/** The table item of a trace info. */
export function toListItem(info: ITraceInfoV3): ITraceListItem {
  // Infos come from untrusted outputs: only strings are used as text.
  const str = (value: unknown) => (typeof value === 'string' ? value : '');
  const requestTime = str(info.request_time);
  const requestTimeMs = requestTime ? Date.parse(requestTime) : NaN;
  const rawTags = isRecord(info.tags) ? info.tags : {};
  const usage = parseTokenUsage(
    isRecord(info.trace_metadata)
      ? info.trace_metadata['mlflow.trace.tokenUsage']
      : undefined
  );
  const cost = traceMetadataCost(info.trace_metadata);
  const tags = Object.entries(rawTags)
    .filter(([key]) => !key.startsWith('mlflow.'))
    .map(([key, value]) => `${key}=${str(value) || JSON.stringify(value)}`)
    .join(', ');
  return {
    traceId: str(info.trace_id),
    name: str(rawTags['mlflow.traceName']),
    state: (str(info.state) || 'STATE_UNSPECIFIED') as ITraceListItem['state'],
    requestTimeMs: Number.isFinite(requestTimeMs) ? requestTimeMs : null,
    durationMs: parseDurationMs(info.execution_duration),
    totalTokens: usage ? usage.total : null,
    cost: cost && 'cost' in cost ? cost.cost.total : null,
    costNote: cost && 'note' in cost ? cost.note : '',
    session: sessionIdOf(info),
    user: userIdOf(info),
    tags,
    request: str(info.request_preview),
    response: str(info.response_preview),
    info
  };
}

/** A row's cost as the list and the session show it: '?' when malformed (see `costNote`), '' when absent. */
export function itemCostText(item: ITraceListItem): string {
  return item.costNote ? '?' : item.cost === null ? '' : formatUsd(item.cost);
}

/**
 * Items sorted by `sort`; missing values go last whatever the direction, and
 * ties keep their order (the server's). Sorts the loaded rows only.
 */
export function sortItems(
  items: readonly ITraceListItem[],
  sort: IListSort
): ITraceListItem[] {
  const sign = sort.descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = a[sort.column];
    const y = b[sort.column];
    if (x === null || x === '') {
      return y === null || y === '' ? 0 : 1;
    }
    if (y === null || y === '') {
      return -1;
    }
    return (
      (typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y))) * sign
    );
  });
}

/**
 * Items whose id, name, session, user, tags or previews contain `text`,
 * optionally errors only.
 */
export function filterItems(
  items: readonly ITraceListItem[],
  text: string,
  errorsOnly: boolean
): ITraceListItem[] {
  const needle = text.trim().toLowerCase();
  return items.filter(
    item =>
      (!errorsOnly || item.state === 'ERROR') &&
      (!needle ||
        [
          item.traceId,
          item.name,
          item.session,
          item.user,
          item.tags,
          item.request,
          item.response
        ].some(field => field.toLowerCase().includes(needle)))
  );
}

/**
 * A React key per item, unique even when trace ids repeat (a hostile or
 * overlapping list): `occurrence:traceId`, so `0:a`, `1:a` for two `a`.
 *
 * #### Notes
 * The occurrence is counted in `items` order, so an item keeps its key
 * whatever the sort or filter. Memoize on `items`.
 */
export function itemKeys(
  items: readonly ITraceListItem[]
): Map<ITraceListItem, string> {
  const seen = new Map<string, number>();
  const keys = new Map<ITraceListItem, string>();
  for (const item of items) {
    const occurrence = seen.get(item.traceId) ?? 0;
    seen.set(item.traceId, occurrence + 1);
    keys.set(item, `${occurrence}:${item.traceId}`);
  }
  return keys;
}
