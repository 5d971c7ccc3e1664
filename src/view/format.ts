/**
 * Display text of times and values. Durations and counts follow the shared
 * rules of ../trace/format, as the fallbacks do. Pure.
 */

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

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** Local wall-clock time of a Unix ms timestamp, HH:MM:SS. */
export function formatClockMs(timestampMs: number): string {
  if (!Number.isFinite(timestampMs)) {
    return '–';
  }
  const date = new Date(timestampMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map(twoDigits)
    .join(':');
}
