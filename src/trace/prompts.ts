/**
 * Linked prompts (`mlflow.linkedPrompts`): the prompt versions a trace or a
 * span used, and their page in MLflow's UI. Pure.
 *
 * #### Notes
 * MLflow 3.17.2's `mlflow.genai.load_prompt`, called inside a trace, writes
 * the list `[{"name": …, "version": "2"}]` both as a trace tag (a JSON
 * string) and as an attribute of the active span (decoded once, the list).
 */
import { isRecord } from './attributes';
import { ISpan } from './span';
import { safeHttpUrl } from './url';
import { encodeUriComponentSafe } from './wellformed';

/** The trace tag and span attribute naming linked prompts. */
export const LINKED_PROMPTS_KEY = 'mlflow.linkedPrompts';

/** One prompt version a trace or span used. */
export interface ILinkedPrompt {
  name: string;
  version: string;
}

/** Longest name or version kept, in UTF-16 units: longer entries are not prompts. */
const MAX_FIELD_CHARS = 1000;

function field(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  if (typeof value !== 'string') {
    return null;
  }
  const text = value.trim();
  return text !== '' && text.length <= MAX_FIELD_CHARS ? text : null;
}

/** The list a value holds: the value, or a JSON string of one (once or twice encoded). */
function asList(value: unknown): unknown[] {
  let current = value;
  for (let depth = 0; depth < 2 && typeof current === 'string'; depth++) {
    try {
      current = JSON.parse(current);
    } catch {
      return [];
    }
  }
  return Array.isArray(current) ? current : [];
}

/**
 * The prompts a `mlflow.linkedPrompts` value names, in its order, each
 * once. Entries without a name or a version are skipped; never throws.
 */
export function parseLinkedPrompts(value: unknown): ILinkedPrompt[] {
  const prompts: ILinkedPrompt[] = [];
  const seen = new Set<string>();
  for (const entry of asList(value)) {
    if (!isRecord(entry)) {
      continue;
    }
    const name = field(entry.name);
    const version = field(entry.version);
    if (name === null || version === null) {
      continue;
    }
    const key = JSON.stringify([name, version]);
    if (!seen.has(key)) {
      seen.add(key);
      prompts.push({ name, version });
    }
  }
  return prompts;
}

/** The prompts a span loaded (its `mlflow.linkedPrompts` attribute). */
export function spanLinkedPrompts(span: ISpan): ILinkedPrompt[] {
  return parseLinkedPrompts(span.attribute(LINKED_PROMPTS_KEY));
}

/** The prompts a trace used (its info's `mlflow.linkedPrompts` tag). */
export function traceLinkedPrompts(info: unknown): ILinkedPrompt[] {
  const tags = isRecord(info) ? info.tags : undefined;
  return isRecord(tags) ? parseLinkedPrompts(tags[LINKED_PROMPTS_KEY]) : [];
}

/** A prompt as MLflow's UI names it: "name v2". */
export function linkedPromptText(prompt: ILinkedPrompt): string {
  return `${prompt.name} v${prompt.version}`;
}

/**
 * The prompt's page in MLflow's UI, in the experiment of a trace whose UI
 * page is `traceUiUrl` (as `mlflowTraceUiUrl` builds it); null without one.
 *
 * #### Notes
 * MLflow 3.17.2's trace views link a prompt version as
 * `#/experiments/{id}/prompts/{name}?promptVersion={version}`. The server and
 * experiment are taken from the trace's page, which passed the URL rule; the
 * result passes it again.
 */
export function mlflowPromptUiUrl(
  traceUiUrl: unknown,
  prompt: ILinkedPrompt
): string | null {
  const trace = safeHttpUrl(traceUiUrl);
  const found =
    trace === null
      ? null
      : /^([^#]*)#\/experiments\/([^/?#]+)\/traces(?:[?]|$)/.exec(trace);
  if (found === null) {
    return null;
  }
  const [, base, experimentId] = found;
  const name = encodeUriComponentSafe(prompt.name);
  const version = encodeUriComponentSafe(prompt.version);
  return safeHttpUrl(
    `${base}#/experiments/${experimentId}/prompts/${name}?promptVersion=${version}`
  );
}
