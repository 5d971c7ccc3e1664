/**
 * What a conversation has shown so far, so that the history every model
 * call resends is not shown again (trace/conversationSteps.ts). Pure.
 *
 * #### Notes
 * A message is a repeat when it is equal (role and content, see
 * {@link messageKey}) to one shown at the same position of an earlier model
 * call's history, positions counting the messages other than system prompts
 * (which some calls add and others leave out, so a system prompt repeats
 * wherever it stands), or to a message of the request; or when it holds only
 * tool results that tool steps already showed.
 */
import { callText, IChatMessage, partText } from './conversation';

/** The id of an MLflow trace attachment in a reference to it. */
const ATTACHMENT_ID = /(?<=mlflow-attachment:\/\/)[^?\s]*/g;

/**
 * A message's identity for the history: its role kind (or role, when it is
 * not one of the known kinds) and its parts as text, a tool call without
 * its result (the call is the same message before and after it is answered).
 */
export function messageKey(message: IChatMessage): string {
  const role = message.roleKind === 'other' ? message.role : message.roleKind;
  const parts = message.parts.map(part =>
    part.kind === 'toolCall' ? callText(part) : partText(part)
  );
  // The same image is stored once per span that logs it, under a new id.
  return `${role}\u0000${parts.join('\u0000')}`.replace(ATTACHMENT_ID, '');
}

/** The position of what repeats wherever it stands: system prompts, the request. */
const ANYWHERE = -1;

/** A tool's result as text comparable across formats: JSON re-written compactly. */
function resultText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.trim();
  }
}

/**
 * The messages shown so far: at each position of a model call's history
 * (counting messages other than system prompts), system prompts and the
 * request's messages anywhere, and the results the tool steps showed.
 */
export class ConversationHistory {
  /** The request's messages: repeats at any position. */
  addRequest(messages: readonly IChatMessage[]): void {
    for (const message of messages) {
      this._add(messageKey(message), ANYWHERE);
    }
  }

  /** A tool step showed `result`. */
  addToolResult(result: string): void {
    this._toolResults.add(resultText(result));
  }

  /**
   * The messages of a model call's history (inputs, then outputs) not
   * shown before; all of them count as shown from now on.
   */
  fresh(messages: readonly IChatMessage[]): IChatMessage[] {
    const fresh: IChatMessage[] = [];
    let position = 0;
    for (const message of messages) {
      const key = messageKey(message);
      const at = message.roleKind === 'system' ? ANYWHERE : position++;
      if (!this._isRepeat(key, at) && !this._toolResultsShown(message)) {
        fresh.push(message);
      }
      this._add(key, at);
    }
    return fresh;
  }

  /** True when `key` was shown anywhere. */
  shown(key: string): boolean {
    return this._all.has(key);
  }

  private _add(key: string, at: number): void {
    let keys = this._byPosition.get(at);
    if (keys === undefined) {
      keys = new Set();
      this._byPosition.set(at, keys);
    }
    keys.add(key);
    this._all.add(key);
  }

  private _isRepeat(key: string, at: number): boolean {
    return (
      (this._byPosition.get(at)?.has(key) ?? false) ||
      (this._byPosition.get(ANYWHERE)?.has(key) ?? false)
    );
  }

  /** True when the message is tool results only, each shown by a tool step. */
  private _toolResultsShown(message: IChatMessage): boolean {
    return (
      message.parts.length > 0 &&
      message.parts.every(
        part =>
          part.kind === 'toolResult' &&
          this._toolResults.has(resultText(part.text))
      )
    );
  }

  private _byPosition = new Map<number, Set<string>>();
  private _all = new Set<string>();
  private _toolResults = new Set<string>();
}
