/**
 * Anthropic Messages content blocks: image sources, thinking (shown folded),
 * redacted thinking, tool_use and tool_result. Text blocks are read by the
 * common `text` reader; the system prompt given apart, in turns.ts.
 */
import { isRecord } from '../attributes';
import {
  dataUrl,
  imagePart,
  one,
  reasoningPart,
  toolCall,
  toolResult,
  TypeReader
} from './parts';

/** The keys an `image` item's readers read (Anthropic's and LlamaIndex's). */
export const IMAGE_KEYS = ['source', 'url', 'image', 'path'];

/** Readers of Anthropic content blocks, by `type`. */
export const ANTHROPIC_TYPES: Record<string, TypeReader> = {
  // {source: {type: url | base64}}; another source is LlamaIndex's to read.
  image: item => {
    const source = isRecord(item.source) ? item.source : undefined;
    if (source?.type === 'url') {
      return one(imagePart(source.url), ...IMAGE_KEYS);
    }
    if (source?.type === 'base64') {
      return one(
        imagePart(dataUrl(source.media_type, source.data)),
        ...IMAGE_KEYS
      );
    }
    return null;
  },
  thinking: item =>
    typeof item.thinking === 'string'
      ? one(reasoningPart(item.thinking), 'thinking')
      : null,
  redacted_thinking: () =>
    one({ kind: 'note', text: 'redacted thinking' }, 'data'),
  tool_use: item =>
    one(toolCall(item.id, item.name, item.input), 'name', 'input'),
  tool_result: item =>
    one(
      toolResult(item.tool_use_id, undefined, item.content),
      'tool_use_id',
      'content',
      'is_error'
    )
};
