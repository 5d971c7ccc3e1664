/**
 * OpenAI's shapes (also what Groq, Mistral and LiteLLM write): Chat
 * Completions image parts, tool calls and `choices`; the Responses API's
 * items (input/output text, images, reasoning, function calls and outputs).
 * The Responses item list is read in turns.ts.
 */
import { isRecord } from '../attributes';
import {
  imagePart,
  one,
  reasoningPart,
  textItem,
  toolCall,
  toolResult,
  TypeReader
} from './parts';
import { stringsIn } from './strings';
import { IToolCallPart } from './types';

/** Readers of OpenAI content items and Responses items, by `type`. */
export const OPENAI_TYPES: Record<string, TypeReader> = {
  input_text: textItem,
  output_text: textItem,
  summary_text: textItem,
  image_url: item =>
    one(
      imagePart(isRecord(item.image_url) ? item.image_url.url : item.image_url),
      'image_url'
    ),
  input_image: item => one(imagePart(item.image_url), 'image_url'),
  reasoning: item => ({
    parts: [
      ...stringsIn(item.summary, true),
      ...stringsIn(item.content, true)
    ].map(reasoningPart),
    used: ['summary', 'content', 'encrypted_content']
  }),
  function_call: item =>
    one(
      toolCall(item.call_id ?? item.id, item.name, item.arguments),
      'call_id',
      'name',
      'arguments'
    ),
  function_call_output: item =>
    one(toolResult(item.call_id, undefined, item.output), 'call_id', 'output')
};

/** Tool calls in OpenAI (`function`) or LangChain (`name`, `args`) shape. */
export function toolCallsOf(list: unknown): IToolCallPart[] {
  if (!Array.isArray(list)) {
    return [];
  }
  return list.filter(isRecord).map(call => {
    const fn = isRecord(call.function) ? call.function : call;
    return toolCall(call.id, fn.name, fn.arguments ?? fn.args);
  });
}

/** The messages of Chat Completions `choices` (streamed: their `delta`). */
export function choiceMessages(choices: unknown[]): unknown[] {
  return choices.map(c => (isRecord(c) ? (c.message ?? c.delta) : undefined));
}
