/**
 * The span tree of one trace, with per-node timing.
 *
 * #### Notes
 * Every object in the input becomes exactly one node, whatever its shape:
 * hostile input is repaired and reported in `warnings`, never thrown on.
 * Every walk is iterative, so a 100k-deep chain cannot overflow the stack.
 */
import { dedupeSpanIds, resolveParents } from './link';
import { ISpan, parseSpan } from './span';
import { ITraceWarning } from './warnings';
import { ITraceInfoV3 } from './wire';

/** A span in the tree, with its timing relative to the trace. */
export interface ISpanNode {
  span: ISpan;
  parent: ISpanNode | null;
  /** Ordered by start time, ties in input order. */
  children: ISpanNode[];
  depth: number;
  /** Start to end; an in-progress span is measured to the trace's latest time. */
  durationMs: number;
  /** Duration minus the union of the children's intervals within this span. */
  selfTimeMs: number;
  /** Start relative to the trace's earliest start. */
  startOffsetMs: number;
}

/** A parsed trace: its info, its spans and their tree. */
export interface ITrace {
  info: ITraceInfoV3 | undefined;
  /** Every parsed span, in input order. */
  spans: ISpan[];
  /** Top-level nodes, ordered by start time. */
  roots: ISpanNode[];
  /** All nodes in pre-order depth-first order (the row order of a tree view). */
  nodesInOrder: ISpanNode[];
  /** Nodes by (unique) span id. */
  nodeById: Map<string, ISpanNode>;
  /** Earliest span start, Unix ns (0 for a trace with no spans). */
  startNs: number;
  /** Latest known span start or end, Unix ns. */
  endNs: number;
  warnings: ITraceWarning[];
}

// Times beyond 2^53 ns lose up to 256 ns, so smaller gaps are rounding noise
const TOLERANCE_NS = 1000;

/**
 * How far a child may run outside its parent before it is a problem.
 *
 * #### Notes
 * 1 ms: OpenTelemetry JS (and any SDK that does the same) takes a span's
 * start from `Date.now()`, whole milliseconds, and its end from that start
 * plus a monotonic duration, so a well-nested child can show up to 1 ms
 * outside its parent. That is below what a timeline can show (a 1 ms sliver
 * is under a pixel for any trace longer than ~1 s at output width); larger
 * overruns are real and still reported. TOLERANCE_NS covers the rounding.
 */
const OUTSIDE_PARENT_TOLERANCE_NS = 1_000_000 + TOLERANCE_NS;

/** Parses one span dict: {@link parseSpan}, or one that reuses earlier results. */
export type SpanParser = typeof parseSpan;

function parseAll(
  rawSpans: unknown,
  warnings: ITraceWarning[],
  parse: SpanParser
): ISpan[] {
  const spans: ISpan[] = [];
  if (!Array.isArray(rawSpans)) {
    const got = rawSpans === null ? 'null' : typeof rawSpans;
    warnings.push({
      kind: 'not-an-array',
      message: `The trace's spans are not a list (got ${got}); no spans are shown.`
    });
    return spans;
  }
  for (let i = 0; i < rawSpans.length; i++) {
    const span = parse(rawSpans[i], i, warnings);
    if (span !== null) {
      spans.push(span);
    }
  }
  return spans;
}

function timeBounds(spans: ISpan[]): { startNs: number; endNs: number } {
  let startNs = Infinity;
  let endNs = -Infinity;
  for (const span of spans) {
    if (Number.isFinite(span.startNs)) {
      startNs = Math.min(startNs, span.startNs);
      endNs = Math.max(endNs, span.startNs);
    }
    if (span.endNs !== null) {
      endNs = Math.max(endNs, span.endNs);
    }
  }
  if (startNs === Infinity) {
    return { startNs: 0, endNs: 0 };
  }
  return { startNs, endNs };
}

function byStart(a: ISpanNode, b: ISpanNode): number {
  return a.span.startNs - b.span.startNs;
}

function preOrder(roots: ISpanNode[]): ISpanNode[] {
  const order: ISpanNode[] = [];
  const stack = roots.slice().reverse();
  while (stack.length > 0) {
    const node = stack.pop() as ISpanNode;
    node.depth = node.parent === null ? 0 : node.parent.depth + 1;
    order.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) {
      stack.push(node.children[i]);
    }
  }
  return order;
}

