/**
 * Builders of message parts, the shapes of the content-item readers, and the
 * rule of which image URLs a view may load: http(s) or a base64
 * `data:image/…` URL; any other becomes a note and is never loaded.
 */
import { safeHttpUrl } from '../url';
import { valueText } from '../format';
import { resultText } from './strings';
import {
  IMessagePart,
  IReasoningPart,
  ITextPart,
  IToolCallPart,
  IToolResultPart
} from './types';

/** A content item: one record of a message's content. */
export type Item = Record<string, unknown>;

/** What a reader made of a content item, and the keys it read. */
export interface IKnownPart {
  parts: IMessagePart[];
  used: string[];
}

/** A reader of content items of one `type`; null when the item is not its shape. */
export type TypeReader = (item: Item) => IKnownPart | null;

/** A reader of the record an untyped item holds under one of `keys`. */
export type KeyReader = [keys: string[], read: (value: Item) => IMessagePart[]];

const DATA_IMAGE =
  /^data:image\/(png|jpeg|jpg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

/** Whether a view may load this image URL: http(s) or a base64 data:image. */
export function isLoadableImageUrl(url: unknown): boolean {
  return (
    typeof url === 'string' &&
    url.trim() === url &&
    (DATA_IMAGE.test(url) || safeHttpUrl(url) !== null)
  );
}

/** An image part when the URL may be loaded, else a note; never loads others. */
export function imagePart(url: unknown): IMessagePart {
  if (typeof url === 'string') {
    if (isLoadableImageUrl(url)) {
      return { kind: 'image', url };
    }
    return { kind: 'note', text: `image not shown: ${url}` };
  }
  return { kind: 'note', text: 'image not shown' };
}

/**
 * A data URL from a MIME type and base64 data; a reference such as the
 * `mlflow-attachment://…` MLflow stores in place of the bytes stays as it is.
 */
export function dataUrl(mime: unknown, data: unknown): string | undefined {
  if (typeof data !== 'string') {
    return undefined;
  }
  if (data.includes('://')) {
    return data;
  }
  return `data:${typeof mime === 'string' ? mime : 'image/png'};base64,${data}`;
}

/** A tool call part; an empty id counts as none. */
export function toolCall(
  id: unknown,
  name: unknown,
  args: unknown
): IToolCallPart {
  return {
    kind: 'toolCall',
    id: typeof id === 'string' && id !== '' ? id : undefined,
    name: valueText(name ?? ''),
    arguments: valueText(args ?? {})
  };
}

/** A tool result part; an empty call id counts as none. */
export function toolResult(
  callId: unknown,
  name: unknown,
  content: unknown
): IToolResultPart {
  return {
    kind: 'toolResult',
    callId: typeof callId === 'string' && callId !== '' ? callId : undefined,
    name: typeof name === 'string' ? name : undefined,
    text: resultText(content)
  };
}

/** A text part. */
export const textPart = (value: string): ITextPart => ({
  kind: 'text',
  text: value
});

/** A reasoning part. */
export const reasoningPart = (value: string): IReasoningPart => ({
  kind: 'reasoning',
  text: value
});

/** One part read from an item, and the item keys it read. */
export const one = (part: IMessagePart, ...used: string[]): IKnownPart => ({
  parts: [part],
  used
});

/** `{type: "text", text}`; OpenTelemetry GenAI writes `{type: "text", content}`. */
export function textItem(item: Item): IKnownPart | null {
  if (typeof item.text === 'string') {
    return one(textPart(item.text), 'text');
  }
  return typeof item.content === 'string'
    ? one(textPart(item.content), 'content')
    : null;
}
