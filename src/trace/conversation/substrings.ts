/**
 * Finding many strings inside other strings in time linear in their total
 * length: the index behind `missing()` (strings.ts). Imports nothing.
 */

// An unescaped quote closes a JSON string literal; one left open runs to the
// end, so a scan never restarts and stays linear on any input.
const LITERAL = /"([^"\\]*(?:\\[\s\S][^"\\]*)*)("?)/g;

/**
 * The contents of the JSON string literals in `text`, as written (escaped),
 * scanned left to right: each is a substring of `text`.
 */
export function quotedLiterals(text: string): string[] {
  const out: string[] = [];
  if (text.includes('"')) {
    for (const match of text.matchAll(LITERAL)) {
      if (match[2] === '"') {
        out.push(match[1]);
      }
    }
  }
  return out;
}

/**
 * Which of a set of patterns occur in the texts fed to it: an Aho–Corasick
 * automaton on UTF-16 code units, as `String.prototype.includes` compares.
 *
 * #### Notes
 * `mark(text, marks)` sets `marks[state]` for every state `text` reaches and
 * for the states its failure links lead to, stopping at one already marked
 * (whose own chain is marked), so feeding any number of texts to one marks
 * array costs their length plus the automaton's size. Pattern `i` occurs in
 * a text fed to `marks` when `marks[ends[i]]` is set; no pattern is empty.
 */
export class Occurrences {
  /** The state each pattern ends in. */
  readonly ends: number[];

  constructor(patterns: readonly string[]) {
    const parent = [0];
    const unit = [0];
    const depth = [0];
    this.ends = patterns.map(pattern => {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const code = pattern.charCodeAt(i);
        const key = state * 65536 + code;
        let next = this._next.get(key);
        if (next === undefined) {
          next = parent.length;
          parent.push(state);
          unit.push(code);
          depth.push(depth[state] + 1);
          this._next.set(key, next);
        }
        state = next;
      }
      return state;
    });
    this.size = parent.length;
    // Failure links in order of depth: a state's link is shallower than it.
    const levels: number[][] = [];
    depth.forEach((d, state) => (levels[d] ??= []).push(state));
    this._fail = new Array<number>(parent.length).fill(0);
    for (const level of levels.slice(2)) {
      for (const state of level) {
        this._fail[state] = this._step(this._fail[parent[state]], unit[state]);
      }
    }
  }

  /** Number of states: the length a marks array needs. */
  readonly size: number;

  /** Mark what `text` holds (see the notes above). */
  mark(text: string, marks: Uint8Array): void {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = this._step(state, text.charCodeAt(i));
      for (let s = state; s !== 0 && marks[s] === 0; s = this._fail[s]) {
        marks[s] = 1;
      }
    }
  }

  /** The state after `code` from `state`, following failure links. */
  private _step(state: number, code: number): number {
    for (;;) {
      const next = this._next.get(state * 65536 + code);
      if (next !== undefined) {
        return next;
      }
      if (state === 0) {
        return 0;
      }
      state = this._fail[state];
    }
  }

  private readonly _next = new Map<number, number>();
  private readonly _fail: number[];
}
