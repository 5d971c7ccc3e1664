/**
 * Which format a side of a chat span is in, and its messages read: the
 * format `mlflow.message.format` names comes first, then the shape.
 */
import { isRecord } from '../attributes';
import { converseReply } from './bedrock';
import { DSPY_MARKER, dspyCompletions } from './dspy';
import { candidateContents, systemInstruction } from './gemini';
import { generationMessages } from './langchain';
import { readMessage, readMessages } from './message';
import { choiceMessages } from './openai';
import { stringsIn } from './strings';
import { geminiContents, responsesItems, systemMessage } from './turns';
import { ChatFormat, IChatMessage } from './types';

// A Map: a name such as `constructor` must not find an Object property.
const FORMAT_NAMES = new Map<string, ChatFormat>([
  ['openai', 'openai'],
  ['openai-chat', 'openai'],
  ['chat', 'openai'],
  ['litellm', 'openai'],
  ['groq', 'openai'],
  ['mistral', 'openai'],
  ['openai-responses', 'openai-responses'],
  ['openai_responses', 'openai-responses'],
  ['openai-agent', 'openai-responses'],
  ['anthropic', 'anthropic'],
  ['gemini', 'gemini'],
  ['google', 'gemini'],
  ['google-genai', 'gemini'],
  ['bedrock', 'bedrock'],
  ['langchain', 'langchain'],
  ['langgraph', 'langchain'],
  ['llamaindex', 'llamaindex'],
  ['llama_index', 'llamaindex'],
  ['llama-index', 'llamaindex'],
  ['dspy', 'dspy'],
  ['otel', 'otel-genai'],
  ['otel-genai', 'otel-genai'],
  ['gen_ai', 'otel-genai']
]);

/** The format `mlflow.message.format` names, if it is one read here. */
export function messageFormatHint(value: unknown): ChatFormat | undefined {
  return typeof value === 'string'
    ? FORMAT_NAMES.get(value.toLowerCase().replace(/\s+/g, ''))
    : undefined;
}

/** A side's messages and the format its shape says. */
export interface IShapeRead {
  format: ChatFormat;
  messages: IChatMessage[];
}

/** The format a message list's shape suggests, the hint winning. */
function guessFormat(
  list: unknown[],
  hint: ChatFormat | undefined
): ChatFormat {
  if (hint) {
    return hint;
  }
  const records = list.filter(isRecord);
  if (records.some(m => Array.isArray(m.blocks))) {
    return 'llamaindex';
  }
  if (records.some(m => Array.isArray(m.parts))) {
    return 'otel-genai';
  }
  if (
    records.some(m => typeof m.role !== 'string' && typeof m.type === 'string')
  ) {
    return 'langchain';
  }
  return 'openai';
}

/** `messages` in `format`, or null when there are none. */
function withFormat(
  format: ChatFormat,
  messages: IChatMessage[] | null
): IShapeRead | null {
  return messages && { format, messages };
}

/**
 * Alternatives or a batch, one list of messages each: labelled with the
 * `noun` and place of theirs when there are several, or null when one is.
 */
function grouped(
  noun: string,
  lists: (IChatMessage[] | null)[]
): IChatMessage[] | null {
  if (lists.some(list => list === null)) {
    return null;
  }
  const n = lists.length;
  return (lists as IChatMessage[][]).flatMap((list, i) =>
    n > 1 ? list.map(m => ({ ...m, group: `${noun} ${i + 1} of ${n}` })) : list
  );
}

/** A side's messages and the format its shape says, or null. */
export function readShape(
  value: unknown,
  hint: ChatFormat | undefined
): IShapeRead | null {
  // DSPy's sections, found anywhere, make the whole side DSPy's.
  const named =
    hint ??
    (DSPY_MARKER.test(stringsIn(value, true).join('\n')) ? 'dspy' : undefined);
  const dspy = named === 'dspy';
  const read = Array.isArray(value)
    ? readList(value, named, dspy)
    : isRecord(value)
      ? readRecord(value, named, dspy)
      : null;
  return read && hint === undefined && dspy
    ? { ...read, format: 'dspy' }
    : read;
}

