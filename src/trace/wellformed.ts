/**
 * Lone UTF-16 surrogates: a model output cut inside an emoji leaves one, and
 * neither UTF-8 nor `encodeURIComponent` accepts it.
 */

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with each lone surrogate replaced by U+FFFD, as `String.toWellFormed` does. */
export function wellFormedString(text: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text)
    ? text.replace(LONE_SURROGATE, '\uFFFD')
    : text;
}

/** `encodeURIComponent`, which never throws: a lone surrogate is encoded as U+FFFD. */
export function encodeUriComponentSafe(text: string): string {
  return encodeURIComponent(wellFormedString(text));
}
