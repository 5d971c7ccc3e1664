/**
 * The rows of a session view: each trace-list item as a turn, in request-time
 * order (trace/session.ts's order), with a React key that stays unique when
 * a trace id repeats. Pure.
 */
import { ISessionTurn, sessionOrder, toSessionTurn } from '../../trace';
import { itemKeys, ITraceListItem } from '../list/listRows';

/** One turn as the view shows it. */
export interface ISessionTurnRow {
  key: string;
  turn: ISessionTurn;
  item: ITraceListItem;
}

/** The turns of a session's items, in request-time order. Memoize on `items`. */
export function sessionTurnsOfItems(
  items: readonly ITraceListItem[]
): ISessionTurnRow[] {
  const keys = itemKeys(items);
  return sessionOrder(items.map(item => item.info)).map(index => {
    const item = items[index];
    return { key: keys.get(item)!, turn: toSessionTurn(item.info), item };
  });
}

/** `Session "s": 4 turns by ada from experiment 1`: what the output's caption says of a session. */
export function sessionCaption(
  sessionId: string,
  items: readonly ITraceListItem[],
  experimentIds: readonly string[]
): string {
  const users = Array.from(
    new Set(items.map(item => item.user).filter(Boolean))
  );
  return (
    `Session ${JSON.stringify(sessionId)}: ${items.length} ${items.length === 1 ? 'turn' : 'turns'}` +
    (users.length ? ` by ${users.join(', ')}` : '') +
    (experimentIds.length ? ` from experiment ${experimentIds.join(', ')}` : '')
  );
}