/** A list: messages, LangChain's batch of lists, DSPy completions or Responses items. */
function readList(
  value: unknown[],
  hint: ChatFormat | undefined,
  dspy: boolean
): IShapeRead | null {
  if (value.length > 0 && value.every(Array.isArray)) {
    // LangChain's batch of message lists: a conversation each.
    const batch = grouped(
      'conversation',
      value.map(list => (list.length > 0 ? readMessages(list, dspy) : []))
    );
    return withFormat('langchain', batch?.length ? batch : null);
  }
  const messages = readMessages(value, dspy);
  if (messages) {
    return { format: guessFormat(value, hint), messages };
  }
  const completions = dspyCompletions(value);
  if (completions) {
    return withFormat('dspy', completions);
  }
  if (
    hint === 'openai-responses' ||
    value.some(item => isRecord(item) && typeof item.type === 'string')
  ) {
    return withFormat(
      'openai-responses',
      responsesItems(value, hint !== undefined)
    );
  }
  return null;
}

/** A record: a request (messages, contents, input) or a response, in order. */
function readRecord(
  value: Record<string, unknown>,
  hint: ChatFormat | undefined,
  dspy: boolean
): IShapeRead | null {
  if (Array.isArray(value.messages)) {
    const messages = readMessages(value.messages, dspy);
    if (messages) {
      const system = systemMessage(value.system);
      return {
        format: guessFormat(
          value.messages,
          hint ?? (value.system !== undefined ? 'anthropic' : undefined)
        ),
        messages: [...system, ...messages]
      };
    }
    return withFormat(
      'openai-responses',
      responsesItems(value.messages, false)
    );
  }
  // A model call's request, not any function with an `input` or `contents`
  // argument: a format named, or a model given.
  const modelCall = hint !== undefined || typeof value.model === 'string';
  if (
    value.contents !== undefined &&
    (modelCall ||
      (Array.isArray(value.contents) &&
        value.contents.every(c => isRecord(c) && Array.isArray(c.parts))))
  ) {
    const messages = geminiContents(value.contents);
    const system = systemMessage(systemInstruction(value.config));
    return withFormat('gemini', messages && [...system, ...messages]);
  }
  if (typeof value.input === 'string' || Array.isArray(value.input)) {
    const items = responsesItems(
      typeof value.input === 'string' ? [value.input] : value.input,
      modelCall
    );
    const system = systemMessage(value.instructions);
    return withFormat('openai-responses', items && [...system, ...items]);
  }
  return readResponse(value, hint, dspy);
}

/** A response: choices, candidates, output items or message, generations, a message. */
function readResponse(
  value: Record<string, unknown>,
  hint: ChatFormat | undefined,
  dspy: boolean
): IShapeRead | null {
  if (Array.isArray(value.choices)) {
    const messages = readMessages(choiceMessages(value.choices), dspy);
    return withFormat(
      'openai',
      messages &&
        grouped(
          'choice',
          messages.map(m => [m])
        )
    );
  }
  if (Array.isArray(value.candidates)) {
    const candidates = candidateContents(value.candidates);
    return withFormat(
      'gemini',
      candidates.length > 0
        ? grouped(
            'candidate',
            candidates.map(c => geminiContents([c]))
          )
        : geminiContents(candidates)
    );
  }
  if (Array.isArray(value.output)) {
    return withFormat('openai-responses', responsesItems(value.output, false));
  }
  const reply = converseReply(value);
  if (reply !== undefined) {
    const message = readMessage(reply, dspy);
    return withFormat('bedrock', message && [message]);
  }
  if (Array.isArray(value.generations)) {
    const { messages, groups } = generationMessages(value.generations);
    const read = readMessages(messages, dspy);
    return withFormat(
      'langchain',
      read &&
        read.map((m, i) =>
          groups[i] !== undefined ? { ...m, group: groups[i] } : m
        )
    );
  }
  if (isRecord(value.message)) {
    const message = readMessage(value.message, dspy);
    return withFormat(guessFormat([value.message], hint), message && [message]);
  }
  const message = readMessage(value, dspy);
  if (
    message &&
    (value.content !== undefined ||
      value.parts !== undefined ||
      value.blocks !== undefined)
  ) {
    return {
      format:
        value.type === 'message' ? 'anthropic' : guessFormat([value], hint),
      messages: [message]
    };
  }
  return null;
}
