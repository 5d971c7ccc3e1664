/**
 * Display formatting of durations, times and counts. Pure.
 */

/** "812 µs", "24.4 ms", "3.21 s", "2 min 5 s". */
export function formatDurationMs(
  durationMs: number | null | undefined
): string {
  if (
    durationMs === null ||
    durationMs === undefined ||
    !Number.isFinite(durationMs)
  ) {
    return '–';
  }
  if (durationMs < 1) {
    return `${Math.round(durationMs * 1000)} µs`;
  }
  if (durationMs < 1000) {
    return `${trim(durationMs)} ms`;
  }
  if (durationMs < 60000) {
    return `${trim(durationMs / 1000)} s`;
  }
  const minutes = Math.floor(durationMs / 60000);
  const seconds = Math.round((durationMs % 60000) / 1000);
  return `${minutes} min ${seconds} s`;
}

/** Three significant digits, no trailing zeros. */
function trim(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** Local date and time of a Unix ms timestamp. */
export function formatTimestampMs(
  timestampMs: number | null | undefined
): string {
  if (
    timestampMs === null ||
    timestampMs === undefined ||
    !Number.isFinite(timestampMs)
  ) {
    return '–';
  }
  return new Date(timestampMs).toLocaleString();
}

/** 12,345 */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** Any value as display text: strings as they are, the rest as JSON. */
export function toDisplayText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value === undefined) {
    return '';
  }
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** An http(s) URL, or undefined for anything else (javascript:, data:, …). */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) {
    return undefined;
  }
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? parsed.href
      : undefined;
  } catch {
    return undefined;
  }
}
