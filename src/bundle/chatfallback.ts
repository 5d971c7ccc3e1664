/**
 * The conversations of a trace in its static text/html fallback: each model
 * call the trace model reads as a chat, its input and output messages by role,
 * tool calls with their results, reasoning folded, images as links.
 */
import {
  callText,
  groupSuffix,
  IChatMessage,
  IConversation,
  IMessagePart,
  ISpanConversation,
  isModelCall,
  ISpanNode,
  partText,
  shownMessages,
  shownParts,
  spanConversation
} from '../trace';
import { oneLine, plural, writeSpanLabel } from './format';
import { FALLBACK_CLASS as CLS, HtmlWriter } from './html';
import { ellipsize } from './util';

/** Spans whose conversation is written, per trace. */
export const MAX_CONVERSATIONS = 10;

/** Messages written per side of a span. */
const MAX_MESSAGES = 50;

/** Longest part written, in characters. */
const MAX_PART_CHARS = 2000;

/** Longest role written, in characters. */
const MAX_ROLE_CHARS = 40;

/** One part, cut on its own; a call's result in a part of its own, so no cut hides it. */
function writePart(w: HtmlWriter, part: IMessagePart): void {
  const cut = (text: string) => ellipsize(text, MAX_PART_CHARS);
  if (part.kind === 'reasoning') {
    w.open('details').element('summary', undefined, 'Reasoning');
    w.element('div', { class: CLS.part }, cut(part.text)).close();
  } else if (part.kind === 'image' && !part.url.startsWith('data:')) {
    w.open('div', { class: CLS.part }).text('[image] ');
    w.link(part.url, cut(part.url)).close();
  } else if (part.kind === 'toolCall') {
    w.element('div', { class: CLS.part }, cut(callText(part)));
    if (part.result) {
      writePart(w, part.result);
    }
  } else {
    w.element('div', { class: CLS.part }, cut(partText(part)));
  }
}

function writeMessage(w: HtmlWriter, message: IChatMessage): void {
  w.open('li', { class: `${CLS.chatMessage} ${CLS.role}-${message.roleKind}` });
  w.element(
    'strong',
    undefined,
    ellipsize(oneLine(message.role), MAX_ROLE_CHARS) + groupSuffix(message)
  );
  for (const part of shownParts(message)) {
    writePart(w, part);
  }
  w.close();
}

function writeSide(
  w: HtmlWriter,
  title: string,
  conversation: IConversation | null
): void {
  if (conversation === null) {
    return;
  }
  const messages = shownMessages(conversation.messages);
  w.element('p', { class: CLS.side }, `${title} (${conversation.format})`);
  w.open('ul', { class: CLS.messages });
  for (const message of messages.slice(0, MAX_MESSAGES)) {
    writeMessage(w, message);
  }
  if (messages.length > MAX_MESSAGES) {
    const hidden = messages.length - MAX_MESSAGES;
    w.element('li', { class: CLS.more }, `… ${plural(hidden, 'more message')}`);
  }
  w.close();
}

/**
 * The conversations of the model calls among `rows` that read as one, in
 * tree order, at most {@link MAX_CONVERSATIONS}, then how many model calls
 * are left unread; nothing when none reads.
 */
export function writeConversations(
  w: HtmlWriter,
  rows: readonly ISpanNode[]
): void {
  const calls = rows.filter(node => isModelCall(node.span));
  // Read only until enough are found: a trace may hold many long chats
  const chats: { node: ISpanNode; chat: ISpanConversation }[] = [];
  let read = 0;
  for (; read < calls.length && chats.length < MAX_CONVERSATIONS; read++) {
    const chat = spanConversation(calls[read].span);
    if (chat.input !== null || chat.output !== null) {
      chats.push({ node: calls[read], chat });
    }
  }
  if (chats.length === 0) {
    return;
  }
  w.open('div', { class: CLS.chats });
  for (const { node, chat } of chats) {
    w.open('div', { class: CLS.chat });
    w.open('p', { class: CLS.header });
    writeSpanLabel(w, node.span);
    w.close();
    writeSide(w, 'Inputs', chat.input);
    writeSide(w, 'Outputs', chat.output);
    w.close();
  }
  const unread = calls.length - read;
  if (unread > 0) {
    w.element(
      'p',
      { class: CLS.more },
      `… ${plural(unread, 'more model call')} not written`
    );
  }
  w.close();
}
