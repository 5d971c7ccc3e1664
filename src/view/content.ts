/**
 * Recognise chat conversations and retrieved documents in span inputs and
 * outputs, so the details pane can show them as such. Pure.
 */
import { isRecord, ISpan, ISpanConversation, spanConversation } from '../trace';

/** One document a retriever returned. */
export interface IRetrievedDocument {
  id: string | undefined;
  content: string;
  score: number | undefined;
  uri: string | undefined;
}

/**
 * A span's inputs and outputs as a conversation, in any format the trace
 * model reads (see trace/conversation/).
 */
export function spanChat(span: ISpan): ISpanConversation {
  return spanConversation(span);
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
