/**
 * A retriever's documents as a list: id, score and source (a link when
 * http(s)), then the text. Shown by the span details and the conversation.
 */
import React from 'react';
import { CSS } from './classes';
import { IRetrievedDocument } from './content';

/** A retriever's documents: id, score and source (a link when http(s)), then the text. */
export function DocumentsView({
  documents
}: {
  documents: IRetrievedDocument[];
}): React.ReactElement {
  return (
    <ol className={CSS.documents} aria-label="Retrieved documents">
      {documents.map((document, index) => (
        <li key={index}>
          <div className={CSS.facts}>
            {document.id !== undefined && (
              <span className={CSS.fact}>id {document.id}</span>
            )}
            {document.score !== undefined && (
              <span className={CSS.fact}>
                score {document.score.toFixed(3)}
              </span>
            )}
            {document.source !== undefined && (
              <span className={CSS.fact}>
                source{' '}
                {document.href !== undefined ? (
                  <a
                    href={document.href}
                    target="_blank"
                    rel="noopener noreferrer"
                  >
                    {document.source}
                  </a>
                ) : (
                  document.source
                )}
              </span>
            )}
          </div>
          <div className="jp-MlflowTrace-messageText">{document.content}</div>
        </li>
      ))}
    </ol>
  );
}
