/**
 * Details of the selected span: inputs and outputs (as a conversation or a
 * document list when they are one), log level, token usage, model and cost,
 * linked prompts, attributes and events.
 */
import React, { memo } from 'react';
import {
  costBreakdown,
  formatCount,
  formatDurationMs,
  formatUsd,
  IChatMessage,
  ISpan,
  ISpanNode,
  spanException,
  spanLinkedPrompts,
  spanLogLevel
} from '../trace';
import { CSS } from './classes';
import { ChatView } from './ChatView';
import { retrievedDocuments, spanChat } from './content';
import { DocumentsView } from './DocumentsView';
import { JsonTree } from './JsonTree';
import { LinkedPromptList } from './LinkedPrompts';
import { logLevelClass, logLevelText } from './LogLevelFilter';
import { ILiveView, LIVE_PHASE_TEXT, openDurationMs } from './live';

/** Props of {@link SpanDetails}. */
export interface ISpanDetailsProps {
  node: ISpanNode | undefined;
  /** Set for a live trace: an open span is measured to its moment. */
  live?: ILiveView;
  /** The trace's page in MLflow's UI: linked prompts link into its experiment. */
  uiUrl?: string;
}

// Attributes already shown in their own sections.
const SHOWN_ELSEWHERE = new Set([
  'mlflow.spanInputs',
  'mlflow.spanOutputs',
  'mlflow.chat.tokenUsage',
  'mlflow.traceRequestId'
]);

/** The details pane. */
export function SpanDetails({
  node,
  live,
  uiUrl
}: ISpanDetailsProps): React.ReactElement {
  if (!node) {
    return (
      <div className={`${CSS.details} ${CSS.notice}`}>
        Select a span to see its details.
      </div>
    );
  }
  const { span } = node;
  const open = live?.openIds.has(span.spanId) ? live : undefined;
  const llm = span.llm;
  const level = spanLogLevel(span);
  return (
    <div className={CSS.details} aria-label="Span details">
      <h3 className="jp-MlflowTrace-detailsTitle">{span.name}</h3>
      <div className={CSS.facts}>
        <span className={CSS.fact}>{span.spanType}</span>
        <span className={CSS.fact}>
          {formatDurationMs(
            open ? openDurationMs(node, open) : node.durationMs
          )}
        </span>
        {!open && (
          <span className={CSS.fact}>
            self {formatDurationMs(node.selfTimeMs)}
          </span>
        )}
        <span className={`${CSS.fact} ${span.error ? CSS.modError : ''}`}>
          {open
            ? LIVE_PHASE_TEXT[open.phase].spanStatus
            : span.inProgress
              ? 'IN PROGRESS'
              : span.status}
        </span>
        <span
          className={`${CSS.fact} ${logLevelClass(level.name)}`}
          title={
            level.explicit
              ? 'mlflow.spanLogLevel'
              : "No mlflow.spanLogLevel: MLflow's default for the span type"
          }
        >
          level {logLevelText(level)}
        </span>
        {span.tokenUsage && (
          <span className={CSS.fact} title="input / output / total tokens">
            tokens {formatCount(span.tokenUsage.input)} in ·{' '}
            {formatCount(span.tokenUsage.output)} out ·{' '}
            {formatCount(span.tokenUsage.total)} total
          </span>
        )}
        {llm?.model && (
          <span className={CSS.fact} title="mlflow.llm.model">
            model {llm.model}
          </span>
        )}
        {llm?.provider && (
          <span className={CSS.fact} title="mlflow.llm.provider">
            provider {llm.provider}
          </span>
        )}
        {llm?.cost && (
          <span className={CSS.fact} title="mlflow.llm.cost (USD)">
            cost {formatUsd(llm.cost.total)}
            {costBreakdown(llm.cost) && ` (${costBreakdown(llm.cost)})`}
          </span>
        )}
      </div>
      {llm?.costNote && (
        <div className={CSS.modWarning} role="note">
          {llm.costNote}
        </div>
      )}
      {span.statusMessage && (
        <div className={CSS.modError}>{span.statusMessage}</div>
      )}
      <SpanContent span={span} uiUrl={uiUrl} />
    </div>
  );
}

