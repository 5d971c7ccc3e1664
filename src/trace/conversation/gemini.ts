/**
 * Gemini's parts, which carry no `type`: function calls and responses,
 * inline and file data, and `thought` text (shown folded); its candidates
 * and system instruction, and how its calls and responses, which carry no
 * ids, pair. Google ADK writes the same shapes. The `contents` list is read
 * in turns.ts.
 */
import { isRecord } from '../attributes';
import { dataUrl, imagePart, KeyReader, toolCall, toolResult } from './parts';
import { IToolCallPart } from './types';

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

/**
 * Calls that carry no id, waiting for their responses: Gemini's pair by
 * name, in order, each response answering the first unanswered call of its
 * name. A queue per name keeps pairing linear in the calls (a search of
 * every call before each response was quadratic).
 */
export class UnnamedCalls {
  /** Wait for the response to `call`. */
  add(call: IToolCallPart): void {
    const queue = this._queues.get(call.name);
    if (queue) {
      queue.calls.push(call);
    } else {
      this._queues.set(call.name, { calls: [call], next: 0 });
    }
  }

  /** The first unanswered call named `name`, taken from its queue. */
  take(name: string | undefined): IToolCallPart | undefined {
    const queue = name === undefined ? undefined : this._queues.get(name);
    while (queue && queue.next < queue.calls.length) {
      const call = queue.calls[queue.next++];
      if (call.result === undefined) {
        return call;
      }
    }
    return undefined;
  }

  // `next`: how many of `calls` were taken (an index, not `shift()`, which
  // can copy the array).
  private _queues = new Map<string, { calls: IToolCallPart[]; next: number }>();
}
