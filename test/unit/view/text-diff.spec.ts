/**
 * The bounded line diff of the comparison: full for small texts, a stated
 * prefix for large ones, and never slower than its time cap.
 */
import {
  boundedLineDiff,
  MAX_DIFF_CHARS
} from '../../../src/view/list/textDiff';

const side = (parts: { kind: string; text: string }[], kind: string) =>
  parts
    .filter(part => part.kind === kind || part.kind === 'same')
    .map(part => part.text)
    .join('');

describe('boundedLineDiff', () => {
  it('diffs small texts in full, with no note', () => {
    const diff = boundedLineDiff('a\nb\nc', 'a\nB\nc');
    expect(diff.note).toBeUndefined();
    expect(diff.parts).toEqual([
      { kind: 'same', text: 'a\n' },
      { kind: 'removed', text: 'b\n' },
      { kind: 'added', text: 'B\n' },
      { kind: 'same', text: 'c\n' }
    ]);
  });

  it('compares a prefix cut at a line end of a text past the cap, and says so', () => {
    const line = 'x'.repeat(99) + '\n';
    const big = line.repeat(Math.ceil((MAX_DIFF_CHARS * 3) / line.length));
    const diff = boundedLineDiff(big, 'short');
    expect(diff.note).toMatch(
      /^too large to diff in full \(A 150,000 chars, B 5 chars\)/
    );
    const compared = side(diff.parts, 'removed');
    expect(compared.length).toBeLessThanOrEqual(MAX_DIFF_CHARS);
    expect(compared.length % line.length).toBe(0);
  });

  it('keeps every line of both sides when every line differs, within its time cap', () => {
    const lines = (tag: string) =>
      Array.from({ length: 3000 }, (_, i) => `${tag} ${i * 7919}`).join('\n');
    const [a, b] = [lines('left'), lines('right')];
    expect(b.length).toBeLessThan(MAX_DIFF_CHARS);
    const started = performance.now();
    const diff = boundedLineDiff(a, b);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(side(diff.parts, 'removed')).toBe(`${a}\n`);
    expect(side(diff.parts, 'added')).toBe(`${b}\n`);
    if (diff.note) {
      expect(diff.note).toMatch(/^not diffed: too many changed lines/);
    }
  });
});
