/**
 * Align two traces span by span, to compare a run before and after a change.
 * Spans are matched by their name path below the root (`/plan/retrieve`),
 * the n-th occurrence of a path in one trace with the n-th in the other;
 * the roots are matched to each other.
 *
 * #### Notes
 * A key is a path of (name, occurrence) steps. `%`, `/` and `#` in a name
 * are escaped, so `/` and `#` only ever separate steps and a key names one
 * node: a second `llm` (`/llm#2`) and a span named `llm#2` (`/llm%232`) stay
 * apart, and so do `a/b` and `b` under `a`. Every span of both traces is in
 * exactly one row.
 */
import { ITokenUsage } from './attributes';
import { ISpanLlm } from './cost';
import { summarizeTrace } from './summary';
import { ISpanNode, ITrace } from './tree';

/** One aligned pair; either side is missing when the span exists in one trace only. */
export interface IAlignedSpan {
  /**
   * Name path below the root with the occurrence, e.g. `/llm#2`; '' for the
   * first root. Unique within a comparison.
   */
  key: string;
  depth: number;
  name: string;
  left?: ISpanNode;
  right?: ISpanNode;
  /** right − left, when both exist. */
  durationDeltaMs: number | null;
  /** right − left total tokens, when both report usage. */
  tokenDelta: number | null;
  /** right − left cost in USD, when both record one. */
  costDelta: number | null;
  statusChanged: boolean;
}

/** The alignment of two traces and their totals. */
export interface ITraceComparison {
  rows: IAlignedSpan[];
  onlyLeft: number;
  onlyRight: number;
  /** right − left of the headers' durations (summarizeTrace); null if either is unknown. */
  totalDurationDeltaMs: number | null;
  totalTokenDelta: number | null;
  /** right − left of the headers' costs (summarizeTrace); null if either is unknown. */
  totalCostDelta: number | null;
}

/** A name as one path step: the separators `/` and `#` (and `%`) escaped. */
function escapeStep(name: string): string {
  return name.replace(/[%/#]/g, char =>
    char === '%' ? '%25' : char === '/' ? '%2F' : '%23'
  );
}

/**
 * Name-path keys of every node, in pre-order; one key per node (see the
 * notes above). Relies on `nodesInOrder` listing each parent before its
 * children, as buildTrace guarantees.
 */
function keyedNodes(trace: ITrace): Map<string, ISpanNode> {
  const keys = new Map<string, ISpanNode>();
  const pathOf = new Map<ISpanNode, string>();
  const seen = new Map<string, number>();
  for (const node of trace.nodesInOrder) {
    // Roots align whatever their names: two versions of an app often name them differently.
    const base = node.parent
      ? `${pathOf.get(node.parent)!}/${escapeStep(node.span.name)}`
      : '';
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    const path = occurrence > 1 ? `${base}#${occurrence}` : base;
    pathOf.set(node, path);
    keys.set(path, node);
  }
  return keys;
}

function totalTokens(usage: ITokenUsage | null | undefined): number | null {
  return usage ? usage.total : null;
}

function costOf(llm: ISpanLlm | null | undefined): number | null {
  return llm?.cost ? llm.cost.total : null;
}

function delta(left: number | null, right: number | null): number | null {
  return left !== null && right !== null ? right - left : null;
}

/**
 * Align `left` and `right`. Rows follow the left trace's order, with spans
 * only in the right trace placed after their nearest aligned predecessor.
 */
export function compareTraces(left: ITrace, right: ITrace): ITraceComparison {
  const leftKeys = keyedNodes(left);
  const rightKeys = keyedNodes(right);
  const rows: IAlignedSpan[] = [];
  const rowOf = (key: string, l?: ISpanNode, r?: ISpanNode): IAlignedSpan => {
    const node = (l ?? r)!;
    const leftTokens = totalTokens(l?.span.tokenUsage);
    const rightTokens = totalTokens(r?.span.tokenUsage);
    return {
      key,
      depth: node.depth,
      name: node.span.name,
      left: l,
      right: r,
      durationDeltaMs: l && r ? r.durationMs - l.durationMs : null,
      tokenDelta:
        leftTokens !== null && rightTokens !== null
          ? rightTokens - leftTokens
          : null,
      costDelta: delta(costOf(l?.span.llm), costOf(r?.span.llm)),
      statusChanged: !!l && !!r && l.span.status !== r.span.status
    };
  };
  // Walk the right trace in order, slotting left-only spans in as the left order reaches them.
  const leftOrder = [...leftKeys.keys()];
  let leftCursor = 0;
  const emitted = new Set<string>();
  const emitLeftUntil = (key: string | undefined) => {
    while (leftCursor < leftOrder.length) {
      const leftKey = leftOrder[leftCursor];
      if (leftKey === key) {
        return;
      }
      leftCursor++;
      if (!emitted.has(leftKey)) {
        emitted.add(leftKey);
        rows.push(
          rowOf(leftKey, leftKeys.get(leftKey), rightKeys.get(leftKey))
        );
      }
    }
  };
  for (const [key, node] of rightKeys) {
    if (leftKeys.has(key)) {
      emitLeftUntil(key);
      leftCursor++;
    }
    if (!emitted.has(key)) {
      emitted.add(key);
      rows.push(rowOf(key, leftKeys.get(key), node));
    }
  }
  emitLeftUntil(undefined);
  const leftSummary = summarizeTrace(left);
  const rightSummary = summarizeTrace(right);
  const leftTotal = totalTokens(leftSummary.tokenUsage);
  const rightTotal = totalTokens(rightSummary.tokenUsage);
  return {
    rows,
    onlyLeft: rows.filter(row => !row.right).length,
    onlyRight: rows.filter(row => !row.left).length,
    // The headers' durations, so the comparison and the headers agree
    totalDurationDeltaMs:
      leftSummary.durationMs !== null && rightSummary.durationMs !== null
        ? rightSummary.durationMs - leftSummary.durationMs
        : null,
    totalTokenDelta:
      leftTotal !== null && rightTotal !== null ? rightTotal - leftTotal : null,
    totalCostDelta: delta(
      leftSummary.cost?.total ?? null,
      rightSummary.cost?.total ?? null
    )
  };
}
