/**
 * The agent graph's figure texts, shared by the nodes, the edges and the
 * span list.
 */
import { formatCount, formatDurationMs } from '../../trace';

/** "8 calls · 80 ms · p90 10 ms": a node's or an edge's figures. */
export function callFigures(figures: {
  calls: number;
  totalMs: number;
  p90Ms: number;
}): string {
  const calls = `${formatCount(figures.calls)} call${figures.calls === 1 ? '' : 's'}`;
  return `${calls} · ${formatDurationMs(figures.totalMs)} · p90 ${formatDurationMs(figures.p90Ms)}`;
}

/** "1 error", "3 errors". */
export function errorCount(errors: number): string {
  return `${formatCount(errors)} error${errors === 1 ? '' : 's'}`;
}
