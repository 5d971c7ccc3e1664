/**
 * A conversation read from a chat span: messages by role, their text, images
 * (http(s) and data:image URLs only; MLflow attachments through the host's
 * server, see AttachmentView), tool calls with their arguments and,
 * under each call, its result; reasoning folded. Text only as React text.
 */
import React from 'react';
import {
  attachmentOfNote,
  IChatMessage,
  IMessagePart,
  IToolCallPart,
  IToolResultPart,
  groupSuffix,
  isLoadableImageUrl,
  parseAttachmentRef,
  shownMessages,
  shownParts,
  toolResultLabel
} from '../trace';
import { AttachmentView } from './AttachmentView';
import { CSS } from './classes';

/** Props of {@link ChatView}. */
export interface IChatViewProps {
  messages: IChatMessage[];
}

/** The messages of one side of a chat span. */
export function ChatView({ messages }: IChatViewProps): React.ReactElement {
  return (
    <ol className={CSS.chat} aria-label="Conversation">
      {shownMessages(messages).map((message, index) => {
        const parts = shownParts(message);
        return (
          <li
            key={index}
            className={`${CSS.message} jp-MlflowTrace-role-${message.roleKind}`}
          >
            <div className="jp-MlflowTrace-role">
              {message.role}
              {groupSuffix(message)}
            </div>
            {parts.map((part, partIndex) => (
              <Part key={partIndex} part={part} />
            ))}
          </li>
        );
      })}
    </ol>
  );
}

function Part({ part }: { part: IMessagePart }): React.ReactElement | null {
  // An MLflow attachment (an image_url's or a recording's reference): fetched
  // by id through the host's server, never loaded from the reference.
  const attachment =
    part.kind === 'note'
      ? attachmentOfNote(part.text)
      : part.kind === 'text'
        ? parseAttachmentRef(part.text)
        : null;
  if (attachment) {
    return <AttachmentView attachment={attachment} />;
  }
  switch (part.kind) {
    case 'text':
      return (
        <>
          {part.heading !== undefined && (
            <div className="jp-MlflowTrace-partHeading">{part.heading}</div>
          )}
          <div className="jp-MlflowTrace-messageText">
            {part.heading !== undefined ? part.text.trim() : part.text}
          </div>
        </>
      );
    case 'image':
      // The trace model keeps only loadable URLs; checked again where loaded.
      return isLoadableImageUrl(part.url) ? (
        <img
          className="jp-MlflowTrace-chatImage"
          src={part.url}
          alt="image in the message"
          referrerPolicy="no-referrer"
          loading="lazy"
        />
      ) : null;
    case 'reasoning':
      return (
        <details className="jp-MlflowTrace-reasoning">
          <summary>Reasoning</summary>
          <div className="jp-MlflowTrace-messageText">{part.text}</div>
        </details>
      );
    case 'toolCall':
      return <ToolCall call={part} />;
    case 'toolResult':
      return <ToolResult result={part} />;
    case 'note':
      return <div className={CSS.notice}>{part.text}</div>;
  }
}

function ToolCall({ call }: { call: IToolCallPart }): React.ReactElement {
  return (
    <div className="jp-MlflowTrace-toolCall" aria-label="Tool call">
      <div>
        <span className="jp-MlflowTrace-toolName">{call.name}</span>
        {call.id !== undefined && (
          <span className="jp-MlflowTrace-toolCallId"> {call.id}</span>
        )}
      </div>
      <pre className="jp-MlflowTrace-toolArguments">{call.arguments}</pre>
      {call.result && <ToolResult result={call.result} />}
    </div>
  );
}

function ToolResult({
  result
}: {
  result: IToolResultPart;
}): React.ReactElement {
  return (
    <div className="jp-MlflowTrace-toolResult" aria-label="Tool result">
      <div className="jp-MlflowTrace-role">{toolResultLabel(result)}</div>
      <pre className="jp-MlflowTrace-toolArguments">{result.text}</pre>
    </div>
  );
}
