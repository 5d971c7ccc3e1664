/**
 * A line diff of two texts, bounded in time and size: past a size cap only a
 * prefix of each text is compared, and the result says so. Pure.
 */
import { diffLines } from 'diff';
import { formatCount } from '../../trace';

/** Characters of each side that are compared; longer texts are cut. */
export const MAX_DIFF_CHARS = 50_000;
/** Time the diff may take before both sides are shown whole instead. */
const DIFF_TIMEOUT_MS = 250;

/** One run of lines, from one side or both. */
export interface IDiffPart {
  kind: 'added' | 'removed' | 'same';
  /** The lines, each ending in a newline. */
  text: string;
}

/** The parts of a diff, with a note when it is not a full diff. */
export interface ITextDiff {
  parts: IDiffPart[];
  /** Why the diff is partial or missing; absent for a full diff. */
  note?: string;
}

/** The first `MAX_DIFF_CHARS` of `text`, cut at a line end when there is one. */
function prefix(text: string): string {
  if (text.length <= MAX_DIFF_CHARS) {
    return text;
  }
  const cut = text.slice(0, MAX_DIFF_CHARS);
  const lastLine = cut.lastIndexOf('\n');
  return lastLine > 0 ? cut.slice(0, lastLine + 1) : cut;
}

/** Text ending in exactly one newline, so the last lines compare equal. */
function terminated(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Diff `left` (A) against `right` (B) line by line, within the caps. */
export function boundedLineDiff(left: string, right: string): ITextDiff {
  const [a, b] = [terminated(prefix(left)), terminated(prefix(right))];
  const tooLarge =
    left.length > MAX_DIFF_CHARS || right.length > MAX_DIFF_CHARS
      ? `too large to diff in full (A ${formatCount(left.length)} chars, ` +
        `B ${formatCount(right.length)} chars): ` +
        `the first ${formatCount(MAX_DIFF_CHARS)} characters of each are compared`
      : undefined;
  const changes = diffLines(a, b, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) {
    const timedOut =
      `not diffed: too many changed lines to diff within ${DIFF_TIMEOUT_MS} ms, ` +
      'so A is shown as removed and B as added';
    return {
      parts: [
        { kind: 'removed', text: a },
        { kind: 'added', text: b }
      ],
      note: tooLarge ? `${tooLarge}; ${timedOut}` : timedOut
    };
  }
  return {
    parts: changes.map(change => ({
      kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
      text: change.value
    })),
    note: tooLarge
  };
}
