/**
 * The iopub figures of one live cell, from the live updates its client received
 * (bench/live_kernel.py: arrival time and wire bytes of each display_data and
 * update_display_data whose trace carries `live`). Pure.
 */

/**
 * Messages and bytes per second: the mean over the cell (from its request to its last
 * update) and the peak over any 1 s window [t, t + 1 s) starting at a message; and the
 * bounds the emitters' `limits` set (LIVE_MIN_INTERVAL_MS, LIVE_MAX_BYTES_PER_S of
 * src/bundle/livesnapshot.ts, the same in both kernels).
 */
function iopubRates(displays, limits, windowMs = 1000) {
  if (!displays.length) {
    return { failed: 'the cell sent no live update' };
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
    boundBytesPerS: limits.LIVE_MAX_BYTES_PER_S + largest,
    // one update per interval at most: 4 in [t, t + 1 s) at 250 ms
    boundMessagesPerS: windowMs / limits.LIVE_MIN_INTERVAL_MS,
    shortestGapMs: sorted
      .slice(1)
      .reduce((m, d, i) => Math.min(m, d.t_ms - sorted[i].t_ms), Infinity)
  };
}

module.exports = { iopubRates };