/**
 * Exception, inputs, outputs, attributes and events of a span; memoized on
 * the span object, so a live trace's clock ticks and updates that leave the
 * span unchanged do not draw them again.
 */
const SpanContent = memo(
  ({ span, uiUrl }: { span: ISpan; uiUrl?: string }): React.ReactElement => {
    const exception = spanException(span);
    const prompts = spanLinkedPrompts(span);
    const attributes = Object.entries(span.attributes).filter(
      ([key]) => !SHOWN_ELSEWHERE.has(key)
    );
    const chat = spanChat(span);
    return (
      <>
        {exception && (
          <Section title="Exception" className={CSS.modError}>
            <div>
              <strong>{exception.type}</strong>: {exception.message}
            </div>
            {exception.stacktrace && (
              <pre className={CSS.stack}>{exception.stacktrace}</pre>
            )}
          </Section>
        )}
        {prompts.length > 0 && (
          <Section title={`Prompts (${formatCount(prompts.length)})`}>
            <LinkedPromptList prompts={prompts} uiUrl={uiUrl} />
          </Section>
        )}
        <Section title="Inputs">
          <ContentView value={span.inputs} chat={chat.input?.messages} />
        </Section>
        <Section title="Outputs">
          {span.inProgress && span.outputs === undefined ? (
            <div className={CSS.notice}>not yet: the span has not ended</div>
          ) : (
            <ContentView value={span.outputs} chat={chat.output?.messages} />
          )}
        </Section>
        <Section title={`Attributes (${attributes.length})`}>
          <dl className={CSS.attributes}>
            {attributes.map(([key, value]) => (
              <React.Fragment key={key}>
                <dt className={CSS.attributeKey}>
                  <DottedKey text={key} />
                </dt>
                <dd className={CSS.attributeValue}>
                  <JsonTree value={value} />
                </dd>
              </React.Fragment>
            ))}
          </dl>
        </Section>
        <Section title={`Events (${span.events.length})`}>
          {span.events.map((event, index) => (
            <div
              key={index}
              className={`${CSS.event} ${event.isException ? CSS.modError : ''}`}
            >
              <strong>{event.name}</strong>
              <JsonTree value={event.attributes} />
            </div>
          ))}
        </Section>
      </>
    );
  }
);

/** A dotted key with a line-break opportunity after each dot. */
function DottedKey({ text }: { text: string }): React.ReactElement {
  const parts = text.split(/(?<=\.)/);
  return (
    <>
      {parts.map((part, index) => (
        <React.Fragment key={index}>
          {index > 0 && <wbr />}
          {part}
        </React.Fragment>
      ))}
    </>
  );
}

function Section(props: {
  title: string;
  className?: string;
  children: React.ReactNode;
}): React.ReactElement {
  return (
    <details className={`${CSS.section} ${props.className ?? ''}`} open>
      <summary>{props.title}</summary>
      {props.children}
    </details>
  );
}

/** Inputs or outputs: a conversation, a document list, or JSON. */
function ContentView({
  value,
  chat
}: {
  value: unknown;
  chat: IChatMessage[] | undefined;
}): React.ReactElement {
  if (value === undefined && chat === undefined) {
    return <div className={CSS.notice}>none</div>;
  }
  if (chat) {
    return (
      <>
        <ChatView messages={chat} />
        <details className="jp-MlflowTrace-rawJson">
          <summary>JSON</summary>
          <JsonTree value={value} />
        </details>
      </>
    );
  }
  const documents = retrievedDocuments(value);
  if (documents) {
    return <DocumentsView documents={documents} />;
  }
  return <JsonTree value={value} />;
}
