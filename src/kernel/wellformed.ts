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
    // Most objects need no change: look first, copy only when one does.
    const source = value as Record<string, unknown>;
    let copy: Record<string, unknown> | null = null;
    for (const key of Object.keys(source)) {
      const fixedKey = wellFormedString(key);
      const item = source[key];
      const fixed = fix(item);
      if (copy === null && (fixedKey !== key || fixed !== item)) {
        copy = {};
        for (const before of Object.keys(source)) {
          if (before === key) {
            break;
          }
          define(copy, before, source[before]);
        }
      }
      if (copy !== null) {
        define(copy, fixedKey, fixed);
      }
    }
    return copy ?? value;
  }
  return value;
}

// defineProperty: a "__proto__" key stays data, not a prototype
function define(target: Record<string, unknown>, key: string, item: unknown) {
  Object.defineProperty(target, key, {
    value: item,
    enumerable: true,
    writable: true,
    configurable: true
  });
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
