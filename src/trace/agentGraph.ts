/**
 * The agent graph of a trace: the workflow as nodes (span names within their
 * type) and edges (who called whom), with call counts, times and errors, and
 * a layered layout the view only has to draw.
 *
 * #### Notes
 * Invariants (test/unit/trace/agentgraph.spec.ts checks them over generated
 * trees):
 * - every span of the trace is a call of exactly one node: the nodes' calls
 *   sum to the span count;
 * - every span with a parent is a call of exactly one edge (parent's node →
 *   its node): the edges' calls sum to the number of non-root spans;
 * - a node that calls its own kind (an agent calling an agent of the same
 *   name) has a self-edge, `from === to`.
 *
 * Every pass is iterative; the cost is one walk of the spans plus sorting
 * each node's and each edge's durations (for p90), O(n log n) over all.
 */
import { KnownSpanType, spanTypeCategory } from './span';
import { ISpanNode, ITrace } from './tree';

/**
 * Layout sizes, CSS px: the view draws at these. A node holds its type badge
 * and a name such as "CHAT_MODEL chat_completion" without cutting it.
 */
export const AGENT_GRAPH_NODE_WIDTH_PX = 232;
export const AGENT_GRAPH_NODE_HEIGHT_PX = 64;
/** Space between two nodes of a layer. */
export const AGENT_GRAPH_NODE_GAP_PX = 48;
/** Space between two layers (edge labels sit in it). */
export const AGENT_GRAPH_LAYER_GAP_PX = 72;
/** Nodes in one row of the drawing; a wider layer wraps onto more rows. */
export const AGENT_GRAPH_ROW_NODES = 6;
/** Margin around the drawing; back edges and self-loops run in it. */
export const AGENT_GRAPH_MARGIN_PX = 40;

/** One kind of step: the spans of one name within one span type. */
export interface IAgentGraphNode {
  /** Position in `IAgentGraph.nodes`. */
  index: number;
  /** `mlflow.spanType` as written (custom strings kept). */
  spanType: string;
  /** The known type used for the colour. */
  category: KnownSpanType;
  name: string;
  /** The node's spans, by start time (ties in tree order). */
  spanIds: string[];
  calls: number;
  /** Sum of its spans' durations (a nested call of the same kind counts again). */
  totalMs: number;
  /** 90th percentile of its spans' durations (nearest rank). */
  p90Ms: number;
  /** Spans that failed (status ERROR or an exception event). */
  errors: number;
  /** Layer: the depth of its shallowest span, empty depths skipped. */
  layer: number;
  /** Position within its layer, from the left (row by row when it wraps). */
  order: number;
  /** Top-left corner, CSS px. */
  x: number;
  y: number;
}

/** Calls from the spans of one node to the spans of another (or the same). */
export interface IAgentGraphEdge {
  /** Node indexes: caller and callee. */
  from: number;
  to: number;
  /** Child spans of `from`'s spans that are `to`'s spans. */
  calls: number;
  /** Sum of those child spans' durations. */
  totalMs: number;
  /** 90th percentile of those child spans' durations (nearest rank). */
  p90Ms: number;
  /** Those child spans that failed. */
  errors: number;
  /**
   * How the view draws it: `down` to a lower layer, `back` to the same or an
   * upper layer (drawn around the side), `self` a loop on the node.
   */
  kind: 'down' | 'back' | 'self';
}

/** The nodes, edges and layout of a trace's agent graph. */
export interface IAgentGraph {
  /** Layer by layer, left to right within a layer. */
  nodes: IAgentGraphNode[];
  /** By caller, then callee (both in `nodes` order). */
  edges: IAgentGraphEdge[];
  /** Node index by span id. */
  nodeOfSpan: Map<string, number>;
  layerCount: number;
  /** Size of the drawing, CSS px (0 × 0 with no spans). */
  widthPx: number;
  heightPx: number;
}

