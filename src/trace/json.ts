/**
 * JSON parsing that keeps integers beyond 2^53 exact. MLflow writes Python
 * ints (and OTLP int64s) as plain JSON digits; `JSON.parse` would round
 * `9007199254740993` to `9007199254740992`, silently changing the value.
 */

/** 16 digits in a row: the shortest run that can exceed Number.MAX_SAFE_INTEGER. */
const LONG_DIGITS_RE = /\d{16}/;

/** A JSON integer lexeme: optional minus, no leading zero, no fraction or exponent. */
const INTEGER_RE = /^-?(0|[1-9]\d*)$/;

/** Characters a JSON number token may hold. */
const NUMBER_CHAR_RE = /[0-9.eE+-]/;

/** The number of a decimal integer string when it is exact, else the string itself. */
export function exactInteger(digits: string): number | string {
  const value = Number(digits);
  return INTEGER_RE.test(digits) && !Number.isSafeInteger(value)
    ? digits
    : value;
}

/**
 * `JSON.parse`, except that integers outside the safe range come back as
 * their decimal strings, exactly as written. Throws as `JSON.parse` does.
 */
export function parseJsonExact(text: string): unknown {
  // The common case pays one native regex scan and nothing else.
  return JSON.parse(
    LONG_DIGITS_RE.test(text) ? quoteUnsafeIntegers(text) : text
  );
}

/**
 * True when JSON text holds an integer outside the safe range, which
 * `JSON.parse` would round (and `JSON.stringify` then write rounded).
 */
export function holdsUnsafeInteger(text: string): boolean {
  return LONG_DIGITS_RE.test(text) && quoteUnsafeIntegers(text) !== text;
}

/**
 * The text with each unsafe integer value wrapped in quotes. Strings are
 * skipped whole; a token before `:` (a malformed object key) is left alone,
 * so text that is not JSON stays not JSON.
 */
function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let copiedTo = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      // a string: skip to its closing quote, stepping over escapes
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) {
        i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      }
      i++;
      continue;
    }
    if (code !== 0x2d && (code < 0x30 || code > 0x39)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && NUMBER_CHAR_RE.test(text[end])) {
      end++;
    }
    const token = text.slice(i, end);
    if (typeof exactInteger(token) === 'string' && !beforeColon(text, end)) {
      out += `${text.slice(copiedTo, i)}"${token}"`;
      copiedTo = end;
    }
    i = end;
  }
  return out + text.slice(copiedTo);
}

/** True when the next non-whitespace character from `from` is a colon. */
function beforeColon(text: string, from: number): boolean {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) {
    i++;
  }
  return text[i] === ':';
}
