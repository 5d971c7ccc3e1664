/**
 * The conversations of a trace in its static text/html fallback: each model
 * call the trace model reads as a chat, its input and output messages by role,
 * tool calls with their results, reasoning folded, images as links.
 */
import {
  IChatMessage,
  IConversation,
  isModelCall,
  ISpanNode,
  partText,
  shownMessages,
  shownParts,
  spanConversation
} from '../trace';
import { MAX_NAME_CHARS, oneLine, plural } from './format';
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

function writeMessage(w: HtmlWriter, message: IChatMessage): void {
  w.open('li', { class: `${CLS.chatMessage} ${CLS.role}-${message.roleKind}` });
  w.element(
    'strong',
    undefined,
    ellipsize(oneLine(message.role), MAX_ROLE_CHARS)
  );
  for (const part of shownParts(message)) {
    if (part.kind === 'reasoning') {
      w.open('details').element('summary', undefined, 'Reasoning');
      w.element(
        'div',
        { class: CLS.part },
        ellipsize(part.text, MAX_PART_CHARS)
      );
      w.close();
    } else if (part.kind === 'image' && !part.url.startsWith('data:')) {
      w.open('div', { class: CLS.part }).text('[image] ');
      w.link(part.url, ellipsize(part.url, MAX_PART_CHARS)).close();
    } else {
      w.element(
        'div',
        { class: CLS.part },
        ellipsize(partText(part), MAX_PART_CHARS)
      );
    }
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
 * tree order, at most {@link MAX_CONVERSATIONS}; nothing when none does.
 */
export function writeConversations(
  w: HtmlWriter,
  rows: readonly ISpanNode[]
): void {
  const chats = rows
    .filter(node => isModelCall(node.span))
    .map(node => ({ node, chat: spanConversation(node.span) }))
    .filter(({ chat }) => chat.input !== null || chat.output !== null);
  if (chats.length === 0) {
    return;
  }
  w.open('div', { class: CLS.chats });
  for (const { node, chat } of chats.slice(0, MAX_CONVERSATIONS)) {
    w.open('div', { class: CLS.chat });
    w.open('p', { class: CLS.header });
    w.element(
      'span',
      { class: CLS.type },
      ellipsize(oneLine(node.span.spanType), 40)
    );
    w.text(' ');
    w.element(
      'span',
      { class: CLS.name },
      ellipsize(node.span.name, MAX_NAME_CHARS)
    );
    w.close();
    writeSide(w, 'Inputs', chat.input);
    writeSide(w, 'Outputs', chat.output);
    w.close();
  }
  if (chats.length > MAX_CONVERSATIONS) {
    const hidden = chats.length - MAX_CONVERSATIONS;
    w.element(
      'p',
      { class: CLS.more },
      `… ${plural(hidden, 'more span')} with a conversation`
    );
  }
  w.close();
}