/** Sets durations, offsets and self times; warns on spans outside their parent. */
function measure(
  nodes: ISpanNode[],
  trace: { startNs: number; endNs: number },
  inProgressExpected: boolean,
  warnings: ITraceWarning[]
): void {
  const endOf = (node: ISpanNode) =>
    Math.max(node.span.startNs, node.span.endNs ?? trace.endNs);
  for (const node of nodes) {
    const { span } = node;
    const endNs = endOf(node);
    node.durationMs = (endNs - span.startNs) / 1e6;
    node.startOffsetMs = (span.startNs - trace.startNs) / 1e6;
    if (span.inProgress && !inProgressExpected) {
      warnings.push({
        kind: 'in-progress',
        spanId: span.spanId,
        message: `Span ${span.spanId} has no end time; it is measured to the trace's latest time.`
      });
    }
    const parent = node.parent;
    if (
      parent !== null &&
      (span.startNs < parent.span.startNs - OUTSIDE_PARENT_TOLERANCE_NS ||
        (!span.inProgress &&
          endNs > endOf(parent) + OUTSIDE_PARENT_TOLERANCE_NS))
    ) {
      warnings.push({
        kind: 'outside-parent',
        spanId: span.spanId,
        message: `Span ${span.spanId} runs outside its parent ${parent.span.spanId}.`
      });
    }
    // Children are sorted by start, so one sweep merges their intervals
    let coveredNs = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    for (const child of node.children) {
      const from = Math.max(child.span.startNs, span.startNs);
      const to = Math.min(endOf(child), endNs);
      if (to <= from) {
        continue;
      }
      if (from > runEnd) {
        coveredNs += Math.max(0, runEnd - runStart);
        runStart = from;
        runEnd = to;
      } else {
        runEnd = Math.max(runEnd, to);
      }
    }
    coveredNs += Math.max(0, runEnd - runStart);
    node.selfTimeMs = Math.max(0, endNs - span.startNs - coveredNs) / 1e6;
  }
}

/**
 * Builds the span tree of a trace from its info and its raw span dicts.
 *
 * #### Notes
 * `rawSpans` is what `get-trace-artifact` returns under `.spans`, in any
 * state. Linear apart from sorting siblings by start time. `parse` may
 * return a span object of an earlier build (a live trace's unchanged spans,
 * ./reuse.ts); the nodes are always new.
 */
export function buildTrace(
  info: ITraceInfoV3 | undefined,
  rawSpans: unknown,
  parse: SpanParser = parseSpan
): ITrace {
  const warnings: ITraceWarning[] = [];
  const spans = parseAll(rawSpans, warnings, parse);
  const nodes: ISpanNode[] = spans.map(span => ({
    span,
    parent: null,
    children: [],
    depth: 0,
    // NaN, not 0: V8 then stores these fields as doubles from the start
    durationMs: NaN,
    selfTimeMs: NaN,
    startOffsetMs: NaN
  }));
  // One map serves both the parent lookup and ITrace.nodeById
  const nodeById = dedupeSpanIds(spans, warnings, i => nodes[i]);
  // span.index counts every input entry; `spans` skips the non-objects
  const positionOfInput = new Int32Array(
    spans.length && spans[spans.length - 1].index + 1
  );
  spans.forEach((span, position) => {
    positionOfInput[span.index] = position;
  });
  const bounds = timeBounds(spans);
  for (const span of spans) {
    if (Number.isNaN(span.startNs)) {
      span.startNs = bounds.startNs;
    }
  }
  const parentOf = resolveParents(
    spans,
    spanId => {
      const node = nodeById.get(spanId);
      return node === undefined ? undefined : positionOfInput[node.span.index];
    },
    warnings
  );
  const roots: ISpanNode[] = [];
  nodes.forEach((node, i) => {
    const parent = parentOf[i] >= 0 ? nodes[parentOf[i]] : null;
    node.parent = parent;
    (parent === null ? roots : parent.children).push(node);
  });
  // Array.prototype.sort is stable, so ties keep input order
  roots.sort(byStart);
  for (const node of nodes) {
    if (node.children.length > 1) {
      node.children.sort(byStart);
    }
  }
  const nodesInOrder = preOrder(roots);
  measure(nodes, bounds, info?.state === 'IN_PROGRESS', warnings);
  return {
    info,
    spans,
    roots,
    nodesInOrder,
    nodeById,
    startNs: bounds.startNs,
    endNs: bounds.endNs,
    warnings
  };
}
