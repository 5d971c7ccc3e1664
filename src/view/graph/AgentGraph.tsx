/**
 * The agent graph of a trace: its kinds of step (span names within their
 * type) as boxes coloured by type, who called whom as arrows, each with its
 * call count, total and p90 time and errors. Clicking a node lists its spans
 * and selects the first.
 *
 * #### Notes
 * The graph and its layout come from src/trace/agentGraph.ts, memoized on
 * the trace. Edges are SVG; nodes are buttons over it (keyboard reachable,
 * coloured by the same `.jp-MlflowTrace-type-*` rule as the tree's badges).
 * At most {@link MAX_DRAWN_NODES} nodes are drawn, layer by layer; a notice
 * names how many are not.
 */
import React, { useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  AGENT_GRAPH_MARGIN_PX,
  AGENT_GRAPH_NODE_HEIGHT_PX,
  AGENT_GRAPH_NODE_WIDTH_PX,
  agentGraph,
  formatCount,
  formatDurationMs,
  IAgentGraph,
  IAgentGraphEdge,
  IAgentGraphNode,
  ITrace
} from '../../trace';
import { CSS, typeClass } from '../classes';
import { GRAPH_CSS } from './classes';
import { edgeGeometry } from './edgeGeometry';
import { callFigures, errorCount } from './figures';
import { GraphSpanList } from './GraphSpanList';

/** More nodes than this are not drawn (the DOM holds every drawn node). */
export const MAX_DRAWN_NODES = 500;

/** Props of {@link AgentGraph}. */
export interface IAgentGraphProps {
  trace: ITrace;
  selectedId: string | undefined;
  onSelectSpan: (spanId: string) => void;
  /** Search matches while a query is set: nodes with matching spans are marked. */
  matches?: ReadonlySet<string>;
}

/** The drawn part of a graph: its first nodes, the edges between them, the size. */
function drawnPart(graph: IAgentGraph) {
  if (graph.nodes.length <= MAX_DRAWN_NODES) {
    return {
      nodes: graph.nodes,
      edges: graph.edges,
      widthPx: graph.widthPx,
      heightPx: graph.heightPx
    };
  }
  const nodes = graph.nodes.slice(0, MAX_DRAWN_NODES);
  const edges = graph.edges.filter(
    e => e.from < MAX_DRAWN_NODES && e.to < MAX_DRAWN_NODES
  );
  // Nodes come row by row, so the last drawn is on the lowest drawn row
  const bottom = nodes[nodes.length - 1].y;
  return {
    nodes,
    edges,
    widthPx: graph.widthPx,
    heightPx: bottom + AGENT_GRAPH_NODE_HEIGHT_PX + AGENT_GRAPH_MARGIN_PX
  };
}

/** How many of `matches` each node holds, by node index. */
function countByNode(
  graph: IAgentGraph,
  matches: ReadonlySet<string> | undefined
): number[] {
  const counts: number[] = [];
  for (const spanId of matches ?? []) {
    const index = graph.nodeOfSpan.get(spanId);
    if (index !== undefined) {
      counts[index] = (counts[index] ?? 0) + 1;
    }
  }
  return counts;
}

/** One arrow with its label: "×7" and the figures below it. */
function GraphEdge({
  edge,
  graph
}: {
  edge: IAgentGraphEdge;
  graph: IAgentGraph;
}): React.ReactElement {
  const from = graph.nodes[edge.from];
  const to = graph.nodes[edge.to];
  const { path, arrow, labelX, labelY, labelAnchor } = edgeGeometry(
    edge,
    from,
    to
  );
  const figures =
    callFigures(edge) +
    (edge.errors > 0 ? ` · ${errorCount(edge.errors)}` : '');
  const description =
    edge.kind === 'self'
      ? `${from.name} calls itself: ${figures}`
      : `${from.name} calls ${to.name}: ${figures}`;
  // Heavier edges are thicker, so a loop stands out
  const widthPx = Math.min(1 + Math.log2(edge.calls), 6);
  return (
    <g
      className={`${GRAPH_CSS.edge} ${edge.errors > 0 ? CSS.modError : ''}`}
      data-kind={edge.kind}
      role="img"
      aria-label={description}
    >
      <title>{description}</title>
      <path d={path} fill="none" strokeWidth={widthPx} />
      <path d={arrow} />
      <text
        className={GRAPH_CSS.edgeLabel}
        x={labelX}
        y={labelY}
        textAnchor={labelAnchor}
      >
        <tspan className={GRAPH_CSS.edgeCalls}>
          ×{formatCount(edge.calls)}
        </tspan>
        {edge.kind === 'down' && (
          <tspan x={labelX} dy="1.2em">
            {formatDurationMs(edge.totalMs)} · p90{' '}
            {formatDurationMs(edge.p90Ms)}
          </tspan>
        )}
        {edge.errors > 0 && (
          <tspan x={labelX} dy="1.2em">
            {errorCount(edge.errors)}
          </tspan>
        )}
      </text>
    </g>
  );
}

