/**
 * The assessments section of a trace's text/html fallback: the valid
 * feedback, expectations and issue references on the trace and on its
 * spans, so a shared notebook shows a review without a server. The twin of
 * the Python package's `_assessment_fallback.py` (same bytes).
 *
 * #### Notes
 * Reads `info.assessments` as MLflow 3.17.2 sends them: a failed judge is a
 * feedback with `error {error_code, error_message}`; an expectation holding
 * JSON arrives as `serialized_value.value` (shown parsed, as the pane shows
 * it; as stored when it is not JSON); an issue
 * reference is named by its issue id and holds `issue.issue_name`. A
 * superseded assessment (`valid: false`: overridden) is counted, not listed.
 */
import {
  assessmentValueText,
  isRecord,
  ISpanNode,
  ITrace,
  normalizeId,
  parseJsonExact
} from '../trace';
import {
  MAX_NAME_CHARS,
  MAX_TYPE_CHARS,
  oneLine,
  plural,
  writeSpanLabel
} from './format';
import { FALLBACK_CLASS as CLS, HtmlWriter } from './html';
import { ellipsize } from './util';

/** Assessments listed per trace before a "… N more assessments" line. */
export const MAX_FALLBACK_ASSESSMENTS = 100;

/** Longest value, error or source id shown, in characters. */
const MAX_VALUE_CHARS = 200;

/** Longest rationale shown, in characters. */
const MAX_RATIONALE_CHARS = 300;

/** One valid assessment, as the fallbacks show it. */
export interface IFallbackAssessment {
  kind: 'feedback' | 'expectation' | 'issue';
  name: string;
  /** The value as text (`assessmentValueText`, the pane's rule); the error of a failed judge. */
  valueText: string;
  failed: boolean;
  sourceType: string;
  sourceId: string;
  rationale: string;
  /** Normalized span id; null on the trace. */
  spanId: string | null;
}

/** What the fallbacks read of a trace info's assessments. */
export interface IFallbackAssessments {
  valid: IFallbackAssessment[];
  superseded: number;
  /** Entries with no name or no feedback, expectation or issue. */
  unreadable: number;
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key)
    ? record[key]
    : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A serialized expectation's JSON text as its value's text; the text itself when it is not JSON. */
function serializedText(raw: string): string {
  try {
    return assessmentValueText(parseJsonExact(raw));
  } catch {
    return raw;
  }
}

function read(item: Record<string, unknown>): IFallbackAssessment | null {
  const name = own(item, 'assessment_name');
  const feedback = own(item, 'feedback');
  const expectation = own(item, 'expectation');
  const issue = own(item, 'issue');
  if (typeof name !== 'string') {
    return null;
  }
  const source = isRecord(own(item, 'source'))
    ? (item.source as Record<string, unknown>)
    : {};
  const base = {
    name,
    failed: false,
    sourceType: text(own(source, 'source_type')),
    sourceId: text(own(source, 'source_id')),
    rationale: text(own(item, 'rationale')),
    spanId: normalizeId(own(item, 'span_id'))
  };
  if (isRecord(feedback)) {
    const error = own(feedback, 'error');
    if (isRecord(error)) {
      const parts = [
        text(own(error, 'error_code')),
        text(own(error, 'error_message'))
      ];
      const shown = parts.filter(part => part !== '').join(': ') || 'failed';
      return {
        ...base,
        kind: 'feedback',
        valueText: `error ${shown}`,
        failed: true
      };
    }
    return {
      ...base,
      kind: 'feedback',
      valueText: assessmentValueText(own(feedback, 'value'))
    };
  }
  if (isRecord(expectation)) {
    const serialized = own(expectation, 'serialized_value');
    const value = Object.prototype.hasOwnProperty.call(expectation, 'value')
      ? assessmentValueText(expectation.value)
      : isRecord(serialized)
        ? serializedText(text(own(serialized, 'value')))
        : '';
    return { ...base, kind: 'expectation', valueText: value };
  }
  if (isRecord(issue)) {
    return {
      ...base,
      kind: 'issue',
      valueText: text(own(issue, 'issue_name'))
    };
  }
  return null;
}

/** The valid assessments of a trace info in its order, and how many are superseded or unreadable. */
export function fallbackAssessments(info: unknown): IFallbackAssessments {
  const out: IFallbackAssessments = { valid: [], superseded: 0, unreadable: 0 };
  const list = isRecord(info) ? own(info, 'assessments') : undefined;
  if (!Array.isArray(list)) {
    return out;
  }
  for (const raw of list) {
    const item = isRecord(raw) ? read(raw) : null;
    if (item === null) {
      out.unreadable++;
    } else if (own(raw, 'valid') === false) {
      out.superseded++;
    } else {
      out.valid.push(item);
    }
  }
  return out;
}

