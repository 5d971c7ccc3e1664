/**
 * Gemini's parts, which carry no `type`: function calls and responses,
 * inline and file data, and `thought` text (shown folded); its candidates
 * and system instruction. Google ADK writes the same shapes. The `contents`
 * list is read in turns.ts.
 */
import { isRecord } from '../attributes';
import { dataUrl, imagePart, KeyReader, toolCall, toolResult } from './parts';

/** Readers of Gemini parts, by the key holding them (snake or camel case). */
export const GEMINI_KEYS: KeyReader[] = [
  [['functionCall', 'function_call'], v => [toolCall(v.id, v.name, v.args)]],
  [
    ['functionResponse', 'function_response'],
    v => [toolResult(v.id, v.name, v.response)]
  ],
  [
    ['inlineData', 'inline_data'],
    v => [imagePart(dataUrl(v.mimeType ?? v.mime_type, v.data))]
  ],
  [['fileData', 'file_data'], v => [imagePart(v.fileUri ?? v.file_uri)]]
];

/** Whether an item is thought text: a Gemini `thought` part or a `reasoning` text item. */
export function isThoughtText(item: Record<string, unknown>): boolean {
  const type = item.type ?? item.block_type;
  return (
    typeof item.text === 'string' &&
    (item.thought === true || type === 'reasoning')
  );
}

/** The contents of a response's `candidates`. */
export function candidateContents(candidates: unknown[]): unknown[] {
  return candidates.map(c => (isRecord(c) ? c.content : undefined));
}

/** The system instruction of a request's `config` (its parts when it has them). */
export function systemInstruction(config: unknown): unknown {
  if (!isRecord(config)) {
    return undefined;
  }
  const instruction = config.system_instruction ?? config.systemInstruction;
  if (isRecord(instruction) && instruction.parts !== undefined) {
    return instruction.parts;
  }
  return instruction;
}
