/**
 * The iopub figures of one live cell, from the trace displays its client received
 * (bench/live_kernel.py: arrival time and wire bytes of each display_data and
 * update_display_data). Pure.
 */

/** The emitters' limits (the plan's LIVE_* constants, the same in both kernels). */
const LIVE_MIN_INTERVAL_MS = 250;
const LIVE_MAX_BYTES_PER_S = 262144;

/**
 * Messages and bytes per second: the mean over the cell (from its request to its last
 * display) and the peak over any 1 s window [t, t + 1 s) starting at a message.
 */
function iopubRates(displays, windowMs = 1000) {
  if (!displays.length) {
    return { failed: 'the cell sent no trace display' };
  }
  const sorted = [...displays].sort((a, b) => a.t_ms - b.t_ms);
  let peakMessages = 0;
  let peakBytes = 0;
  for (let i = 0; i < sorted.length; i++) {
    let messages = 0;
    let bytes = 0;
    for (
      let j = i;
      j < sorted.length && sorted[j].t_ms < sorted[i].t_ms + windowMs;
      j++
    ) {
      messages += 1;
      bytes += sorted[j].bytes;
    }
    peakMessages = Math.max(peakMessages, messages);
    peakBytes = Math.max(peakBytes, bytes);
  }
  const seconds = Math.max(sorted[sorted.length - 1].t_ms, windowMs) / 1000;
  const totalBytes = sorted.reduce((n, d) => n + d.bytes, 0);
  const largest = Math.max(...sorted.map(d => d.bytes));
  return {
    messages: sorted.length,
    seconds,
    totalBytes,
    largestBytes: largest,
    meanMessagesPerS: sorted.length / seconds,
    meanBytesPerS: totalBytes / seconds,
    peakMessagesPerS: peakMessages,
    peakBytesPerS: peakBytes,
    // the plan's bound: 256 KiB/s, plus the one update that may start a window
    boundBytesPerS: LIVE_MAX_BYTES_PER_S + largest,
    // 4 updates/s, plus the final trace, sent when the root ends without waiting
    boundMessagesPerS: 1000 / LIVE_MIN_INTERVAL_MS + 1,
    shortestGapMs: sorted
      .slice(1)
      .reduce((m, d, i) => Math.min(m, d.t_ms - sorted[i].t_ms), Infinity)
  };
}

module.exports = { iopubRates, LIVE_MIN_INTERVAL_MS, LIVE_MAX_BYTES_PER_S };
