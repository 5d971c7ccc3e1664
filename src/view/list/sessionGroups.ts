/**
 * The trace table's rows grouped by session: each session's loaded traces
 * under a heading row, sessions in order of their latest trace (newest
 * first), traces without a session last under "no session". Pure.
 */
import { ITraceListItem } from './listRows';

/** A heading row: one session (`session` is '' for the traces without one). */
export interface ISessionHeadingRow {
  kind: 'session';
  key: string;
  session: string;
  count: number;
  /** The users the session's traces name, each once, in row order. */
  users: string[];
  /** Unix ms of the session's latest request; null when none is known. */
  latestMs: number | null;
}

/** A trace row. */
export interface ITraceRow {
  kind: 'trace';
  key: string;
  item: ITraceListItem;
}

/** A row of the trace table. */
export type TableRow = ISessionHeadingRow | ITraceRow;

/** The rows of `shown`, ungrouped; `keys` from itemKeys(). */
export function traceRows(
  shown: readonly ITraceListItem[],
  keys: ReadonlyMap<ITraceListItem, string>
): TableRow[] {
  return shown.map(item => ({ kind: 'trace', key: keys.get(item)!, item }));
}

/**
 * The rows of `shown` (already filtered and sorted) grouped by session.
 *
 * #### Notes
 * Within a session the rows keep the order of `shown`. Sessions whose latest
 * times are equal or unknown keep the order in which `shown` first names
 * them. Heading keys start with `session:`, which no itemKeys() key does.
 */
export function groupBySession(
  shown: readonly ITraceListItem[],
  keys: ReadonlyMap<ITraceListItem, string>
): TableRow[] {
  const groups = new Map<string, ITraceListItem[]>();
  for (const item of shown) {
    const group = groups.get(item.session);
    if (group) {
      group.push(item);
    } else {
      groups.set(item.session, [item]);
    }
  }
  const headings = [...groups].map(([session, items]) => {
    // A loop, not Math.max(...): a spread of 100,000 rows overflows the stack.
    let latestMs: number | null = null;
    for (const { requestTimeMs } of items) {
      if (
        requestTimeMs !== null &&
        (latestMs === null || requestTimeMs > latestMs)
      ) {
        latestMs = requestTimeMs;
      }
    }
    const heading: ISessionHeadingRow = {
      kind: 'session',
      key: `session:${session}`,
      session,
      count: items.length,
      users: Array.from(new Set(items.map(item => item.user).filter(Boolean))),
      latestMs
    };
    return { heading, items };
  });
  const rank = (h: ISessionHeadingRow) =>
    h.session === '' ? 2 : h.latestMs === null ? 1 : 0;
  // Array.prototype.sort is stable: ties keep the order of first appearance.
  headings.sort(
    (a, b) =>
      rank(a.heading) - rank(b.heading) ||
      (b.heading.latestMs ?? 0) - (a.heading.latestMs ?? 0)
  );
  return headings.flatMap(({ heading, items }) => [
    heading,
    ...traceRows(items, keys)
  ]);
}

/** What a heading row says: `Session "s" · 3 traces · ada`, or `No session · 1 trace`. */
export function sessionHeadingText(heading: ISessionHeadingRow): string {
  const count = `${heading.count} ${heading.count === 1 ? 'trace' : 'traces'}`;
  const name =
    heading.session === ''
      ? 'No session'
      : `Session ${JSON.stringify(heading.session)}`;
  return [name, count, heading.users.join(', ')].filter(Boolean).join(' · ');
}
