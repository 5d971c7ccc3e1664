/**
 * Recognise chat conversations and retrieved documents in span inputs and
 * outputs, so the details pane can show them as such. Pure.
 */
import {
  isRecord,
  ISpan,
  ISpanConversation,
  safeHttpUrl,
  spanConversation
} from '../trace';

/** One document a retriever returned. */
export interface IRetrievedDocument {
  id: string | undefined;
  content: string;
  score: number | undefined;
  /** Where it came from: `metadata.doc_uri`, else LangChain's `metadata.source`. */
  source: string | undefined;
  /** `source` when it is an http(s) URL a link may open, else undefined. */
  href: string | undefined;
}

/**
 * A span's inputs and outputs as a conversation, in any format the trace
 * model reads (see trace/conversation/).
 */
export function spanChat(span: ISpan): ISpanConversation {
  return spanConversation(span);
}

/** The first finite number among `values`. */
function firstNumber(...values: unknown[]): number | undefined {
  return values.find(
    (v): v is number => typeof v === 'number' && Number.isFinite(v)
  );
}

/** The first non-empty string among `values`. */
function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

/**
 * The documents of a retriever's output, as MLflow's `Document` writes them
 * (`page_content`, `metadata`, `id`), with their score and source.
 *
 * #### Notes
 * The score is the document's own `score`, else `metadata.score` (MLflow's
 * LlamaIndex documents, the quickstart's retriever), else
 * `metadata.relevance_score` (LangChain's rerankers). A source is a link
 * only when it passes {@link safeHttpUrl}; the link keeps its path as written.
 */
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
    const source = firstString(metadata.doc_uri, metadata.source);
    documents.push({
      id:
        item.id !== undefined && item.id !== null
          ? String(item.id)
          : metadata.chunk_id !== undefined
            ? String(metadata.chunk_id)
            : undefined,
      content: item.page_content,
      score: firstNumber(item.score, metadata.score, metadata.relevance_score),
      source,
      href:
        source !== undefined && safeHttpUrl(source) !== null
          ? source.trim()
          : undefined
    });
  }
  return documents;
}
