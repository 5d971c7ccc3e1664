/**
 * Small pure helpers shared by the codec and the fallbacks.
 */
import { withoutCredentials } from '../trace';

/** A short name for a JSON value's kind, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'a list' : typeof value;
}

/** Bytes of a string once UTF-8 encoded (lone surrogates count as U+FFFD). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes += 1;
    } else if (code < 0x800) {
      bytes += 2;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

/** Cuts a string to at most `maxChars` characters, never inside a surrogate pair. */
export function cutString(text: string, maxChars: number): string {
  if (text.length <= maxChars) {
    return text;
  }
  let end = Math.max(0, maxChars);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) {
    end--;
  }
  return text.slice(0, end);
}

/** A string cut to `maxChars` with a trailing ellipsis when it was longer. */
export function ellipsize(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : cutString(text, maxChars - 1) + '…';
}

/** JSON data as given, or parsed when it arrives as a JSON string. */
export function parseJsonData(data: unknown): {
  value: unknown;
  error?: string;
} {
  if (typeof data !== 'string') {
    return { value: data };
  }
  try {
    return { value: JSON.parse(data) };
  } catch (reason) {
    const detail = reason instanceof Error ? reason.message : String(reason);
    return {
      value: undefined,
      error: `the data is not valid JSON (${detail})`
    };
  }
}

/**
 * Sets `tracking_uri` on a bundle being written, when one is given and it
 * is an http(s) URL, always without credentials; says in `warnings` what
 * was left out.
 */
export function setTrackingUri(
  bundle: { tracking_uri?: string },
  trackingUri: string | undefined,
  warnings: string[]
): void {
  if (trackingUri === undefined) {
    return;
  }
  const clean = withoutCredentials(trackingUri);
  if (clean === null) {
    warnings.push('trackingUri is not an http(s) URL and is left out');
    return;
  }
  // A bundle is saved in the notebook: a password in it would be shared.
  if (clean.credentials) {
    warnings.push('trackingUri held credentials: they are left out');
  }
  bundle.tracking_uri = clean.url;
}
