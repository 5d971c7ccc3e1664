/**
 * Small pure helpers shared by the codec and the fallbacks.
 */
import { ITraceInfoV3 } from '../trace';

/** A short name for a JSON value's kind, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'a list' : typeof value;
}

/** True when the text holds whitespace or a control character. */
export function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || /\s/.test(text[i])) {
      return true;
    }
  }
  return false;
}

/**
 * The URL without trailing slashes when it is an absolute http(s) URL; else
 * null.
 */
export function safeHttpUrl(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  const text = value.trim();
  // No whitespace or control characters anywhere, so nothing can be smuggled
  if (!/^https?:\/\/[^\s/?#]+/i.test(text) || hasControlChar(text)) {
    return null;
  }
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return null;
    }
  } catch {
    return null;
  }
  return text.replace(/\/+$/, '');
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

/** An integer with comma thousands separators, independent of locale. */
export function formatCount(count: number): string {
  const sign = count < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(count)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
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

/**
 * The MLflow UI page of a trace, or null without an http(s) tracking URI or
 * an experiment id.
 */
export function mlflowUiUrl(
  trackingUri: string | undefined,
  traceId: string,
  info: ITraceInfoV3 | undefined
): string | null {
  const base = safeHttpUrl(trackingUri);
  const experimentId = info?.trace_location?.mlflow_experiment?.experiment_id;
  if (base === null || typeof experimentId !== 'string' || !traceId) {
    return null;
  }
  return (
    `${base}/#/experiments/${encodeURIComponent(experimentId)}` +
    `?selectedTraceId=${encodeURIComponent(traceId)}&compareRunsMode=TRACES`
  );
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
 * is an http(s) URL; otherwise says in `warnings` why it was left out.
 */
export function setTrackingUri(
  bundle: { tracking_uri?: string },
  trackingUri: string | undefined,
  warnings: string[]
): void {
  if (trackingUri === undefined) {
    return;
  }
  const url = safeHttpUrl(trackingUri);
  if (url === null) {
    warnings.push('trackingUri is not an http(s) URL and is left out');
  } else {
    bundle.tracking_uri = url;
  }
}
