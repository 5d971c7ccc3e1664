/**
 * Span and trace ids: MLflow 3 sends base64 of the raw bytes, MLflow 2 sends
 * `0x`-prefixed hex, OTLP JSON sends bare hex. All become lowercase hex.
 */

const B64_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// Indexed by char code: the 6-bit value, or -1 for a non-base64 character.
// Tables, not a Map: ids are decoded three times per span on 100k-span traces.
const B64_VALUES: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < B64_ALPHABET.length; i++) {
    values[B64_ALPHABET.charCodeAt(i)] = i;
  }
  // URL-safe alphabet, in case a writer used it
  values['-'.charCodeAt(0)] = 62;
  values['_'.charCodeAt(0)] = 63;
  return values;
})();

const HEX_RE = /^[0-9a-fA-F]+$/;

const HEX_DIGIT_CODES = Array.from('0123456789abcdef', c => c.charCodeAt(0));

// Hex digits are written as char codes into a buffer and made a string in
// one call: concatenating per byte allocated more than the rest of the trace
// build, and every id is hashed into a Map right after.
const spanIdDigits = new Uint8Array(16);

function digitBuffer(count: number): Uint8Array {
  return count === spanIdDigits.length ? spanIdDigits : new Uint8Array(count);
}

function digitsToString(d: Uint8Array): string {
  if (d.length === 16) {
    // Span ids, two per span: a fixed-arity call makes one flat string
    // with no array in between.
    // prettier-ignore
    return String.fromCharCode(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]);
  }
  return String.fromCharCode(...d);
}

/** Base64 (standard or URL-safe) to lowercase hex; null when the text is not base64. */
export function base64ToHex(text: string): string | null {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) === 61 /* = */) {
    length--;
  }
  if (length === 0 || length % 4 === 1) {
    return null;
  }
  const digits = digitBuffer(Math.floor((length * 6) / 8) * 2);
  let count = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? B64_VALUES[code] : -1;
    if (value < 0) {
      return null;
    }
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const byte = (buffer >> bits) & 0xff;
      digits[count++] = HEX_DIGIT_CODES[byte >> 4];
      digits[count++] = HEX_DIGIT_CODES[byte & 15];
    }
  }
  return digitsToString(digits);
}

/**
 * Normalises a span or trace id to lowercase hex; null when absent or empty.
 *
 * #### Notes
 * Base64 is decoded only when it yields 8 or 16 bytes (the span and trace id
 * sizes), because short ids such as `root` are valid base64 too and ids we
 * cannot recognise are kept verbatim rather than mangled.
 */
export function normalizeId(raw: unknown): string | null {
  if (typeof raw !== 'string') {
    return null;
  }
  const text = raw.trim();
  if (text === '') {
    return null;
  }
  const hasHexPrefix =
    text.charCodeAt(0) === 48 /* 0 */ && (text[1] === 'x' || text[1] === 'X');
  if (hasHexPrefix && HEX_RE.test(text.slice(2))) {
    return text.slice(2).toLowerCase();
  }
  // 8 bytes take 11-12 base64 characters, 16 bytes 22-24
  const sized =
    (text.length >= 11 && text.length <= 12) ||
    (text.length >= 22 && text.length <= 24);
  const hex = sized ? base64ToHex(text) : null;
  // 8 or 16 bytes
  if (hex !== null && (hex.length === 16 || hex.length === 32)) {
    return hex;
  }
  return HEX_RE.test(text) ? text.toLowerCase() : text;
}

/**
 * `normalizeId` remembering its last input: every span of a trace repeats the
 * same trace id, so one entry saves a decode per span.
 */
export function lastIdMemo(): (raw: unknown) => string | null {
  let lastRaw: unknown = undefined;
  let last: string | null = null;
  return raw => {
    if (raw !== lastRaw || lastRaw === undefined) {
      last = normalizeId(raw);
      lastRaw = raw;
    }
    return last;
  };
}

/** MLflow's `tr-` trace id for a hex OTel trace id (kept as is if already `tr-`). */
export function toMlflowTraceId(traceIdHex: string): string {
  return traceIdHex.startsWith('tr-') ? traceIdHex : `tr-${traceIdHex}`;
}
