/**
 * Display content as a notebook can store it.
 *
 * #### Notes
 * JavaScript strings may hold lone UTF-16 surrogates (a model output cut in
 * the middle of an emoji, or user text), but UTF-8 cannot encode them: the
 * Jupyter server accepts such an output and then fails to save the
 * notebook, losing every change since the last save. Each lone surrogate
 * becomes U+FFFD, the replacement character, as `String.toWellFormed` does.
 */

import { wellFormedString } from '../trace';

/**
 * A copy of a JSON value in which every string, keys included, is well
 * formed. Objects that need no change are returned as they are.
 */
export function wellFormedJson<T>(value: T): T {
  return fix(value) as T;
}

function fix(value: unknown): unknown {
  if (typeof value === 'string') {
    return wellFormedString(value);
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, index) => {
      const fixed = fix(item);
      if (fixed !== item) {
        copy ??= value.slice();
        copy[index] = fixed;
      }
    });
    return copy ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const fixedKey = wellFormedString(key);
      const fixed = fix(item);
      changed ||= fixedKey !== key || fixed !== item;
      return [fixedKey, fixed] as const;
    });
    if (!changed) {
      return value;
    }
    const copy: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      // defineProperty: a "__proto__" key stays data, not a prototype
      Object.defineProperty(copy, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true
      });
    }
    return copy;
  }
  return value;
}

// An escaped surrogate not preceded by an escaped backslash. JSON.stringify
// writes surrogate pairs as they are and escapes only lone surrogates.
const ESCAPED_LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/gi;

/**
 * JSON text from `JSON.stringify` with its lone surrogates, which it writes
 * as `\udxxx` escapes, replaced by U+FFFD: a reader such as MLflow's server
 * decodes the escapes back into strings it then cannot store.
 */
export function wellFormedJsonText(text: string): string {
  return text.replace(ESCAPED_LONE_SURROGATE, '$1\uFFFD');
}
