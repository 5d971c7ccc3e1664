/**
 * The assessments pane's arrangement of a trace's assessments: the current
 * ones, each with the history it superseded, and a section per target
 * (the trace, a span) with feedback grouped by name then value. Pure.
 */
import { IAssessmentItem, sourceTypeText, valueKind } from '../../trace';

/** The feedback name MLflow's UI keeps a reviewer's notes under. */
export const NOTES_NAME = 'mlflow.notes';

/** A current assessment and the older ones it superseded, newest first. */
export interface IAssessmentEntry {
  item: IAssessmentItem;
  history: IAssessmentItem[];
}

/** The feedback of one name with one value. */
export interface IValueGroup {
  /** Kind and text, so `true` and `"true"` stay apart; 'error' for failed judges. */
  key: string;
  valueText: string;
  /** Judges that failed to give a value. */
  failed: boolean;
  entries: IAssessmentEntry[];
}

/** The feedback of one name, by value. */
export interface IFeedbackGroup {
  name: string;
  count: number;
  values: IValueGroup[];
}

/** The assessments about one target (the trace or one span). */
export interface IAssessmentSection {
  feedback: IFeedbackGroup[];
  expectations: IAssessmentEntry[];
  issues: IAssessmentEntry[];
  /** Reviewers' notes (feedback named {@link NOTES_NAME}), as MLflow's UI keeps them. */
  notes: IAssessmentEntry[];
  /** Current assessments in the section. */
  count: number;
}

/**
 * The current assessments (those no other one supersedes), in the server's
 * order, each with its override chain. An assessment that is superseded but
 * whose successor cannot be reached (a cycle of overrides) stays current,
 * so nothing is left out.
 */
export function currentEntries(
  items: readonly IAssessmentItem[]
): IAssessmentEntry[] {
  const byId = new Map<string, IAssessmentItem>();
  const overridden = new Set<string>();
  for (const item of items) {
    if (item.id !== undefined && !byId.has(item.id)) {
      byId.set(item.id, item);
    }
    if (item.overrides !== undefined) {
      overridden.add(item.overrides);
    }
  }
  const shown = new Set<IAssessmentItem>();
  const chain = (head: IAssessmentItem): IAssessmentEntry => {
    shown.add(head);
    const history: IAssessmentItem[] = [];
    const seen = new Set([head]);
    let older = head.overrides ? byId.get(head.overrides) : undefined;
    while (older && !seen.has(older)) {
      seen.add(older);
      history.push(older);
      shown.add(older);
      older = older.overrides ? byId.get(older.overrides) : undefined;
    }
    return { item: head, history };
  };
  const superseded = (item: IAssessmentItem) =>
    !item.valid && item.id !== undefined && overridden.has(item.id);
  const entries = items.filter(item => !superseded(item)).map(chain);
  // Items only reachable through a cycle of overrides: shown as they are.
  for (const item of items) {
    if (!shown.has(item)) {
      entries.push(chain(item));
    }
  }
  return entries;
}

/** The value group key: kind and text, or 'error' for a failed judge. */
function valueKey(item: IAssessmentItem): string {
  return item.error && item.value === null
    ? 'error'
    : `${valueKind(item.value)}:${item.valueText}`;
}

/** The section of `spanId`'s assessments (undefined: the trace's own). */
export function sectionOf(
  entries: readonly IAssessmentEntry[],
  spanId: string | undefined
): IAssessmentSection {
  const section: IAssessmentSection = {
    feedback: [],
    expectations: [],
    issues: [],
    notes: [],
    count: 0
  };
  const byName = new Map<string, IFeedbackGroup>();
  for (const entry of entries) {
    const { item } = entry;
    if (item.spanId !== spanId) {
      continue;
    }
    section.count += 1;
    if (item.kind === 'expectation') {
      section.expectations.push(entry);
      continue;
    }
    if (item.kind === 'issue') {
      section.issues.push(entry);
      continue;
    }
    if (item.name === NOTES_NAME) {
      section.notes.push(entry);
      continue;
    }
    let group = byName.get(item.name);
    if (!group) {
      group = { name: item.name, count: 0, values: [] };
      byName.set(item.name, group);
      section.feedback.push(group);
    }
    group.count += 1;
    const key = valueKey(item);
    let value = group.values.find(v => v.key === key);
    if (!value) {
      value = {
        key,
        valueText: item.valueText,
        failed: key === 'error',
        entries: []
      };
      group.values.push(value);
    }
    value.entries.push(entry);
  }
  return section;
}

/** Who gave a value: "2 human, 1 LLM judge", in order of appearance. */
export function sourceCountsText(entries: readonly IAssessmentEntry[]): string {
  const counts = new Map<string, number>();
  for (const { item } of entries) {
    const word = sourceTypeText(item.sourceType);
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts].map(([word, count]) => `${count} ${word}`).join(', ');
}
