/**
 * The conversation a chat span's inputs or outputs are read into: messages
 * with a role and parts (text, image, reasoning, tool call, tool result,
 * note). Types only.
 */

/** The formats read, as `mlflow.message.format` names most of them. */
export type ChatFormat =
  | 'openai'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'bedrock'
  | 'langchain'
  | 'llamaindex'
  | 'dspy'
  | 'otel-genai'
  | 'mlflow-chat';

/** A piece of text; `heading` names a DSPy section. */
export interface ITextPart {
  kind: 'text';
  text: string;
  heading?: string;
}
/** An image whose URL is http(s) or a data:image URL. */
export interface IImagePart {
  kind: 'image';
  url: string;
}
/** Reasoning or thinking text, shown folded. */
export interface IReasoningPart {
  kind: 'reasoning';
  text: string;
}
/** A call of a tool; `result` is its result when the span holds it. */
export interface IToolCallPart {
  kind: 'toolCall';
  id: string | undefined;
  name: string;
  arguments: string;
  result?: IToolResultPart;
}
/** What a tool returned; `linked` when it is also its call's `result`. */
export interface IToolResultPart {
  kind: 'toolResult';
  callId: string | undefined;
  name: string | undefined;
  text: string;
  linked?: boolean;
}
/** Something not shown, and why (an image URL that is not allowed). */
export interface INotePart {
  kind: 'note';
  text: string;
}
/** One part of a message. */
export type IMessagePart =
  | ITextPart
  | IImagePart
  | IReasoningPart
  | IToolCallPart
  | IToolResultPart
  | INotePart;

/** The roles a view styles; any other role is `other` (its text is kept in `role`). */
export type RoleKind = 'user' | 'assistant' | 'system' | 'tool' | 'other';

/** One message of a conversation. */
export interface IChatMessage {
  role: string;
  roleKind: RoleKind;
  parts: IMessagePart[];
  /**
   * Which of several it belongs to, when a side holds alternatives or a
   * batch: `choice 2 of 3` (OpenAI `n > 1`), `candidate 1 of 2` (Gemini),
   * `conversation 1 of 2` (a LangChain batch of message lists, and the
   * generations answering each), `conversation 1 of 2, choice 2 of 3` (one
   * of several generations answering one prompt of a batch).
   */
  group?: string;
}

/** A tool the model was offered. */
export interface IChatTool {
  name: string;
  description: string;
}

/** One side (inputs or outputs) of a chat span, read. */
export interface IConversation {
  format: ChatFormat;
  messages: IChatMessage[];
}

/** A chat span read: its input and output conversations and offered tools. */
export interface ISpanConversation {
  input: IConversation | null;
  output: IConversation | null;
  tools: IChatTool[];
}