/** 90th percentile of `values` by nearest rank (0 for none); sorts `values`. */
export function p90(values: number[]): number {
  if (values.length === 0) {
    return 0;
  }
  values.sort((a, b) => a - b);
  return values[Math.ceil(0.9 * values.length) - 1];
}

/** Figures being gathered for a node or an edge. */
interface ITally {
  durations: number[];
  totalMs: number;
  errors: number;
}

function tally(into: ITally, durationMs: number, error: boolean): void {
  into.durations.push(durationMs);
  into.totalMs += durationMs;
  if (error) {
    into.errors++;
  }
}

/** A map key for (type, name) that no pair of strings can collide on. */
function nodeKey(spanType: string, name: string): string {
  return `${spanType.length}:${spanType}${name}`;
}

/**
 * Builds the agent graph of `trace` and lays it out.
 *
 * #### Notes
 * A node's layer is the depth of its shallowest span, with empty depths
 * skipped, so a kind first called at the top sits at the top even when it is
 * called again deeper down. Within a layer nodes keep the order of their
 * first span in the tree's pre-order, so the callees of one caller sit
 * together; a layer of more than {@link AGENT_GRAPH_ROW_NODES} wraps onto
 * more rows. Rows are centred on the widest one. Memoize on the trace.
 */
export function agentGraph(trace: ITrace): IAgentGraph {
  const nodeIndexByKey = new Map<string, number>();
  const drafts: { spanType: string; name: string; firstRow: number }[] = [];
  const nodeTallies: ITally[] = [];
  const nodeSpans: number[][] = [];
  const shallowest: number[] = [];
  const nodeOfSpan = new Map<string, number>();
  const nodeOfTreeNode = new Map<ISpanNode, number>();
  const edgeByPair = new Map<number, ITally & { from: number; to: number }>();
  const rows = trace.nodesInOrder;
  for (let row = 0; row < rows.length; row++) {
    const { span, depth, durationMs, parent } = rows[row];
    const key = nodeKey(span.spanType, span.name);
    let index = nodeIndexByKey.get(key);
    if (index === undefined) {
      index = drafts.length;
      nodeIndexByKey.set(key, index);
      drafts.push({ spanType: span.spanType, name: span.name, firstRow: row });
      nodeTallies.push({ durations: [], totalMs: 0, errors: 0 });
      nodeSpans.push([]);
      shallowest.push(depth);
    }
    nodeOfTreeNode.set(rows[row], index);
    nodeOfSpan.set(span.spanId, index);
    nodeSpans[index].push(row);
    shallowest[index] = Math.min(shallowest[index], depth);
    tally(nodeTallies[index], durationMs, span.error);
    if (parent !== null) {
      // Pre-order: the parent's row is already numbered
      const from = nodeOfTreeNode.get(parent) as number;
      const pair = from * (rows.length + 1) + index;
      let edge = edgeByPair.get(pair);
      if (edge === undefined) {
        edge = { from, to: index, durations: [], totalMs: 0, errors: 0 };
        edgeByPair.set(pair, edge);
      }
      tally(edge, durationMs, span.error);
    }
  }
  const layerOfDraft = denseLayers(shallowest);
  const layout = layoutLayers(layerOfDraft);
  const nodes: IAgentGraphNode[] = layout.drawOrder.map((draft, index) => {
    const { spanType, name } = drafts[draft];
    const figures = nodeTallies[draft];
    const spanRows = nodeSpans[draft].sort(
      (a, b) => rows[a].span.startNs - rows[b].span.startNs || a - b
    );
    return {
      index,
      spanType,
      category: spanTypeCategory(spanType),
      name,
      spanIds: spanRows.map(row => rows[row].span.spanId),
      calls: figures.durations.length,
      totalMs: figures.totalMs,
      p90Ms: p90(figures.durations),
      errors: figures.errors,
      layer: layerOfDraft[draft],
      order: layout.orderOf[draft],
      x: layout.xOf[draft],
      y: layout.yOf[draft]
    };
  });
  const final = layout.indexOf;
  for (const [spanId, draft] of nodeOfSpan) {
    nodeOfSpan.set(spanId, final[draft]);
  }
  const edges: IAgentGraphEdge[] = Array.from(edgeByPair.values(), edge => {
    const from = final[edge.from];
    const to = final[edge.to];
    const kind: IAgentGraphEdge['kind'] =
      from === to
        ? 'self'
        : nodes[to].layer > nodes[from].layer
          ? 'down'
          : 'back';
    return {
      from,
      to,
      calls: edge.durations.length,
      totalMs: edge.totalMs,
      p90Ms: p90(edge.durations),
      errors: edge.errors,
      kind
    };
  }).sort((a, b) => a.from - b.from || a.to - b.to);
  return {
    nodes,
    edges,
    nodeOfSpan,
    layerCount: layout.layerCount,
    widthPx: layout.widthPx,
    heightPx: layout.heightPx
  };
}

