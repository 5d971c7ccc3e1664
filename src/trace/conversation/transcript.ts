/**
 * A conversation as plain text: what the trace comparison diffs and the
 * static fallbacks write. Pure; the live view renders the parts themselves.
 */
import { formatCount } from '../format';
import {
  IChatMessage,
  IMessagePart,
  IToolCallPart,
  IToolResultPart
} from './types';

/** Parts shown in place: a result tied to its call is shown under the call. */
export function shownParts(message: IChatMessage): IMessagePart[] {
  return message.parts.filter(p => !(p.kind === 'toolResult' && p.linked));
}

/** Messages shown: not one whose every part is shown under its call. */
export function shownMessages(
  messages: readonly IChatMessage[]
): IChatMessage[] {
  return messages.filter(
    message => message.parts.length === 0 || shownParts(message).length > 0
  );
}

const DATA_URL_TYPE = /^data:([^;,]*)/;

/**
 * An image as text: an http(s) URL as written; a data URL by its media type
 * and length, since its bytes say nothing to a reader.
 */
export function imageLabel(url: string): string {
  if (!url.startsWith('data:')) {
    return url;
  }
  const type = DATA_URL_TYPE.exec(url)?.[1] || 'data';
  return `${type}, ${formatCount(url.length)} characters`;
}

/** What a tool result is called: `result of get_weather`, else `tool result`. */
export function toolResultLabel(result: IToolResultPart): string {
  const of = result.name ?? result.callId;
  return of !== undefined ? `result of ${of}` : 'tool result';
}

/** A tool call alone, without its result: `[tool call] get_weather (call_1) {…}`. */
export function callText(call: IToolCallPart): string {
  const id = call.id !== undefined ? ` (${call.id})` : '';
  return `[tool call] ${call.name}${id} ${call.arguments}`;
}

/**
 * One part as text: `[tool call] get_weather (call_1) {"city":"Paris"}`,
 * with a tied result on the next line, `[reasoning] …`, `[image] …`.
 */
export function partText(part: IMessagePart): string {
  switch (part.kind) {
    case 'text':
      return part.heading !== undefined
        ? `## ${part.heading}\n${part.text.trim()}`
        : part.text;
    case 'image':
      return `[image] ${imageLabel(part.url)}`;
    case 'reasoning':
      return `[reasoning] ${part.text}`;
    case 'note':
      return `[note] ${part.text}`;
    case 'toolCall':
      return part.result
        ? `${callText(part)}\n${partText(part.result)}`
        : callText(part);
    case 'toolResult':
      return `[${toolResultLabel(part)}] ${part.text}`;
  }
}

/** What follows a message's role: ` · choice 1 of 2` for one of several, else nothing. */
export function groupSuffix(message: IChatMessage): string {
  return message.group !== undefined ? ` · ${message.group}` : '';
}

/**
 * Messages as text, one block per message: `role:` (with its
 * {@link groupSuffix}) then each shown part,
 * indented, so a line diff of two conversations lines up by message.
 */
export function conversationText(messages: readonly IChatMessage[]): string {
  return shownMessages(messages)
    .map(message => {
      const parts = shownParts(message).map(part =>
        partText(part).replace(/^/gm, '  ')
      );
      return [`${message.role}${groupSuffix(message)}:`, ...parts].join('\n');
    })
    .join('\n');
}
