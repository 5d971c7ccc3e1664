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
/** A down edge's label: its first baseline this far above the callee, px. */
const LABEL_ABOVE_PX = AGENT_GRAPH_LAYER_GAP_PX / 2 + 8;
/** Arrowhead length and half-width, px. */
const ARROW_PX = 7;
const ARROW_HALF_PX = 4;

/** An edge ready to draw. */
export interface IEdgeGeometry {
  /** SVG path data of the curve. */
  path: string;
  /** SVG path data of the arrowhead at the callee's end. */
  arrow: string;
  /** Label anchor: its text is centred on x, its first line's baseline at y. */
  labelX: number;
  labelY: number;
}

/** The point of a cubic Bézier curve at t = 0.5. */
function midpoint(p: number[]): [number, number] {
  const [x0, y0, x1, y1, x2, y2, x3, y3] = p;
  return [(x0 + 3 * x1 + 3 * x2 + x3) / 8, (y0 + 3 * y1 + 3 * y2 + y3) / 8];
}

/** One coordinate of a cubic Bézier curve at t. */
function at(t: number, a: number, b: number, c: number, d: number): number {
  const u = 1 - t;
  return u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d;
}

/** The point where a curve whose y grows with t reaches `y` (bisection). */
function pointAtY(p: number[], y: number): [number, number] {
  const [x0, y0, x1, y1, x2, y2, x3, y3] = p;
  let low = 0;
  let high = 1;
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (at(mid, y0, y1, y2, y3) < y) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return [at(low, x0, x1, x2, x3), at(low, y0, y1, y2, y3)];
}

function curve(p: number[]): string {
  const [x0, y0, x1, y1, x2, y2, x3, y3] = p;
  return `M${x0},${y0} C${x1},${y1} ${x2},${y2} ${x3},${y3}`;
}

/** An arrowhead with its tip at (x, y) pointing down (dy = 1) or left (dx = -1). */
function arrowhead(x: number, y: number, pointing: 'down' | 'left'): string {
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
 * callee's right side; a `self` loop leaves and re-enters the node's right
 * side. A down edge's label sits in the gap just above the callee, so an
 * edge that skips layers is not labelled under a node; the others' at the
 * curve's midpoint.
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
    // In the gap just above the callee, never over a node of a layer between
    const [labelX, labelY] = pointAtY(points, y3 - LABEL_ABOVE_PX);
    return {
      path: curve(points),
      arrow: arrowhead(x3, y3, 'down'),
      labelX,
      labelY
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
      labelY: from.y + NODE_H / 2 + 4
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
    labelY
  };
}
