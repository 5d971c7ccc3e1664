/**
 * The rows a tree view shows: the pre-order node list with collapsed
 * subtrees left out. Pure; memoized per trace on its node list.
 */
import { ISpanNode, ITrace } from '../trace';

const subtreeEndCache = new WeakMap<ITrace, Int32Array>();

/**
 * For each row of `trace.nodesInOrder`, the index just past its subtree.
 *
 * #### Notes
 * Relies on `nodesInOrder` being a pre-order walk (guaranteed by
 * `buildTrace`), so a subtree is one contiguous run of rows.
 */
export function subtreeEnds(trace: ITrace): Int32Array {
  let ends = subtreeEndCache.get(trace);
  if (ends) {
    return ends;
  }
  const nodes = trace.nodesInOrder;
  ends = new Int32Array(nodes.length);
  const indexOf = new Map<ISpanNode, number>();
  nodes.forEach((node, index) => indexOf.set(node, index));
  // Walk backwards so every child's end is known before its parent's.
  for (let index = nodes.length - 1; index >= 0; index--) {
    const children = nodes[index].children;
    ends[index] = children.length
      ? ends[indexOf.get(children[children.length - 1])!]
      : index + 1;
  }
  subtreeEndCache.set(trace, ends);
  return ends;
}

const failedBelowCache = new WeakMap<ITrace, ReadonlySet<string>>();

/**
 * Ids of the spans with a failed span somewhere below them.
 *
 * #### Notes
 * Linear and without recursion: with `subtreeEnds`, a row's descendants are
 * the rows `index + 1 … end - 1`, so a prefix count of failed rows answers
 * each row in O(1). Memoized per trace.
 */
export function failedBelowIds(trace: ITrace): ReadonlySet<string> {
  let ids = failedBelowCache.get(trace);
  if (ids) {
    return ids;
  }
  const nodes = trace.nodesInOrder;
  const ends = subtreeEnds(trace);
  // failedBefore[i]: failed rows among the first i
  const failedBefore = new Int32Array(nodes.length + 1);
  nodes.forEach((node, index) => {
    failedBefore[index + 1] = failedBefore[index] + (node.span.error ? 1 : 0);
  });
  const found = new Set<string>();
  nodes.forEach((node, index) => {
    if (failedBefore[ends[index]] > failedBefore[index + 1]) {
      found.add(node.span.spanId);
    }
  });
  ids = found;
  failedBelowCache.set(trace, ids);
  return ids;
}

/** Visible rows in display order, given the ids of collapsed spans. */
export function visibleRows(
  trace: ITrace,
  collapsed: ReadonlySet<string>
): ISpanNode[] {
  const nodes = trace.nodesInOrder;
  if (collapsed.size === 0) {
    return nodes;
  }
  const ends = subtreeEnds(trace);
  const rows: ISpanNode[] = [];
  let index = 0;
  while (index < nodes.length) {
    const node = nodes[index];
    rows.push(node);
    index = collapsed.has(node.span.spanId) ? ends[index] : index + 1;
  }
  return rows;
}

/** Ids of every span with children: collapsing them all leaves the roots. */
export function collapsibleIds(trace: ITrace): Set<string> {
  const ids = new Set<string>();
  for (const node of trace.nodesInOrder) {
    if (node.children.length) {
      ids.add(node.span.spanId);
    }
  }
  return ids;
}

/** The ids of a node's ancestors, nearest first. */
export function ancestorIds(node: ISpanNode): string[] {
  const ids: string[] = [];
  for (let parent = node.parent; parent; parent = parent.parent) {
    ids.push(parent.span.spanId);
  }
  return ids;
}
