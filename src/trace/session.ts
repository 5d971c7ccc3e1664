/**
 * Sessions: traces sharing the metadata `mlflow.trace.session` read as one
 * conversation, one turn per trace in request-time order. The search filter
 * that finds a session's traces, and what each turn says (the user's
 * message, the assistant's answer). Pure; the Python twin is `_session.py`.
 */
import { isRecord } from './attributes';
import {
  readConversation,
  RoleKind,
  shownParts,
  partText
} from './conversation';
import { parseJsonExact } from './json';
import { parseDurationMs } from './summary';
import { ITraceInfoV3 } from './wire';

/** The trace metadata naming a trace's session. */
export const SESSION_METADATA_KEY = 'mlflow.trace.session';
/** The trace metadata naming the user of the application request. */
export const USER_METADATA_KEY = 'mlflow.trace.user';
/** A session's traces are read in request-time order. */
export const SESSION_ORDER_BY: readonly string[] = ['timestamp_ms ASC'];
/** Turns read at most; a longer session says it shows the first ones. */
export const MAX_SESSION_TURNS = 500;

/**
 * MLflow's search filter for the traces of one session.
 *
 * #### Notes
 * MLflow 3.17.2 reads a quoted value literally (no escapes, `''` is not a
 * quote), so a value holding `'` is written in double quotes, and one
 * holding both quotes cannot be written at all: that is an error, never a
 * filter matching something else.
 */
export function sessionFilter(sessionId: unknown): string {
  if (typeof sessionId !== 'string' || sessionId === '') {
    throw new TypeError(
      `a session id is a non-empty string (got ${sessionId === '' ? 'an empty string' : typeof sessionId})`
    );
  }
  const hasSingle = sessionId.includes("'");
  if (hasSingle && sessionId.includes('"')) {
    throw new TypeError(
      `the session id ${JSON.stringify(sessionId)} holds both ' and ", which MLflow's search filter cannot quote`
    );
  }
  const quote = hasSingle ? '"' : "'";
  return `metadata.\`${SESSION_METADATA_KEY}\` = ${quote}${sessionId}${quote}`;
}

function metadataString(info: ITraceInfoV3 | undefined, key: string): string {
  const metadata = info?.trace_metadata;
  const value = isRecord(metadata) ? metadata[key] : undefined;
  return typeof value === 'string' ? value : '';
}

/** The session a trace belongs to; '' when none. */
export function sessionIdOf(info: ITraceInfoV3 | undefined): string {
  return metadataString(info, SESSION_METADATA_KEY);
}

/** The user a trace served; '' when not recorded. */
export function userIdOf(info: ITraceInfoV3 | undefined): string {
  return metadataString(info, USER_METADATA_KEY);
}

/**
 * What one side of a turn says: the text of the last `role` message when
 * the preview is a chat payload the conversation readers know, else the
 * preview as written.
 *
 * #### Notes
 * MLflow already writes the last user message as the request preview of the
 * chat formats it knows; this reads the others (a JSON payload of messages).
 * A preview cut at MLflow's length limit is not JSON and stays as written.
 */
export function turnText(preview: unknown, role: RoleKind): string {
  if (typeof preview !== 'string') {
    return '';
  }
  const start = preview.trimStart()[0];
  if (start !== '{' && start !== '[') {
    return preview;
  }
  let value: unknown;
  try {
    value = parseJsonExact(preview);
  } catch {
    return preview;
  }
  const messages = readConversation(value)?.messages ?? [];
  const last = messages.filter(message => message.roleKind === role).pop();
  if (last === undefined) {
    return preview;
  }
  return shownParts(last).map(partText).join('\n');
}

/** One turn of a session: a trace, and what its user and assistant said. */
export interface ISessionTurn {
  traceId: string;
  /** Unix ms of the request; null when the info has none. */
  requestTimeMs: number | null;
  durationMs: number | null;
  state: string;
  user: string;
  assistant: string;
  info: ITraceInfoV3;
}

/** A trace info as a turn. */
export function toSessionTurn(info: ITraceInfoV3): ISessionTurn {
  return {
    traceId: typeof info.trace_id === 'string' ? info.trace_id : '',
    requestTimeMs: requestTimeMs(info),
    durationMs: parseDurationMs(info.execution_duration),
    state: typeof info.state === 'string' ? info.state : 'STATE_UNSPECIFIED',
    user: turnText(info.request_preview, 'user'),
    assistant: turnText(info.response_preview, 'assistant'),
    info
  };
}

/** Unix ms of a trace's request; null when the info has none. */
function requestTimeMs(info: ITraceInfoV3): number | null {
  const ms =
    typeof info.request_time === 'string' ? Date.parse(info.request_time) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The indices of `infos` in request-time order: the order of a session's
 * turns. A trace without a request time goes last; equal times keep the
 * order given.
 */
export function sessionOrder(infos: readonly ITraceInfoV3[]): number[] {
  const times = infos.map(info => requestTimeMs(info) ?? Infinity);
  return times
    .map((_, index) => index)
    .sort((a, b) => times[a] - times[b] || a - b);
}

/** The turns of a session, in {@link sessionOrder}. */
export function sessionTurns(infos: readonly ITraceInfoV3[]): ISessionTurn[] {
  return sessionOrder(infos).map(index => toSessionTurn(infos[index]));
}
