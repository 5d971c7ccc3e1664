/**
 * A span's inputs and outputs read as a conversation, in the shapes MLflow's
 * autologging integrations write: OpenAI Chat Completions and Responses,
 * Anthropic Messages, Gemini, Bedrock Converse, LangChain, LlamaIndex, DSPy,
 * OpenTelemetry GenAI and the `mlflow.chat.*` attributes. Pure: no DOM.
 *
 * #### Notes
 * Invariant: no string of a message is lost. Each string value of a message
 * appears in one of its parts (text, reasoning, tool call, tool result, image
 * or note), except part-type discriminators and the metadata keys in
 * {@link METADATA_KEYS}; strings under keys a reader does not know become
 * text parts. A shape recognized nowhere gives null, and the caller keeps its
 * JSON. Images keep only http(s) and `data:image/…;base64` URLs; any other
 * is replaced by a note and never loaded.
 *
 * Layers, each importing only those before it: types, strings, parts; the
 * item readers of each format (openai, anthropic, llamaindex, otel, gemini,
 * bedrock, dspy, langchain); content (an item to parts); message; turns;
 * detect (format and shape); this entry; transcript (a read conversation as
 * text, for the comparison and the fallbacks).
 */
import { readShape, messageFormatHint } from './detect';
import { UnnamedCalls } from './gemini';
import { chatTools } from './otel';
import {
  IChatMessage,
  IConversation,
  ISpanConversation,
  IToolCallPart
} from './types';

export * from './types';
export { METADATA_KEYS } from './strings';
export { isLoadableImageUrl } from './parts';
export { messageFormatHint } from './detect';
export { chatTools } from './otel';
export {
  callText,
  conversationText,
  groupSuffix,
  imageLabel,
  partText,
  shownMessages,
  shownParts,
  toolResultLabel
} from './transcript';

/**
 * One side of a chat span (its inputs or its outputs) as a conversation, or
 * null when no known shape holds it. `format` is `mlflow.message.format`.
 */
export function readConversation(
  value: unknown,
  format?: unknown
): IConversation | null {
  const hint = messageFormatHint(format);
  try {
    const read = readShape(value, hint);
    if (read === null || read.messages.length === 0) {
      return null;
    }
    // "openai" names both OpenAI APIs; the shape tells which.
    const named =
      hint === 'openai' && read.format === 'openai-responses'
        ? read.format
        : hint;
    return { format: named ?? read.format, messages: read.messages };
  } catch {
    return null;
  }
}

// Google ADK names a call or response that has no id `<name>_<index of its
// part>` in its OpenTelemetry parts, so a call after a thought part and its
// response differ in the index.
const ADK_FALLBACK_ID = /^(.+)_\d+$/;

/** The first unanswered call ADK named after `name` as it named the result `id`. */
function adkCall(
  calls: Map<string, IToolCallPart>,
  id: string
): IToolCallPart | undefined {
  const name = ADK_FALLBACK_ID.exec(id)?.[1];
  for (const call of name === undefined ? [] : calls.values()) {
    if (
      call.result === undefined &&
      call.name === name &&
      ADK_FALLBACK_ID.exec(call.id ?? '')?.[1] === name
    ) {
      return call;
    }
  }
  return undefined;
}

/** Give each tool call the result answering it (same id), marking the result linked. */
function linkResults(messages: IChatMessage[]): void {
  const calls = new Map<string, IToolCallPart>();
  // Gemini gives calls and responses no ids: they pair by name, in order.
  const unnamed = new UnnamedCalls();
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.kind === 'toolCall') {
        if (part.id !== undefined) {
          calls.set(part.id, part);
        } else {
          unnamed.add(part);
        }
      } else if (part.kind === 'toolResult') {
        const call =
          part.callId !== undefined
            ? (calls.get(part.callId) ?? adkCall(calls, part.callId))
            : unnamed.take(part.name);
        if (call && call.result === undefined) {
          call.result = part;
          part.linked = true;
        }
      }
    }
  }
}

/**
 * A chat span's conversation: its inputs and outputs read, tool results
 * tied to their calls, and the tools offered. The `mlflow.chat.messages`
 * attribute, when present and readable, stands for the inputs.
 */
export function spanConversation(span: {
  inputs: unknown;
  outputs: unknown;
  attributes: Record<string, unknown>;
}): ISpanConversation {
  const format = span.attributes['mlflow.message.format'];
  const fromAttribute = readConversation(
    span.attributes['mlflow.chat.messages']
  );
  const input =
    readConversation(span.inputs, format) ??
    (fromAttribute && { ...fromAttribute, format: 'mlflow-chat' });
  const output = readConversation(span.outputs, format);
  linkResults([...(input?.messages ?? []), ...(output?.messages ?? [])]);
  return {
    input,
    output,
    tools: chatTools(span.attributes['mlflow.chat.tools'])
  };
}

/** MLflow's span types of a model call. */
const MODEL_CALL_TYPES: ReadonlySet<string> = new Set(['CHAT_MODEL', 'LLM']);

/**
 * A span that is a model call: its type says so, or it carries MLflow's
 * chat attributes. The static fallbacks write the conversations of these
 * only, not of every chain or parser that passes messages along.
 */
export function isModelCall(span: {
  spanType: string;
  /** One attribute, read without decoding the span's inputs and outputs. */
  attribute(key: string): unknown;
}): boolean {
  return (
    MODEL_CALL_TYPES.has(span.spanType) ||
    span.attribute('mlflow.message.format') !== undefined ||
    span.attribute('mlflow.chat.messages') !== undefined
  );
}
