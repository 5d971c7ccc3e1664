/**
 * Assessments of a trace (feedback, expectations and MLflow's issue
 * references) read from TraceInfoV3's `assessments` into one flat shape
 * every view uses, and the rules for writing new ones.
 *
 * #### Notes
 * Checked against `mlflow server` 3.17.2 (`GET api/3.0/mlflow/traces/{id}`):
 * - times are RFC 3339 strings with milliseconds (`create_time`,
 *   `last_update_time`); `valid` is always written; `overrides` names the
 *   assessment a newer one supersedes (the older one is then `valid: false`).
 * - feedback values are JSON values (`{feedback: {value}}`; integers come
 *   back as floats, `3` as `3.0`); a failed judge has `value: null` and
 *   `error: {error_code, error_message, stack_trace}`.
 * - expectations keep scalars in `value` and lists or objects as a JSON
 *   string in `serialized_value: {serialization_format: "JSON_FORMAT", value}`.
 * - issue references (`IssueReference`): `assessment_name` is the issue id,
 *   `issue: {issue_name}` its title.
 */
import { isRecord } from './attributes';
import { valueText as jsonText } from './format';
import { normalizeId } from './ids';
import { parseJsonExact } from './json';

/** What an assessment records. */
export type AssessmentKind = 'feedback' | 'expectation' | 'issue';

/** The JSON kind of an assessment value. */
export type ValueKind = 'boolean' | 'number' | 'string' | 'json';

/** One assessment as every view shows it. */
export interface IAssessmentItem {
  id: string | undefined;
  name: string;
  kind: AssessmentKind;
  /** The value (an issue's: its title); null or undefined when there is none. */
  value: unknown;
  /** The value as text, by {@link assessmentValueText}: one rule for every view. */
  valueText: string;
  /** The span it is about; undefined for the trace itself. */
  spanId: string | undefined;
  sourceType: string;
  sourceId: string;
  rationale: string | undefined;
  createTimeMs: number | undefined;
  updateTimeMs: number | undefined;
  /** Set when a judge failed to produce the value (its stack trace when it sent one). */
  error: { code: string; message: string; stackTrace?: string } | undefined;
  /** False once a newer assessment overrides it. */
  valid: boolean;
  /** The id of the assessment this one supersedes. */
  overrides: string | undefined;
  metadata: Record<string, string>;
}

/** Source types as words: "human", "LLM judge", "code". */
const SOURCE_WORDS: Record<string, string> = {
  HUMAN: 'human',
  LLM_JUDGE: 'LLM judge',
  CODE: 'code'
};

/** A source type as a word; unknown types as "unknown source". */
export function sourceTypeText(sourceType: string): string {
  return Object.prototype.hasOwnProperty.call(SOURCE_WORDS, sourceType)
    ? SOURCE_WORDS[sourceType]
    : 'unknown source';
}

/**
 * An assessment value as text: strings as they are, other values as compact
 * JSON (`true`, `0.75`, `["a","b"]`), '' when there is none (null, undefined).
 */
export function assessmentValueText(value: unknown): string {
  return value === null || value === undefined ? '' : jsonText(value);
}

/** The JSON kind of a value; null, lists and objects are 'json'. */
export function valueKind(value: unknown): ValueKind {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'json';
  }
}

/** Words of a kind for messages: "a boolean", "JSON". */
function kindWords(kind: ValueKind): string {
  return kind === 'json' ? 'JSON' : `a ${kind}`;
}

/**
 * Why `value` cannot be written as `kind` `name` given the existing
 * assessments (a clear message), or undefined when it can: a name needs
 * text, a value must be JSON, and a name whose values have one kind
 * (e.g. boolean) refuses another kind (e.g. a string).
 */
