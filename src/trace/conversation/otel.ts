/**
 * OpenTelemetry GenAI semantic conventions (`role` + `parts`: tool_call and
 * tool_call_response parts; text parts are read by the common `text`
 * reader) and the tools MLflow lists in the `mlflow.chat.tools` attribute.
 */
import { isRecord } from '../attributes';
import { valueText } from '../format';
import { one, toolCall, toolResult, TypeReader } from './parts';
import { IChatTool } from './types';

/** Readers of OpenTelemetry GenAI parts, by `type`. */
export const OTEL_TYPES: Record<string, TypeReader> = {
  // OpenTelemetry GenAI {id, name, arguments}; LlamaIndex {tool_call_id, tool_name, tool_kwargs}.
  tool_call: item =>
    one(
      toolCall(
        item.id ?? item.tool_call_id,
        item.name ?? item.tool_name,
        item.arguments ?? item.tool_kwargs
      ),
      'tool_call_id',
      'name',
      'tool_name',
      'arguments',
      'tool_kwargs'
    ),
  tool_call_response: item =>
    one(
      toolResult(item.id, undefined, item.response ?? item.result),
      'response',
      'result'
    )
};

/** Tools offered, from `mlflow.chat.tools` (OpenAI's `{type, function}` or bare). */
export function chatTools(value: unknown): IChatTool[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter(isRecord).map(tool => {
    const fn = isRecord(tool.function) ? tool.function : tool;
    return {
      name: valueText(fn.name ?? ''),
      description: typeof fn.description === 'string' ? fn.description : ''
    };
  });
}