/** Props of {@link GraphNode}. */
interface IGraphNodeProps {
  node: IAgentGraphNode;
  selected: boolean;
  /** Its spans among the search matches. */
  matchCount: number;
  onOpen: (node: IAgentGraphNode) => void;
}

/** One kind of step: a button showing its type, name and figures. */
function GraphNode({
  node,
  selected,
  matchCount,
  onOpen
}: IGraphNodeProps): React.ReactElement {
  const figures = callFigures(node);
  const errors = node.errors > 0 ? errorCount(node.errors) : '';
  const found =
    matchCount > 0
      ? `${formatCount(matchCount)} match${matchCount === 1 ? '' : 'es'}`
      : '';
  const notes = [errors, found].filter(Boolean).join(', ');
  return (
    <button
      type="button"
      className={`${GRAPH_CSS.node} ${selected ? CSS.modSelected : ''} ${node.errors > 0 ? CSS.modError : ''} ${matchCount > 0 ? CSS.modMatch : ''}`}
      style={{
        left: node.x,
        top: node.y,
        width: AGENT_GRAPH_NODE_WIDTH_PX,
        height: AGENT_GRAPH_NODE_HEIGHT_PX
      }}
      aria-pressed={selected}
      aria-label={`${node.spanType} ${node.name}: ${figures}${notes ? `, ${notes}` : ''}`}
      title={`${node.spanType} ${node.name}`}
      onClick={() => onOpen(node)}
    >
      <span className={GRAPH_CSS.nodeName}>
        <span className={`${GRAPH_CSS.nodeType} ${typeClass(node.category)}`}>
          {node.spanType}
        </span>
        {node.name}
      </span>
      <span className={GRAPH_CSS.nodeFigures}>{figures}</span>
      {notes && (
        <span className={GRAPH_CSS.nodeNotes}>
          {errors && <span className={GRAPH_CSS.nodeErrors}>{errors}</span>}
          {errors && found && ', '}
          {found && <span className={GRAPH_CSS.nodeMatches}>{found}</span>}
        </span>
      )}
    </button>
  );
}

/** The agent graph view of one trace. */
export function AgentGraph({
  trace,
  selectedId,
  onSelectSpan,
  matches
}: IAgentGraphProps): React.ReactElement {
  const graph = useMemo(() => agentGraph(trace), [trace]);
  const drawn = useMemo(() => drawnPart(graph), [graph]);
  const matchCounts = useMemo(
    () => countByNode(graph, matches),
    [graph, matches]
  );
  const [opened, setOpened] = useState<number | undefined>(undefined);
  const scrollerRef = useRef<HTMLDivElement>(null);
  // A wide graph opens scrolled to its first (top) node, not to its left edge
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    const first = graph.nodes[0];
    if (scroller !== null && first !== undefined) {
      scroller.scrollLeft = Math.max(
        0,
        first.x + AGENT_GRAPH_NODE_WIDTH_PX / 2 - scroller.clientWidth / 2
      );
    }
  }, [graph]);
  const selectedNode =
    selectedId === undefined ? undefined : graph.nodeOfSpan.get(selectedId);
  // The selection wins, so selecting a span elsewhere shows its node here
  const shown =
    selectedNode ??
    (opened !== undefined && opened < graph.nodes.length ? opened : undefined);
  const open = (node: IAgentGraphNode) => {
    setOpened(node.index);
    onSelectSpan(node.spanIds[0]);
  };
  if (graph.nodes.length === 0) {
    return <div className={GRAPH_CSS.graph}>This trace has no spans.</div>;
  }
  const hidden = graph.nodes.length - drawn.nodes.length;
  return (
    <div className={GRAPH_CSS.graph}>
      {hidden > 0 && (
        <p className={GRAPH_CSS.notice} role="note">
          {`Showing the first ${formatCount(drawn.nodes.length)} of ${formatCount(graph.nodes.length)} kinds of step; ` +
            `${formatCount(hidden)} more are in the tree view.`}
        </p>
      )}
      <div className={GRAPH_CSS.scroller} ref={scrollerRef}>
        <div
          className={GRAPH_CSS.canvas}
          style={{ width: drawn.widthPx, height: drawn.heightPx }}
        >
          <svg
            className={GRAPH_CSS.edges}
            width={drawn.widthPx}
            height={drawn.heightPx}
            role="group"
            aria-label="Calls between steps"
          >
            {drawn.edges.map(edge => (
              <GraphEdge
                key={`${edge.from}-${edge.to}`}
                edge={edge}
                graph={graph}
              />
            ))}
          </svg>
          {drawn.nodes.map(node => (
            <GraphNode
              key={node.index}
              node={node}
              selected={node.index === shown}
              matchCount={matchCounts[node.index] ?? 0}
              onOpen={open}
            />
          ))}
        </div>
      </div>
      {shown !== undefined && (
        <GraphSpanList
          key={shown}
          trace={trace}
          node={graph.nodes[shown]}
          selectedId={selectedId}
          onSelectSpan={onSelectSpan}
          matches={matches}
        />
      )}
    </div>
  );
}