export function valueKindProblem(
  existing: readonly IAssessmentItem[],
  name: string,
  kind: 'feedback' | 'expectation',
  value: unknown
): string | undefined {
  if (!name.trim()) {
    return kind === 'feedback'
      ? 'Feedback needs a name.'
      : 'An expectation needs a name.';
  }
  if (value === undefined) {
    return `${capital(kind)} "${name}" needs a value.`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return `${capital(kind)} "${name}": ${value} is not a number JSON can hold.`;
  }
  const given = valueKind(value);
  const kinds = new Set<ValueKind>();
  for (const item of existing) {
    // A failed judge's missing value says nothing about the name's kind.
    if (item.kind === kind && item.name === name && item.value !== null) {
      kinds.add(valueKind(item.value));
    }
  }
  if (kinds.size === 0 || kinds.has(given)) {
    return undefined;
  }
  const has = [...kinds].map(k => (k === 'json' ? 'JSON' : k)).join(' and ');
  return `${capital(kind)} "${name}" has ${has} values; ${kindWords(given)} value cannot be added to it.`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** True for a human assessment whose source is `user`. */
export function isOwnAssessment(
  item: IAssessmentItem,
  user: string | undefined
): boolean {
  return (
    user !== undefined && item.sourceType === 'HUMAN' && item.sourceId === user
  );
}

/** The spans that have valid assessments. */
export function spanIdsWithAssessments(
  items: readonly IAssessmentItem[]
): Set<string> {
  const ids = new Set<string>();
  for (const item of items) {
    if (item.valid && item.spanId !== undefined) {
      ids.add(item.spanId);
    }
  }
  return ids;
}

/** RFC 3339 (any fraction digits; JS keeps ms) or a Unix ms number. */
function timeMs(raw: unknown): number | undefined {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? raw : undefined;
  }
  if (typeof raw !== 'string') {
    return undefined;
  }
  const ms = Date.parse(raw.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}

function text(raw: unknown): string | undefined {
  return typeof raw === 'string' ? raw : undefined;
}

/**
 * A failed judge in words, the one wording every view uses (pane, header,
 * fallbacks): "Judge failed: RATE_LIMIT: 429 too many".
 */
export function failedText(error: { code: string; message: string }): string {
  const said = [error.code, error.message].filter(Boolean).join(': ');
  return said ? `Judge failed: ${said}` : 'Judge failed';
}

/** The value, kind and error of one entry; a warning when it has none or a bad one. */
function content(
  entry: Record<string, unknown>,
  label: string,
  warn: (message: string) => void
): Pick<IAssessmentItem, 'kind' | 'value' | 'error'> | undefined {
  if (isRecord(entry.feedback)) {
    const { value, error } = entry.feedback;
    const failed = isRecord(error)
      ? {
          code: text(error.error_code) ?? '',
          message: text(error.error_message) ?? '',
          ...(text(error.stack_trace)
            ? { stackTrace: text(error.stack_trace) }
            : {})
        }
      : undefined;
    // A judge's error wins over a value it also sent, as MLflow's UI shows it.
    return {
      kind: 'feedback',
      value: failed ? null : (value ?? null),
      error: failed
    };
  }
  if (isRecord(entry.expectation)) {
    const { value, serialized_value: serialized } = entry.expectation;
    if (value !== undefined || !isRecord(serialized)) {
      return { kind: 'expectation', value: value ?? null, error: undefined };
    }
    const raw = text(serialized.value) ?? '';
    try {
      return {
        kind: 'expectation',
        value: parseJsonExact(raw),
        error: undefined
      };
    } catch {
      warn(`${label}: its serialized value is not JSON; shown as text.`);
      return { kind: 'expectation', value: raw, error: undefined };
    }
  }
  if (isRecord(entry.issue)) {
    return {
      kind: 'issue',
      value: text(entry.issue.issue_name) ?? '',
      error: undefined
    };
  }
  warn(`${label} is neither feedback, an expectation nor an issue: not shown.`);
  return undefined;
}

/** String entries of a metadata object; others are written as JSON. */
function metadataOf(raw: unknown): Record<string, string> {
  // fromEntries defines each key, so "__proto__" stays an entry like any other.
  return Object.fromEntries(
    Object.entries(isRecord(raw) ? raw : {}).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : jsonText(value)
    ])
  );
}

/**
 * A TraceInfoV3's `assessments` as items, in the server's order; entries
 * that cannot be read are left out with a warning saying which and why.
 */
export function parseAssessments(raw: unknown): {
  items: IAssessmentItem[];
  warnings: string[];
} {
  const items: IAssessmentItem[] = [];
  const warnings: string[] = [];
  if (raw === undefined || raw === null) {
    return { items, warnings };
  }
  if (!Array.isArray(raw)) {
    return { items, warnings: ['The assessments are not a list: none shown.'] };
  }
  raw.forEach((entry, index) => {
    if (!isRecord(entry)) {
      warnings.push(`Assessment ${index + 1} is not an object: not shown.`);
      return;
    }
    const name = text(entry.assessment_name);
    if (name === undefined) {
      warnings.push(`Assessment ${index + 1} has no name: not shown.`);
      return;
    }
    const label = `Assessment "${name}"`;
    const found = content(entry, label, message => warnings.push(message));
    if (!found) {
      return;
    }
    const source = isRecord(entry.source) ? entry.source : {};
    items.push({
      id: text(entry.assessment_id),
      name,
      ...found,
      valueText: assessmentValueText(found.value),
      // Hex as the span tree's ids, whatever encoding the writer used.
      spanId: normalizeId(entry.span_id) ?? undefined,
      sourceType: text(source.source_type) ?? 'SOURCE_TYPE_UNSPECIFIED',
      sourceId: text(source.source_id) ?? '',
      rationale: text(entry.rationale),
      createTimeMs: timeMs(entry.create_time ?? entry.create_time_ms),
      updateTimeMs: timeMs(entry.last_update_time ?? entry.last_update_time_ms),
      valid: entry.valid !== false,
      overrides: text(entry.overrides) || undefined,
      metadata: metadataOf(entry.metadata)
    });
  });
  return { items, warnings };
}
