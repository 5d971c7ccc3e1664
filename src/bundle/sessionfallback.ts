/**
 * The text/html and text/plain fallbacks of a session (a trace list whose
 * query names `session_id`): the turns in request-time order, each the
 * user's message and the assistant's answer as escaped text.
 */
import {
  buildTrace,
  formatDurationMs,
  formatUsd,
  ISessionTurn,
  mlflowTraceUiUrl,
  sessionTurns,
  summarizeTrace
} from '../trace';
import { oneLine, plural } from './format';
import { FALLBACK_CLASS as CLS, HtmlWriter } from './html';
import { IDecodedTraceList } from './types';
import { ellipsize } from './util';

/** Longest message written per side of a turn, in characters. */
const MAX_MESSAGE_CHARS = 2000;

/** The turns of a decoded session list, in request-time order; error rows are the decoder's errors. */
function turnsOf(list: IDecodedTraceList): ISessionTurn[] {
  return sessionTurns(
    list.traces.flatMap(row =>
      row.info && row.error === undefined ? [row.info] : []
    )
  );
}

/** `MLflow session "s": the first 500 turns; experiments 1; more available`. */
export function sessionCaption(list: IDecodedTraceList): string {
  const turns = turnsOf(list).length;
  const id = JSON.stringify(ellipsize(list.query.sessionId ?? '', 200));
  const more = list.nextPageToken !== undefined;
  const parts = [`${more ? 'the first ' : ''}${plural(turns, 'turn')}`];
  if (list.query.experimentIds.length > 0) {
    parts.push(`experiments ${list.query.experimentIds.join(', ')}`);
  }
  if (more) {
    parts.push('more available');
  }
  return `MLflow session ${id}: ${parts.join('; ')}`;
}

/** `2026-12-02T00:00:00Z · OK · 1.2 s · $0.0123`: what is known of a turn's trace. */
function turnFacts(turn: ISessionTurn): string {
  const time =
    typeof turn.info.request_time === 'string' ? turn.info.request_time : '';
  const duration =
    turn.durationMs === null ? '' : formatDurationMs(turn.durationMs);
  // The cost as the list's fallback reads it: the trace metadata's, or why not
  const summary = summarizeTrace(buildTrace(turn.info, []));
  const cost =
    summary.costNote || (summary.cost ? formatUsd(summary.cost.total) : '');
  return [oneLine(time), oneLine(turn.state), duration, oneLine(cost)]
    .filter(Boolean)
    .join(' · ');
}

function writeSide(w: HtmlWriter, role: string, text: string): void {
  w.open('li', { class: `${CLS.chatMessage} ${CLS.role}-${role}` });
  w.element('strong', undefined, role);
  w.element('div', { class: CLS.part }, ellipsize(text, MAX_MESSAGE_CHARS));
  w.close();
}

/** The text/html of a session's turns (at most `maxTurns`), each its two messages. */
export function writeSessionTurns(
  w: HtmlWriter,
  list: IDecodedTraceList,
  maxTurns: number
): void {
  const turns = turnsOf(list);
  turns.slice(0, maxTurns).forEach((turn, i) => {
    const error = turn.state === 'ERROR';
    w.open('div', { class: error ? `${CLS.chat} ${CLS.error}` : CLS.chat });
    w.open('p', { class: CLS.side }).element(
      'strong',
      undefined,
      `Turn ${i + 1}`
    );
    w.text(' ').element('code', undefined, turn.traceId);
    const url = mlflowTraceUiUrl(list.trackingUri, turn.traceId, turn.info);
    if (url !== null) {
      w.text(' ').link(url, 'Open in MLflow UI');
    }
    w.text(` ${turnFacts(turn)}`).close();
    w.open('ul', { class: CLS.messages });
    writeSide(w, 'user', turn.user);
    writeSide(w, 'assistant', turn.assistant);
    w.close().close();
  });
  const hidden = turns.length - maxTurns;
  if (hidden > 0) {
    w.element('p', { class: CLS.more }, `… ${plural(hidden, 'more turn')}`);
  }
}

/** The text/plain lines of a session: a caption, then three lines a turn. */
export function sessionTextLines(list: IDecodedTraceList): string[] {
  const lines = [sessionCaption(list)];
  turnsOf(list).forEach((turn, i) => {
    lines.push(`Turn ${i + 1} ${oneLine(turn.traceId)} ${turnFacts(turn)}`);
    lines.push(`  user: ${ellipsize(oneLine(turn.user), MAX_MESSAGE_CHARS)}`);
    lines.push(
      `  assistant: ${ellipsize(oneLine(turn.assistant), MAX_MESSAGE_CHARS)}`
    );
  });
  return lines;
}
