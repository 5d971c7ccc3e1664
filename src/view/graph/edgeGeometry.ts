/**
 * Where the agent graph draws an edge: its SVG path, its arrowhead and the
 * point its label sits at, from the two nodes' boxes the layout placed
 * (src/trace/agentGraph.ts). Pure: no DOM.
 */
import {
  AGENT_GRAPH_LAYER_GAP_PX,
  AGENT_GRAPH_NODE_HEIGHT_PX as NODE_H,
  AGENT_GRAPH_NODE_WIDTH_PX as NODE_W,
  IAgentGraphEdge,
  IAgentGraphNode
} from '../../trace';

/**
 * How far a self-loop's control points sit right of the node, px; a back
 * edge's up to a third more. A cubic curve reaches ¾ of that, so both stay
 * inside the layout's margin.
 */
const BULGE_PX = 40;
/**
 * A down edge's label: its first baseline this far above the callee, so its
 * three lines at most end just above the arrowhead, px.
 */
const LABEL_ABOVE_PX = AGENT_GRAPH_LAYER_GAP_PX / 2 - 2;
/** Space between a down edge's arrow and its label, px. */
const LABEL_OFFSET_PX = 6;
/** How far a back edge between two nodes of one row dips below them, px. */
const DIP_PX = 28;
/** Arrowhead length and half-width, px. */
const ARROW_PX = 7;
const ARROW_HALF_PX = 4;

/** An edge ready to draw. */
export interface IEdgeGeometry {
  /** SVG path data of the curve. */
  path: string;
  /** SVG path data of the arrowhead at the callee's end. */
  arrow: string;
  /** Label: its first line's baseline at labelY, aligned at labelX as `labelAnchor` says. */
  labelX: number;
  labelY: number;
  labelAnchor: 'start' | 'middle' | 'end';
}

/** The point of a cubic Bézier curve at t = 0.5. */
function midpoint(p: number[]): [number, number] {
  const [x0, y0, x1, y1, x2, y2, x3, y3] = p;
  return [(x0 + 3 * x1 + 3 * x2 + x3) / 8, (y0 + 3 * y1 + 3 * y2 + y3) / 8];
}

function curve(p: number[]): string {
  const [x0, y0, x1, y1, x2, y2, x3, y3] = p;
  return `M${x0},${y0} C${x1},${y1} ${x2},${y2} ${x3},${y3}`;
}

/** An arrowhead with its tip at (x, y). */
function arrowhead(
  x: number,
  y: number,
  pointing: 'down' | 'up' | 'left'
): string {
  if (pointing === 'up') {
    return `M${x - ARROW_HALF_PX},${y + ARROW_PX} L${x + ARROW_HALF_PX},${y + ARROW_PX} L${x},${y} Z`;
  }
  if (pointing === 'down') {
    return `M${x - ARROW_HALF_PX},${y - ARROW_PX} L${x + ARROW_HALF_PX},${y - ARROW_PX} L${x},${y} Z`;
  }
  return `M${x + ARROW_PX},${y - ARROW_HALF_PX} L${x + ARROW_PX},${y + ARROW_HALF_PX} L${x},${y} Z`;
}

/**
 * The geometry of `edge` between `from` and `to`.
 *
 * #### Notes
 * A `down` edge runs from the bottom centre of the caller to the top centre
 * of the callee; a `back` edge from the caller's right side round to the
 * callee's right side, or, between two nodes of one row, dips below them; a
 * `self` loop leaves and re-enters the node's right side. A down edge's
 * label sits in the gap just above the callee, beside the curve, so an edge
 * that skips layers is not labelled under a node and the labels of a
 * fan-out sit apart; the others' at the curve's midpoint.
 */
export function edgeGeometry(
  edge: IAgentGraphEdge,
  from: IAgentGraphNode,
  to: IAgentGraphNode
): IEdgeGeometry {
  if (edge.kind === 'down') {
    const x0 = from.x + NODE_W / 2;
    const y0 = from.y + NODE_H;
    const x3 = to.x + NODE_W / 2;
    const y3 = to.y;
    const bend = (y3 - y0) / 2;
    const points = [x0, y0, x0, y0 + bend, x3, y3 - bend, x3, y3];
    // In the gap just above the callee, never over a node of a layer between,
    // beside the callee's centre on the side the curve does not come from
    const fromRight = x0 > x3;
    return {
      path: curve(points),
      arrow: arrowhead(x3, y3, 'down'),
      labelX: x3 + (fromRight ? -LABEL_OFFSET_PX : LABEL_OFFSET_PX),
      labelY: y3 - LABEL_ABOVE_PX,
      labelAnchor: fromRight ? 'end' : 'start'
    };
  }
  if (edge.kind === 'self') {
    const x = from.x + NODE_W;
    const top = from.y + NODE_H / 4;
    const bottom = from.y + (3 * NODE_H) / 4;
    const points = [
      x,
      top,
      x + BULGE_PX,
      top - 8,
      x + BULGE_PX,
      bottom + 8,
      x,
      bottom
    ];
    return {
      path: curve(points),
      arrow: arrowhead(x, bottom, 'left'),
      labelX: x + BULGE_PX / 2 + 2,
      labelY: from.y + NODE_H / 2 + 4,
      labelAnchor: 'middle'
    };
  }
  if (to.y === from.y) {
    // Same row: a dip below both nodes, so it crosses none between them
    const x0 = from.x + (3 * NODE_W) / 4;
    const x3 = to.x + (3 * NODE_W) / 4;
    const y = from.y + NODE_H;
    const points = [x0, y, x0, y + DIP_PX, x3, y + DIP_PX, x3, y];
    // Between the nodes' bottom and the dip, clear of the next gap's labels
    const [labelX, labelY] = midpoint(points);
    return {
      path: curve(points),
      arrow: arrowhead(x3, y, 'up'),
      labelX,
      labelY: labelY - 4,
      labelAnchor: 'middle'
    };
  }
  const x0 = from.x + NODE_W;
  const y0 = from.y + NODE_H / 2;
  const x3 = to.x + NODE_W;
  const y3 = to.y + NODE_H / 2;
  // Longer back edges bulge further, so stacked ones stay apart
  const out =
    Math.max(x0, x3) +
    BULGE_PX +
    Math.min(Math.abs(y3 - y0) / 16, BULGE_PX / 3);
  const points = [x0, y0, out, y0, out, y3, x3, y3];
  const [labelX, labelY] = midpoint(points);
  return {
    path: curve(points),
    arrow: arrowhead(x3, y3, 'left'),
    labelX,
    labelY,
    labelAnchor: 'middle'
  };
}
