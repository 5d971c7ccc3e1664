/**
 * Span and trace ids: MLflow 3 sends base64 of the raw bytes, MLflow 2 sends
 * `0x`-prefixed hex, OTLP JSON sends bare hex. All become lowercase hex.
 */

const B64_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const B64_VALUES: Map<string, number> = (() => {
  const values = new Map<string, number>();
  for (let i = 0; i < B64_ALPHABET.length; i++) {
    values.set(B64_ALPHABET[i], i);
  }
  // URL-safe alphabet, in case a writer used it
  values.set('-', 62);
  values.set('_', 63);
  return values;
})();

const HEX_RE = /^[0-9a-fA-F]+$/;

/** Decodes base64 (standard or URL-safe) to bytes; null when it is not base64. */
export function base64ToBytes(text: string): number[] | null {
  const body = text.replace(/=+$/, '');
  if (body.length === 0 || body.length % 4 === 1) {
    return null;
  }
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of body) {
    const value = B64_VALUES.get(char);
    if (value === undefined) {
      return null;
    }
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return bytes;
}

/** Lowercase hex of bytes. */
export function bytesToHex(bytes: readonly number[]): string {
  let hex = '';
  for (const byte of bytes) {
    hex += (byte < 16 ? '0' : '') + byte.toString(16);
  }
  return hex;
}

/** Base64 to lowercase hex; null when the text is not base64. */
export function base64ToHex(text: string): string | null {
  const bytes = base64ToBytes(text);
  return bytes === null ? null : bytesToHex(bytes);
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
  if (/^0x/i.test(text) && HEX_RE.test(text.slice(2))) {
    return text.slice(2).toLowerCase();
  }
  // 8 bytes take 11-12 base64 characters, 16 bytes 22-24
  const sized =
    (text.length >= 11 && text.length <= 12) ||
    (text.length >= 22 && text.length <= 24);
  const bytes = sized ? base64ToBytes(text) : null;
  if (bytes !== null && (bytes.length === 8 || bytes.length === 16)) {
    return bytesToHex(bytes);
  }
  return HEX_RE.test(text) ? text.toLowerCase() : text;
}

/** MLflow's `tr-` trace id for a hex OTel trace id (kept as is if already `tr-`). */
export function toMlflowTraceId(traceIdHex: string): string {
  return traceIdHex.startsWith('tr-') ? traceIdHex : `tr-${traceIdHex}`;
}
