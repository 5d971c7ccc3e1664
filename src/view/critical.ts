/**
 * The critical path in the views: class names (style/criticalpath.css),
 * the words a marked row says, and the row filter of "Critical path only".
 */
import { formatPercent, ICriticalPath, ISpanNode } from '../trace';

/** Classes of the critical-path marks. */
export const CRITICAL_CSS = {
  /** A row on the critical path. */
  modCritical: 'jp-MlflowTrace-mod-critical',
  /** The row's mark: the span's share of the path. */
  mark: 'jp-MlflowTrace-criticalMark',
  /** The part of a bar on the critical path. */
  bar: 'jp-MlflowTrace-criticalBar',
  /** The header's line naming the top contributors. */
  summary: 'jp-MlflowTrace-criticalSummary',
  toggle: 'jp-MlflowTrace-criticalToggle'
} as const;

/** What the mark of a row on the path says, e.g. "on the critical path, 61% of it". */
export function criticalRowLabel(percentText: string): string {
  return `on the critical path, ${percentText} of it`;
}

/**
 * A span's own share of the path as text ("61%"), or undefined off the path.
 *
 * #### Notes
 * Text, not a number, so a row is drawn again only when what it shows
 * changes (a live trace's path shifts its shares a little at every update).
 */
export function criticalPercentText(
  path: ICriticalPath | undefined,
  spanId: string
): string | undefined {
  const shareMs = path?.shareMsBySpan.get(spanId);
  if (shareMs === undefined || !path) {
    return undefined;
  }
  return formatPercent(path.totalMs > 0 ? shareMs / path.totalMs : 0);
}

/**
 * The row filter of "Critical path only": keeps spans on the path.
 *
 * #### Notes
 * A path span's ancestors are on the path too (it is a chain from a root),
 * so the rows kept still read as a tree.
 */
export function criticalPathKeep(
  path: ICriticalPath
): (node: ISpanNode) => boolean {
  return node => path.spanIds.has(node.span.spanId);
}

/** The rows of `rows` on the path, in their order. */
export function onCriticalPath(
  rows: ISpanNode[],
  path: ICriticalPath
): ISpanNode[] {
  return rows.filter(criticalPathKeep(path));
}
