/**
 * Display text of durations and counts, shared by the live view and the
 * static fallbacks so both print the same figure for the same span.
 * Locale-independent: a fallback is the same bytes on every machine.
 */

/** Three significant digits, no trailing zeros: 12.3, 123, 0.5. */
function threeDigits(value: number): number {
  return Number(value.toPrecision(3));
}

/**
 * A duration scaled to its size: "812 µs", "24.4 ms", "3.21 s", "2 min 5 s";
 * '–' when unknown. The unit is chosen after rounding, so 999.6 ms is "1 s".
 */
export function formatDurationMs(
  durationMs: number | null | undefined
): string {
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs)) {
    return '–';
  }
  const sign = durationMs < 0 ? '-' : '';
  const absMs = Math.abs(durationMs);
  const micros = Math.round(absMs * 1000);
  if (micros < 1000) {
    return `${sign}${micros} µs`;
  }
  const millis = threeDigits(absMs);
  if (millis < 1000) {
    return `${sign}${millis} ms`;
  }
  const seconds = threeDigits(absMs / 1000);
  if (seconds < 60) {
    return `${sign}${seconds} s`;
  }
  const wholeSeconds = Math.round(absMs / 1000);
  const minutes = Math.floor(wholeSeconds / 60);
  return `${sign}${minutes} min ${wholeSeconds % 60} s`;
}

/** An integer with comma thousands separators, e.g. "12,345"; rounds fractions. */
export function formatCount(count: number): string {
  if (!Number.isFinite(count)) {
    return String(count);
  }
  const rounded = Math.round(Math.abs(count));
  const sign = count < 0 && rounded !== 0 ? '-' : '';
  return sign + String(rounded).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A cost in US dollars: cents from $1 up ("$1,234.50"), three significant
 * digits below ("$0.0123", "$0.000150"); '–' when unknown. Tiny amounts
 * keep their digits rather than round to $0.00.
 */
export function formatUsd(usd: number | null | undefined): string {
  if (typeof usd !== 'number' || !Number.isFinite(usd)) {
    return '–';
  }
  const small = threeDigits(Math.abs(usd));
  const sign = usd < 0 && small !== 0 ? '-' : '';
  if (small < 1) {
    // Fixed notation, never "1.5e-7"; digits enough for three significant ones
    const exponent = Number(small.toExponential().split('e')[1]);
    const decimals = small === 0 ? 2 : Math.min(2 - exponent, 20);
    return `${sign}$${small.toFixed(decimals)}`;
  }
  // Whole cents by Math.round, as the Python twin rounds (toFixed rounds ties differently)
  const cents = Math.round(Math.abs(usd) * 100);
  const dollars = formatCount(Math.floor(cents / 100));
  return `${sign}$${dollars}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A value as text: a string as it is, undefined as '', anything else as
 * JSON (indented by `indent` spaces), or String() of what JSON cannot write.
 */
export function valueText(value: unknown, indent = 0): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value === undefined) {
    return '';
  }
  try {
    return JSON.stringify(value, null, indent) ?? String(value);
  } catch {
    return String(value);
  }
}

/** What {@link clipCodePoints} gives. */
export interface IClippedText {
  /** The first `n` code points, or all of the text. */
  text: string;
  /** True when the text has more than `n` code points. */
  clipped: boolean;
  /** The text's code points, known when it was read whole (not clipped). */
  totalKnown?: number;
}

/**
 * The first `n` code points of `text` (an emoji is never cut in half),
 * reading at most n + 1 of them: a huge text from the server costs no
 * more than a short one (Array.from of 50M characters froze the output).
 */
export function clipCodePoints(text: string, n: number): IClippedText {
  let count = 0;
  let end = 0;
  for (const char of text) {
    if (count >= n) {
      return { text: text.slice(0, end), clipped: true };
    }
    count += 1;
    end += char.length;
  }
  return { text, clipped: false, totalKnown: count };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * A Unix ms timestamp in UTC, "2026-12-01 08:00 UTC"; seconds and ms are
 * written only when not zero ("10:59:59.999 UTC"); '–' when unknown.
 */
export function formatUtcMs(timestampMs: number | null | undefined): string {
  if (typeof timestampMs !== 'number' || !Number.isFinite(timestampMs)) {
    return '–';
  }
  const date = new Date(timestampMs);
  if (Number.isNaN(date.getTime())) {
    return '–';
  }
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  let time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  const seconds = date.getUTCSeconds();
  const millis = date.getUTCMilliseconds();
  if (seconds || millis) {
    time += `:${pad(seconds)}` + (millis ? `.${pad(millis, 3)}` : '');
  }
  return `${day} ${time} UTC`;
}

/**
 * An axis label of a UTC time bucket: "08:00" for buckets under a day,
 * "12-01" for whole days.
 */
export function formatUtcTickMs(
  timestampMs: number,
  intervalSeconds: number
): string {
  const date = new Date(timestampMs);
  if (!Number.isFinite(timestampMs) || Number.isNaN(date.getTime())) {
    return '–';
  }
  return intervalSeconds >= 86_400
    ? `${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
    : `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** An interval in its largest whole unit: "1 h", "15 min", "2 d", "90 s". */
export function formatIntervalSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return '–';
  }
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min']
  ];
  for (const [size, unit] of units) {
    if (seconds % size === 0) {
      return `${seconds / size} ${unit}`;
    }
  }
  return `${seconds} s`;
}

/** A ratio (0..1) as a percentage, three significant digits: "33.3%"; '–' when unknown. */
export function formatPercent(ratio: number | null | undefined): string {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio)) {
    return '–';
  }
  return `${threeDigits(ratio * 100)}%`;
}

/** Characters Python's repr() escapes: not printable (str.isprintable), but a space. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/**
 * Python's `repr()` of a str, as the Python twins write it into messages and
 * notes: single quotes unless the text holds ' and no ", escapes as Python's.
 */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const named = new Map([
    ['\n', '\\n'],
    ['\r', '\\r'],
    ['\t', '\\t']
  ]);
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === '\\' || char === quote) {
      out += `\\${char}`;
    } else if (named.has(char)) {
      out += named.get(char);
    } else if (char !== ' ' && UNPRINTABLE.test(char)) {
      const width = code < 0x100 ? 2 : code < 0x10000 ? 4 : 8;
      const escape = width === 2 ? 'x' : width === 4 ? 'u' : 'U';
      out += `\\${escape}${code.toString(16).padStart(width, '0')}`;
    } else {
      out += char;
    }
  }
  return out + quote;
}
