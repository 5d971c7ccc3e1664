/**
 * The assessments section of a trace's text/html fallback: the valid
 * feedback, expectations and issue references on the trace and on its
 * spans, so a shared notebook shows a review without a server; and the
 * one-line forms of the trace-list rows and the text/plain lines. The twin
 * of the Python package's `_assessment_fallback.py` (same bytes); what is
 * read of each assessment is in assessmentread.ts.
 */
import { ISpanNode, ITrace } from '../trace';
import { fallbackAssessments, IFallbackAssessment } from './assessmentread';
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

/** Longest assessments cell of a trace-list row, in characters. */
const MAX_LIST_CELL_CHARS = 200;

/** Longest value in a trace-list row's assessments cell, in characters. */
const MAX_LIST_VALUE_CHARS = 60;

/** Assessments named at most in a trace-list row's cell (it is cut at 200 characters anyway). */
const MAX_LIST_ITEMS = 20;

/**
 * A trace-list row's valid assessments on one line, `thumbs_up: true,
 * relevance: 0.9` (a failed judge's as `Judge failed: …`); '' when it has none.
 */
export function assessmentsLine(info: unknown): string {
  const parts = fallbackAssessments(info)
    .valid.slice(0, MAX_LIST_ITEMS)
    .map(
      item =>
        `${ellipsize(item.name, MAX_NAME_CHARS)}: ${ellipsize(item.valueText, MAX_LIST_VALUE_CHARS)}`
    );
  return ellipsize(oneLine(parts.join(', ')), MAX_LIST_CELL_CHARS);
}

/** What a text/plain line adds for a trace's valid assessments: `, 3 assessments`, or ''. */
export function assessmentCountText(info: unknown): string {
  const count = fallbackAssessments(info).valid.length;
  return count > 0 ? `, ${plural(count, 'assessment')}` : '';
}
