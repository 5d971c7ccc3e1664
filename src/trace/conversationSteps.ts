/**
 * A whole trace read as one conversation: the request, each model call's
 * new messages, each tool call and each retrieval, in time order, then the
 * response. Pure: no DOM; built on the chat readers of ./conversation.
 *
 * #### Notes
 * A model call resends the history before its new messages: what was shown
 * already is not repeated ({@link ConversationHistory} says what), and the
 * step counts it in `repeated`. Every model, tool and retriever span gives
 * exactly one step, even one with nothing new, so each can be opened.
 * Nothing recurses: spans are sorted by start time (ties in tree order).
 */
import {
  IChatMessage,
  IMessagePart,
  isModelCall,
  IToolResultPart,
  readConversation,
  spanConversation
} from './conversation';
import { ConversationHistory, messageKey } from './conversationHistory';
import { valueText } from './format';
import { ISpan } from './span';
import { ITrace } from './tree';

export { ConversationHistory, messageKey } from './conversationHistory';

/** What every step has: the span it opens, its name and state. */
interface IStepBase {
  spanId: string;
  name: string;
  error: boolean;
  inProgress: boolean;
}

/** The trace's request: the first root's inputs. */
export interface IRequestStep extends IStepBase {
  kind: 'request';
  /** The inputs read as messages (a string is a user message), else null. */
  messages: IChatMessage[] | null;
  /** The inputs as recorded, for the JSON view when not read as messages. */
  value: unknown;
}

/** A model call: the messages it adds to what was shown before it. */
export interface IMessageStep extends IStepBase {
  kind: 'message';
  /** New input messages, then the output messages, in their order. */
  messages: IChatMessage[];
  /** Messages of its history already shown above, not repeated. */
  repeated: number;
  /** Neither side read as a chat: the view shows the span's JSON. */
  unread: boolean;
}

/** A tool span: its arguments and its result, as text. */
export interface IToolStep extends IStepBase {
  kind: 'tool';
  arguments: string;
  /** Undefined while it runs or when it returned nothing. */
  result: string | undefined;
}

/** A retriever span: its query and what it returned. */
export interface IRetrievalStep extends IStepBase {
  kind: 'retrieval';
  query: string;
  /** The outputs as recorded: documents for the view's document reader. */
  outputs: unknown;
}

/** The trace's response: the first root's outputs. */
export interface IResponseStep extends IStepBase {
  kind: 'response';
  /** The outputs read as messages (a string is an assistant message), else null. */
  messages: IChatMessage[] | null;
  /** True when every message of the response was shown above (the last answer). */
  shownAbove: boolean;
  value: unknown;
}

/** One step of the conversation. */
export type IStep =
  IRequestStep | IMessageStep | IToolStep | IRetrievalStep | IResponseStep;

/** The steps of a trace, in time order, request first and response last. */
export function conversationSteps(trace: ITrace): IStep[] {
  const root = trace.roots[0];
  const steps: IStep[] = [];
  const history = new ConversationHistory();
  if (root !== undefined) {
    const request = requestStep(root.span);
    steps.push(request);
    history.addRequest(request.messages ?? []);
  }
  for (const span of spansByStart(trace)) {
    if (isModelCall(span)) {
      steps.push(modelStep(span, history));
    } else if (span.spanType === 'TOOL') {
      const result =
        span.outputs === undefined ? undefined : valueText(span.outputs, 2);
      if (result !== undefined) {
        history.addToolResult(result);
      }
      steps.push({
        ...base(span),
        kind: 'tool',
        arguments: valueText(span.inputs, 2),
        result
      });
    } else if (span.spanType === 'RETRIEVER') {
      steps.push({
        ...base(span),
        kind: 'retrieval',
        query: valueText(span.inputs, 2),
        outputs: span.outputs
      });
    }
  }
  if (root !== undefined) {
    steps.push(responseStep(root.span, history));
  }
  return steps;
}

/** Every span ordered by start time, ties in tree order. */
function spansByStart(trace: ITrace): ISpan[] {
  const order = trace.nodesInOrder.map((node, index) => ({
    span: node.span,
    index
  }));
  order.sort((a, b) => a.span.startNs - b.span.startNs || a.index - b.index);
  return order.map(entry => entry.span);
}

function base(span: ISpan): IStepBase {
  return {
    spanId: span.spanId,
    name: span.name,
    error: span.error,
    inProgress: span.inProgress
  };
}

/** A value as messages: a chat it holds, a string as one message of `role`. */
function valueMessages(
  value: unknown,
  format: unknown,
  role: 'user' | 'assistant'
): IChatMessage[] | null {
  if (typeof value === 'string') {
    return [{ role, roleKind: role, parts: [{ kind: 'text', text: value }] }];
  }
  return readConversation(value, format)?.messages ?? null;
}

function requestStep(span: ISpan): IRequestStep {
  return {
    ...base(span),
    kind: 'request',
    messages: valueMessages(
      span.inputs,
      span.attribute('mlflow.message.format'),
      'user'
    ),
    value: span.inputs
  };
}

function responseStep(
  span: ISpan,
  history: ConversationHistory
): IResponseStep {
  const messages = valueMessages(
    span.outputs,
    span.attribute('mlflow.message.format'),
    'assistant'
  );
  return {
    ...base(span),
    kind: 'response',
    messages,
    shownAbove:
      messages !== null &&
      messages.length > 0 &&
      messages.every(message => history.shown(messageKey(message))),
    value: span.outputs
  };
}

/** A model call's step: its history's messages not shown yet, then its output. */
function modelStep(span: ISpan, history: ConversationHistory): IMessageStep {
  const chat = spanConversation(span);
  const all = [
    ...(chat.input?.messages ?? []),
    ...(chat.output?.messages ?? [])
  ];
  const fresh = history.fresh(all);
  return {
    ...base(span),
    kind: 'message',
    messages: standAlone(fresh),
    repeated: all.length - fresh.length,
    unread: chat.input === null && chat.output === null
  };
}

/**
 * The step's messages with each tool result beside its call only when both
 * are in the step: a result whose call was shown in an earlier step is shown
 * on its own, and a call whose result was shown earlier loses it here.
 */
function standAlone(messages: IChatMessage[]): IChatMessage[] {
  const results = new Set<IToolResultPart>();
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.kind === 'toolResult') {
        results.add(part);
      }
    }
  }
  const calledHere = new Set<IToolResultPart>();
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.kind === 'toolCall' && part.result && results.has(part.result)) {
        calledHere.add(part.result);
      }
    }
  }
  return messages.map(message => ({
    ...message,
    parts: message.parts.map((part): IMessagePart => {
      if (part.kind === 'toolResult' && part.linked && !calledHere.has(part)) {
        return { ...part, linked: false };
      }
      if (
        part.kind === 'toolCall' &&
        part.result &&
        !results.has(part.result)
      ) {
        return { ...part, result: undefined };
      }
      return part;
    })
  }));
}