function writeItem(w: HtmlWriter, item: IFallbackAssessment): void {
  w.open(
    'li',
    item.failed
      ? { class: `${CLS.assessment} ${CLS.error}` }
      : { class: CLS.assessment }
  );
  w.element('span', { class: CLS.type }, item.kind);
  w.text(' ');
  w.element('strong', undefined, ellipsize(oneLine(item.name), MAX_NAME_CHARS));
  w.text(': ');
  w.element(
    'span',
    { class: CLS.value },
    ellipsize(oneLine(item.valueText), MAX_VALUE_CHARS)
  );
  const source = [
    ellipsize(oneLine(item.sourceType), MAX_TYPE_CHARS),
    ellipsize(oneLine(item.sourceId), MAX_VALUE_CHARS)
  ].filter(part => part !== '');
  if (source.length > 0) {
    w.text(' ');
    w.element('span', { class: CLS.duration }, `by ${source.join(' ')}`);
  }
  if (item.rationale !== '') {
    w.text(' — ');
    w.element(
      'span',
      { class: CLS.message },
      ellipsize(oneLine(item.rationale), MAX_RATIONALE_CHARS)
    );
  }
  w.close();
}

/** The valid assessments by span: the trace's first, then each span's in tree order, then unknown spans'. */
function groups(
  trace: ITrace,
  valid: readonly IFallbackAssessment[]
): [string | null, IFallbackAssessment[]][] {
  const bySpan = new Map<string | null, IFallbackAssessment[]>();
  for (const item of valid) {
    const group = bySpan.get(item.spanId);
    if (group) {
      group.push(item);
    } else {
      bySpan.set(item.spanId, [item]);
    }
  }
  const ordered: (string | null)[] = [null];
  for (const node of trace.nodesInOrder) {
    ordered.push(node.span.spanId);
  }
  const out: [string | null, IFallbackAssessment[]][] = [];
  for (const key of ordered.concat([...bySpan.keys()])) {
    const group = bySpan.get(key);
    if (group) {
      out.push([key, group]);
      bySpan.delete(key);
    }
  }
  return out;
}

/**
 * Writes a trace's assessments: a heading with the counts, then a list per
 * target (the trace, each span), at most MAX_FALLBACK_ASSESSMENTS items.
 */
export function writeAssessments(
  w: HtmlWriter,
  trace: ITrace,
  info: unknown
): void {
  const { valid, superseded, unreadable } = fallbackAssessments(info);
  if (valid.length + superseded + unreadable === 0) {
    return;
  }
  const heading = [plural(valid.length, 'assessment')];
  if (superseded > 0) {
    heading.push(`${plural(superseded, 'superseded assessment')} not shown`);
  }
  if (unreadable > 0) {
    heading.push(`${plural(unreadable, 'unreadable assessment')} left out`);
  }
  w.element('p', { class: CLS.header }, heading.join(' · '));
  const base = w.depth;
  w.open('ul', { class: `${CLS.tree} ${CLS.assessments}` });
  // The first node of each id, as the Python twin looks spans up
  const nodes = new Map<string, ISpanNode>();
  for (const node of trace.nodesInOrder) {
    if (!nodes.has(node.span.spanId)) {
      nodes.set(node.span.spanId, node);
    }
  }
  let left = MAX_FALLBACK_ASSESSMENTS;
  for (const [spanId, items] of groups(trace, valid)) {
    if (left <= 0) {
      break;
    }
    w.open('li');
    if (spanId === null) {
      w.text('On the trace');
    } else {
      const node = nodes.get(spanId);
      w.text('On span ');
      if (node) {
        writeSpanLabel(w, node.span);
      } else {
        w.element(
          'code',
          undefined,
          ellipsize(oneLine(spanId), MAX_NAME_CHARS)
        );
      }
    }
    w.open('ul');
    for (const item of items.slice(0, left)) {
      writeItem(w, item);
    }
    left -= items.length;
    w.close().close();
  }
  if (valid.length > MAX_FALLBACK_ASSESSMENTS) {
    const hidden = valid.length - MAX_FALLBACK_ASSESSMENTS;
    w.element(
      'li',
      { class: CLS.more },
      `… ${plural(hidden, 'more assessment')}`
    );
  }
  w.closeTo(base);
}