/** Depths renumbered 0, 1, 2… skipping depths no node sits at. */
function denseLayers(depths: number[]): number[] {
  const used = Array.from(new Set(depths)).sort((a, b) => a - b);
  const layerOfDepth = new Map(used.map((depth, layer) => [depth, layer]));
  return depths.map(depth => layerOfDepth.get(depth) as number);
}

/**
 * Positions of nodes (by first-seen index) in their layers, and the
 * drawing's size. A layer wider than {@link AGENT_GRAPH_ROW_NODES} wraps
 * onto more rows, so the drawing's width stays bounded.
 */
function layoutLayers(layerOf: number[]) {
  const layerCount = layerOf.reduce(
    (most, layer) => Math.max(most, layer + 1),
    0
  );
  // First-seen order is pre-order of first spans: fill each layer in it
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  layerOf.forEach((layer, draft) => layers[layer].push(draft));
  const widest = Math.min(
    layers.reduce((most, layer) => Math.max(most, layer.length), 0),
    AGENT_GRAPH_ROW_NODES
  );
  const stepX = AGENT_GRAPH_NODE_WIDTH_PX + AGENT_GRAPH_NODE_GAP_PX;
  const stepY = AGENT_GRAPH_NODE_HEIGHT_PX + AGENT_GRAPH_LAYER_GAP_PX;
  const n = layerOf.length;
  const orderOf = new Array<number>(n);
  const xOf = new Array<number>(n);
  const yOf = new Array<number>(n);
  const indexOf = new Array<number>(n);
  const drawOrder: number[] = [];
  let row = 0;
  for (const layer of layers) {
    for (let first = 0; first < layer.length; first += AGENT_GRAPH_ROW_NODES) {
      const inRow = Math.min(AGENT_GRAPH_ROW_NODES, layer.length - first);
      const shiftPx = ((widest - inRow) * stepX) / 2;
      for (let order = first; order < first + inRow; order++) {
        const draft = layer[order];
        orderOf[draft] = order;
        xOf[draft] = AGENT_GRAPH_MARGIN_PX + shiftPx + (order - first) * stepX;
        yOf[draft] = AGENT_GRAPH_MARGIN_PX + row * stepY;
        indexOf[draft] = drawOrder.length;
        drawOrder.push(draft);
      }
      row++;
    }
  }
  const empty = n === 0;
  return {
    layerCount,
    orderOf,
    xOf,
    yOf,
    indexOf,
    drawOrder,
    widthPx: empty
      ? 0
      : 2 * AGENT_GRAPH_MARGIN_PX + widest * stepX - AGENT_GRAPH_NODE_GAP_PX,
    heightPx: empty
      ? 0
      : 2 * AGENT_GRAPH_MARGIN_PX + row * stepY - AGENT_GRAPH_LAYER_GAP_PX
  };
}
