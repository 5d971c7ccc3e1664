/**
 * Bedrock Converse content blocks, which carry no `type`: toolUse,
 * toolResult, reasoningContent (shown folded) and image bytes. Text blocks
 * are read by the common reader; the reply sits in `output.message`.
 */
import { isRecord } from '../attributes';
import { valueText } from '../format';
import {
  dataUrl,
  imagePart,
  KeyReader,
  reasoningPart,
  toolCall,
  toolResult
} from './parts';
import { stringsIn } from './strings';

/** Readers of Bedrock Converse blocks, by the key holding them. */
export const BEDROCK_KEYS: KeyReader[] = [
  [['toolUse'], v => [toolCall(v.toolUseId, v.name, v.input)]],
  [['toolResult'], v => [toolResult(v.toolUseId, undefined, v.content)]],
  [['reasoningContent'], v => stringsIn(v, true).map(reasoningPart)],
  [
    ['image'],
    v => [
      imagePart(
        dataUrl(
          `image/${valueText(v.format)}`,
          isRecord(v.source) ? v.source.bytes : undefined
        )
      )
    ]
  ]
];

/** The reply message of a Converse response (`output.message`), if any. */
export function converseReply(value: Record<string, unknown>): unknown {
  return isRecord(value.output) && isRecord(value.output.message)
    ? value.output.message
    : undefined;
}
