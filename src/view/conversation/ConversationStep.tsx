/**
 * One step of the conversation view: what kind it is and its span's name,
 * a button opening the span, then its messages (the chat view), its tool
 * call's arguments and result, its documents, or its JSON. Text only as
 * React text.
 */
import React from 'react';
import { formatCount, ISpan, IStep } from '../../trace';
import { ChatView } from '../ChatView';
import { CSS } from '../classes';
import { retrievedDocuments } from '../content';
import { DocumentsView } from '../DocumentsView';
import { JsonTree } from '../JsonTree';
import { CONVERSATION_CSS, stepKindClass } from './classes';

/** What each kind of step is called in its head. */
const KIND_LABEL: Record<IStep['kind'], string> = {
  request: 'Request',
  message: 'Model',
  tool: 'Tool',
  retrieval: 'Retrieval',
  response: 'Response'
};

/** Props of {@link ConversationStep}. */
export interface IConversationStepProps {
  step: IStep;
  /** The step's span (its JSON, for a model call not read as a chat). */
  span: ISpan | undefined;
  onSelectSpan: (spanId: string) => void;
}

/** A step: its head and its body. */
export function ConversationStep({
  step,
  span,
  onSelectSpan
}: IConversationStepProps): React.ReactElement {
  return (
    <>
      <div className={CONVERSATION_CSS.head}>
        <span className={CONVERSATION_CSS.kind}>{KIND_LABEL[step.kind]}</span>
        <span className={CONVERSATION_CSS.name}>{step.name}</span>
        {step.error && <span className={CSS.errorBadge}>error</span>}
        {step.inProgress && <span className={CSS.fact}>running</span>}
        <button
          className={CONVERSATION_CSS.open}
          aria-label={`Open span ${step.name}`}
          onClick={() => onSelectSpan(step.spanId)}
        >
          open span
        </button>
      </div>
      <div className={CONVERSATION_CSS.body}>
        <StepBody step={step} span={span} />
      </div>
    </>
  );
}

/** The class names of a step's box. */
export function stepClassName(step: IStep, selected: boolean): string {
  return [
    CONVERSATION_CSS.step,
    stepKindClass(step.kind),
    selected ? CSS.modSelected : '',
    step.error ? CSS.modError : ''
  ].join(' ');
}

function Notice({ children }: { children: React.ReactNode }) {
  return <div className={CSS.notice}>{children}</div>;
}

/** A value with nothing recorded: running, or none. */
function Missing({ step, what }: { step: IStep; what: string }) {
  return (
    <Notice>{step.inProgress ? 'running…' : `no ${what} recorded`}</Notice>
  );
}

function StepBody({
  step,
  span
}: {
  step: IStep;
  span: ISpan | undefined;
}): React.ReactElement {
  switch (step.kind) {
    case 'request':
      return step.messages ? (
        <ChatView messages={step.messages} />
      ) : step.value === undefined ? (
        <Missing step={step} what="inputs" />
      ) : (
        <JsonTree value={step.value} />
      );
    case 'response':
      return step.shownAbove ? (
        <Notice>the last answer above</Notice>
      ) : step.messages ? (
        <ChatView messages={step.messages} />
      ) : step.value === undefined ? (
        <Missing step={step} what="outputs" />
      ) : (
        <JsonTree value={step.value} />
      );
    case 'message':
      return <ModelCall step={step} span={span} />;
    case 'tool':
      return (
        <div className="jp-MlflowTrace-toolCall" aria-label="Tool step">
          <div className={CONVERSATION_CSS.label}>arguments</div>
          <pre className="jp-MlflowTrace-toolArguments">{step.arguments}</pre>
          <div className={CONVERSATION_CSS.label}>result</div>
          {step.result === undefined ? (
            <Missing step={step} what="result" />
          ) : (
            <pre className="jp-MlflowTrace-toolArguments">{step.result}</pre>
          )}
        </div>
      );
    case 'retrieval': {
      const documents = retrievedDocuments(step.outputs);
      return (
        <>
          <div className={CONVERSATION_CSS.label}>query</div>
          <pre className={CONVERSATION_CSS.text}>{step.query}</pre>
          {documents ? (
            <DocumentsView documents={documents} />
          ) : step.outputs === undefined ? (
            <Missing step={step} what="documents" />
          ) : (
            <JsonTree value={step.outputs} />
          )}
        </>
      );
    }
  }
}

function ModelCall({
  step,
  span
}: {
  step: Extract<IStep, { kind: 'message' }>;
  span: ISpan | undefined;
}): React.ReactElement {
  const repeated = step.repeated;
  return (
    <>
      {repeated > 0 && (
        <Notice>
          {formatCount(repeated)} earlier{' '}
          {repeated === 1 ? 'message' : 'messages'} not repeated
        </Notice>
      )}
      {step.messages.length > 0 && <ChatView messages={step.messages} />}
      {step.unread && (
        <details className="jp-MlflowTrace-rawJson">
          <summary>not read as a chat: JSON</summary>
          <div className={CONVERSATION_CSS.label}>inputs</div>
          <JsonTree value={span?.inputs} />
          <div className={CONVERSATION_CSS.label}>outputs</div>
          <JsonTree value={span?.outputs} />
        </details>
      )}
      {!step.unread && step.messages.length === 0 && repeated === 0 && (
        <Notice>no messages</Notice>
      )}
    </>
  );
}
