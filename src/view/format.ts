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
