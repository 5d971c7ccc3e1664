/**
 * CSS class names of the agent graph (style/graph.css).
 */
export const GRAPH_CSS = {
  graph: 'jp-MlflowTrace-graph',
  scroller: 'jp-MlflowTrace-graphScroller',
  canvas: 'jp-MlflowTrace-graphCanvas',
  edges: 'jp-MlflowTrace-graphEdges',
  edge: 'jp-MlflowTrace-graphEdge',
  edgeLabel: 'jp-MlflowTrace-graphEdgeLabel',
  edgeCalls: 'jp-MlflowTrace-graphEdgeCalls',
  node: 'jp-MlflowTrace-graphNode',
  nodeType: 'jp-MlflowTrace-graphNodeType',
  nodeName: 'jp-MlflowTrace-graphNodeName',
  nodeFigures: 'jp-MlflowTrace-graphNodeFigures',
  nodeNotes: 'jp-MlflowTrace-graphNodeNotes',
  nodeErrors: 'jp-MlflowTrace-graphNodeErrors',
  nodeMatches: 'jp-MlflowTrace-graphNodeMatches',
  notice: 'jp-MlflowTrace-graphNotice',
  spans: 'jp-MlflowTrace-graphSpans',
  spansTitle: 'jp-MlflowTrace-graphSpansTitle',
  matchBadge: 'jp-MlflowTrace-graphMatchBadge'
} as const;
