/**
 * Recognise chat conversations and retrieved documents in span inputs and
 * outputs, so the details pane can show them as such. Pure.
 */
import { isRecord } from '../trace';

/** One chat message, reduced to what the conversation view shows. */
export interface IChatMessage {
  role: string;
  content: string;
  toolCalls: { name: string; arguments: string }[];
}

/** One document a retriever returned. */
export interface IRetrievedDocument {
  id: string | undefined;
  content: string;
  score: number | undefined;
  uri: string | undefined;
}

/** Message content as text: a string, or the text parts of a content list. */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') {
    return content;
  }
  if (content === null || content === undefined) {
    return '';
  }
  if (Array.isArray(content)) {
    return content
      .map(part =>
        isRecord(part) && typeof part.text === 'string'
          ? part.text
          : JSON.stringify(part)
      )
      .join('\n');
  }
  return null;
}

function toMessage(value: unknown): IChatMessage | null {
  if (!isRecord(value) || typeof value.role !== 'string') {
    return null;
  }
  const content = contentText(value.content);
  if (content === null) {
    return null;
  }
  const toolCalls = Array.isArray(value.tool_calls)
    ? value.tool_calls.filter(isRecord).map(call => {
        const fn = isRecord(call.function) ? call.function : call;
        const args = fn.arguments;
        return {
          name: String(fn.name ?? ''),
          arguments:
            typeof args === 'string' ? args : JSON.stringify(args ?? {})
        };
      })
    : [];
  return { role: value.role, content, toolCalls };
}

function toMessages(list: unknown): IChatMessage[] | null {
  if (!Array.isArray(list) || list.length === 0) {
    return null;
  }
  const messages = list.map(toMessage);
  return messages.every(m => m !== null) ? (messages as IChatMessage[]) : null;
}

/**
 * Chat messages in an input or output, in OpenAI / MLflow chat format:
 * `{messages: [...]}`, `{choices: [{message}]}`, `{message}` or a bare list.
 */
export function chatMessages(value: unknown): IChatMessage[] | null {
  if (Array.isArray(value)) {
    return toMessages(value);
  }
  if (!isRecord(value)) {
    return null;
  }
  if (Array.isArray(value.messages)) {
    return toMessages(value.messages);
  }
  if (Array.isArray(value.choices)) {
    return toMessages(
      value.choices.map(choice =>
        isRecord(choice) ? choice.message : undefined
      )
    );
  }
  if (isRecord(value.message)) {
    return toMessages([value.message]);
  }
  return null;
}

/** The documents of a retriever's output (`page_content`, `metadata`, `id`). */
export function retrievedDocuments(
  value: unknown
): IRetrievedDocument[] | null {
  if (!Array.isArray(value) || value.length === 0) {
    return null;
  }
  const documents: IRetrievedDocument[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.page_content !== 'string') {
      return null;
    }
    const metadata = isRecord(item.metadata) ? item.metadata : {};
    const score = typeof item.score === 'number' ? item.score : metadata.score;
    documents.push({
      id:
        item.id !== undefined
          ? String(item.id)
          : metadata.chunk_id !== undefined
            ? String(metadata.chunk_id)
            : undefined,
      content: item.page_content,
      score: typeof score === 'number' ? score : undefined,
      uri: typeof metadata.doc_uri === 'string' ? metadata.doc_uri : undefined
    });
  }
  return documents;
}
