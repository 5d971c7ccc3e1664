/**
 * LlamaIndex's content blocks (`blocks` of `block_type`): images by URL or
 * inline bytes and thinking blocks. Its text blocks are read by the common
 * `text` reader, its tool-call blocks by the `tool_call` reader of otel.ts.
 */
import { dataUrl, imagePart, one, reasoningPart, TypeReader } from './parts';
import { IMAGE_KEYS } from './anthropic';

/** Readers of LlamaIndex blocks, by `block_type`; tried after Anthropic's. */
export const LLAMAINDEX_TYPES: Record<string, TypeReader> = {
  image: item =>
    one(
      imagePart(
        typeof item.url === 'string'
          ? item.url
          : dataUrl(item.image_mimetype, item.image)
      ),
      ...IMAGE_KEYS
    ),
  thinking: item =>
    typeof item.content === 'string'
      ? one(reasoningPart(item.content), 'content')
      : null
};
