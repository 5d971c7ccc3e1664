/**
 * The agent graph (src/trace/agentGraph.ts): hand-built agents with tool
 * loops, p90 on known durations, errors, its invariants over seeded
 * generated trees, a hostile name, and 100k spans.
 */
import {
  AGENT_GRAPH_NODE_HEIGHT_PX,
  AGENT_GRAPH_NODE_WIDTH_PX,
  AGENT_GRAPH_ROW_NODES,
  agentGraph,
  buildTrace,
  IAgentGraph,
  ISpanDict,
  ITrace,
  p90
} from '../../../src/trace';
import { loadConversation } from './conversations';
import { makeSpan } from './factory';
import { seeded } from '../seeded';

/** "TYPE name" of a node, for readable expectations. */
function label(graph: IAgentGraph, index: number): string {
  const node = graph.nodes[index];
  return `${node.spanType} ${node.name}`;
}

/** Edges as "from → to ×calls", in the graph's order. */
function edgeLines(graph: IAgentGraph): string[] {
  return graph.edges.map(
    edge =>
      `${label(graph, edge.from)} → ${label(graph, edge.to)} ×${edge.calls}`
  );
}

/**
 * An agent that asks the model, then calls get_weather 7 times (each after a
 * model call), the third call failing, then answers with a last model call.
 *
 *   run_agent (AGENT)
 *   ├─ chat (CHAT_MODEL) ×8, 10 ms each
 *   ├─ get_weather (TOOL) ×7, 1..7 ms
 *   └─ search (RETRIEVER) ×1 → embed (EMBEDDING)
 */
function weatherAgent(): ITrace {
  const spans: ISpanDict[] = [
    makeSpan({ id: 'root', name: 'run_agent', type: 'AGENT', endMs: 1000 })
  ];
  let t = 0;
  for (let i = 0; i < 7; i++) {
    spans.push(
      makeSpan({
        id: `llm${i}`,
        parent: 'root',
        name: 'chat',
        type: 'CHAT_MODEL',
        startMs: t,
        endMs: t + 10
      })
    );
    t += 10;
    spans.push(
      makeSpan({
        id: `tool${i}`,
        parent: 'root',
        name: 'get_weather',
        type: 'TOOL',
        startMs: t,
        endMs: t + i + 1,
        status: i === 2 ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK'
      })
    );
    t += 10;
  }
  spans.push(
    makeSpan({
      id: 'search',
      parent: 'root',
      name: 'search',
      type: 'RETRIEVER',
      startMs: t,
      endMs: t + 20
    }),
    makeSpan({
      id: 'embed',
      parent: 'search',
      name: 'embed',
      type: 'EMBEDDING',
      startMs: t,
      endMs: t + 5
    }),
    makeSpan({
      id: 'llm7',
      parent: 'root',
      name: 'chat',
      type: 'CHAT_MODEL',
      startMs: t + 20,
      endMs: t + 30
    })
  );
  return buildTrace(undefined, spans);
}

describe('agentGraph on a hand-built agent with a tool loop', () => {
  const graph = agentGraph(weatherAgent());

  it('has one node per (type, name), layer by layer in first-call order', () => {
    expect(graph.nodes.map((_, i) => label(graph, i))).toEqual([
      'AGENT run_agent',
      'CHAT_MODEL chat',
      'TOOL get_weather',
      'RETRIEVER search',
      'EMBEDDING embed'
    ]);
    expect(graph.nodes.map(n => [n.layer, n.order])).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0]
    ]);
    expect(graph.layerCount).toBe(3);
  });

  it('counts the loop on its edge: agent → get_weather ×7, agent → chat ×8', () => {
    expect(edgeLines(graph)).toEqual([
      'AGENT run_agent → CHAT_MODEL chat ×8',
      'AGENT run_agent → TOOL get_weather ×7',
      'AGENT run_agent → RETRIEVER search ×1',
      'RETRIEVER search → EMBEDDING embed ×1'
    ]);
    expect(graph.edges.every(edge => edge.kind === 'down')).toBe(true);
  });

  it('sums, takes the p90 of and counts errors of the calls, on nodes and edges', () => {
    const tool = graph.nodes[2];
    expect(tool.calls).toBe(7);
    expect(tool.totalMs).toBeCloseTo(28, 3);
    // Nearest rank: ceil(0.9 × 7) = 7th of 1..7 ms
    expect(tool.p90Ms).toBeCloseTo(7, 3);
    expect(tool.errors).toBe(1);
    const toolEdge = graph.edges[1];
    expect([toolEdge.totalMs, toolEdge.p90Ms, toolEdge.errors]).toEqual([
      tool.totalMs,
      tool.p90Ms,
      1
    ]);
    expect(graph.nodes[1].errors).toBe(0);
    expect(graph.nodes[1].totalMs).toBeCloseTo(80, 3);
  });

  it("lists a node's spans in time order", () => {
    expect(graph.nodes[1].spanIds).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map(i => `llm${i}`)
    );
    expect(graph.nodes[2].spanIds).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map(i => `tool${i}`)
    );
    expect(graph.nodeOfSpan.get('tool4')).toBe(2);
    expect(graph.nodeOfSpan.get('embed')).toBe(4);
  });

  it('lays nodes out without overlap inside the drawing, layers top to bottom', () => {
    for (const node of graph.nodes) {
      expect(node.x).toBeGreaterThanOrEqual(0);
      expect(node.x + AGENT_GRAPH_NODE_WIDTH_PX).toBeLessThanOrEqual(
        graph.widthPx
      );
      expect(node.y + AGENT_GRAPH_NODE_HEIGHT_PX).toBeLessThanOrEqual(
        graph.heightPx
      );
    }
    const layer1 = graph.nodes.filter(n => n.layer === 1);
    for (let i = 1; i < layer1.length; i++) {
      expect(layer1[i].x).toBeGreaterThanOrEqual(
        layer1[i - 1].x + AGENT_GRAPH_NODE_WIDTH_PX
      );
    }
    expect(graph.nodes[4].y).toBeGreaterThan(graph.nodes[1].y);
    expect(graph.nodes[1].y).toBeGreaterThan(graph.nodes[0].y);
  });
});

describe('agentGraph on agents recorded with MLflow autologging', () => {
  /** The graph of a recorded fixture's first trace (scripts/record-conversations.py). */
  function recordedGraph(name: string): IAgentGraph {
    return agentGraph(
      buildTrace(undefined, loadConversation(name).traces[0].spans)
    );
  }

  it("counts DSPy ReAct's loop: the agent predicts twice, each prediction formats, calls and parses", () => {
    const graph = recordedGraph('dspy');
    expect(edgeLines(graph)).toEqual([
      'AGENT ReAct.forward → LLM Predict.forward ×2',
      'AGENT ReAct.forward → TOOL Tool.get_weather ×1',
      'AGENT ReAct.forward → CHAIN ChainOfThought.forward ×1',
      'LLM Predict.forward → PARSER ChatAdapter.format ×3',
      'LLM Predict.forward → CHAT_MODEL DummyLM.__call__ ×3',
      'LLM Predict.forward → PARSER ChatAdapter.parse ×3',
      'CHAIN ChainOfThought.forward → LLM Predict.forward ×1'
    ]);
    const predict = graph.nodes.find(node => node.name === 'Predict.forward')!;
    expect([predict.name, predict.calls, predict.layer]).toEqual([
      'Predict.forward',
      3,
      1
    ]);
    // ChainOfThought sits beside Predict (both first called by the agent): its call is drawn as a back edge
    expect(graph.edges[6].kind).toBe('back');
  });

  it("counts Google ADK's agent calling the model twice around its tool", () => {
    const graph = recordedGraph('google-adk');
    expect(edgeLines(graph)).toContain(
      'AGENT invoke_agent weather → LLM generate_content gemini-2.5-flash ×2'
    );
    expect(graph.nodes.reduce((sum, node) => sum + node.calls, 0)).toBe(5);
  });
});

describe('agentGraph edge cases', () => {
  it('keeps the same name in two types apart, and a type as written', () => {
    const graph = agentGraph(
      buildTrace(undefined, [
        makeSpan({ id: 'a', name: 'step', type: 'TOOL' }),
        makeSpan({ id: 'b', parent: 'a', name: 'step', type: 'my_custom' })
      ])
    );
    expect(graph.nodes.map(n => [n.spanType, n.category, n.name])).toEqual([
      ['TOOL', 'TOOL', 'step'],
      ['my_custom', 'UNKNOWN', 'step']
    ]);
  });

  it('does not confuse (type, name) pairs that concatenate alike', () => {
    const graph = agentGraph(
      buildTrace(undefined, [
        makeSpan({ id: 'a', name: 'BC', type: 'A' }),
        makeSpan({ id: 'b', name: 'C', type: 'AB' })
      ])
    );
    expect(graph.nodes).toHaveLength(2);
  });

  it('draws a self-edge when a node calls its own kind, and a back edge upwards', () => {
    // plan → plan → plan (recursion), then the deepest plan calls `think`, which calls `plan` again
    const graph = agentGraph(
      buildTrace(undefined, [
        makeSpan({ id: 'p1', name: 'plan', type: 'AGENT', endMs: 100 }),
        makeSpan({
          id: 'p2',
          parent: 'p1',
          name: 'plan',
          type: 'AGENT',
          endMs: 90
        }),
        makeSpan({
          id: 'p3',
          parent: 'p2',
          name: 'plan',
          type: 'AGENT',
          endMs: 80
        }),
        makeSpan({
          id: 't',
          parent: 'p3',
          name: 'think',
          type: 'LLM',
          endMs: 70
        }),
        makeSpan({
          id: 'p4',
          parent: 't',
          name: 'plan',
          type: 'AGENT',
          endMs: 60
        })
      ])
    );
    expect(edgeLines(graph)).toEqual([
      'AGENT plan → AGENT plan ×2',
      'AGENT plan → LLM think ×1',
      'LLM think → AGENT plan ×1'
    ]);
    expect(graph.edges.map(e => e.kind)).toEqual(['self', 'down', 'back']);
    // The empty depth 2 (only plan, already at layer 0) is skipped
    expect(graph.nodes.map(n => n.layer)).toEqual([0, 1]);
    expect(graph.nodes[0].calls).toBe(4);
  });

  it('wraps a wide layer onto rows of AGENT_GRAPH_ROW_NODES, keeping the width bounded', () => {
    const spans: ISpanDict[] = [
      makeSpan({ id: 'root', name: 'agent', type: 'AGENT', endMs: 100 })
    ];
    for (let i = 0; i < 20; i++) {
      spans.push(
        makeSpan({
          id: `t${i}`,
          parent: 'root',
          name: `tool${i}`,
          type: 'TOOL',
          startMs: i
        })
      );
    }
    const graph = agentGraph(buildTrace(undefined, spans));
    const rows = new Set(graph.nodes.map(node => node.y));
    expect(rows.size).toBe(1 + Math.ceil(20 / AGENT_GRAPH_ROW_NODES));
    const tools = graph.nodes.slice(1);
    expect(tools.map(node => node.order)).toEqual(tools.map((_, i) => i));
    expect(
      tools.every(node => node.layer === 1 && node.y > graph.nodes[0].y)
    ).toBe(true);
    expect(graph.widthPx).toBeLessThanOrEqual(
      2 * 40 + AGENT_GRAPH_ROW_NODES * (AGENT_GRAPH_NODE_WIDTH_PX + 48)
    );
    expect(graph.edges.every(edge => edge.kind === 'down')).toBe(true);
    expect(graph.heightPx).toBeGreaterThanOrEqual(
      Math.max(...graph.nodes.map(n => n.y)) + AGENT_GRAPH_NODE_HEIGHT_PX
    );
  });

  it('is empty for a trace with no spans', () => {
    const graph = agentGraph(buildTrace(undefined, []));
    expect([
      graph.nodes.length,
      graph.edges.length,
      graph.widthPx,
      graph.heightPx
    ]).toEqual([0, 0, 0, 0]);
  });

  it('keeps a hostile name as the string it is', () => {
    const hostile = '<img src=x onerror=alert(1)>"\'&';
    const graph = agentGraph(
      buildTrace(undefined, [makeSpan({ id: 'x', name: hostile, type: '<b>' })])
    );
    expect(graph.nodes[0].name).toBe(hostile);
    expect(graph.nodes[0].spanType).toBe('<b>');
    expect(graph.nodes[0].category).toBe('UNKNOWN');
  });
});

describe('p90', () => {
  it('takes the nearest rank of the sorted values', () => {
    expect(p90([])).toBe(0);
    expect(p90([5])).toBe(5);
    expect(p90([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])).toBe(9);
    expect(p90(Array.from({ length: 100 }, (_, i) => 100 - i))).toBe(90);
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toBe(10);
  });
});

const TYPES = ['AGENT', 'TOOL', 'LLM', 'RETRIEVER', 'CHAIN', 'custom'];

/** A random agent-like trace: few names, so kinds repeat, loop and recurse. */
function generatedTrace(seed: number): ITrace {
  const random = seeded(seed);
  const count = 1 + Math.floor(random() * 300);
  const kinds = 1 + Math.floor(random() * 12);
  const spans: ISpanDict[] = [];
  for (let i = 0; i < count; i++) {
    const parent = i > 0 && random() > 0.05 ? Math.floor(random() * i) : -1;
    const kind = Math.floor(random() * kinds);
    const start = Math.floor(random() * 500);
    spans.push(
      makeSpan({
        id: `s${i}`,
        parent: parent < 0 ? (random() < 0.3 ? 'missing' : null) : `s${parent}`,
        name: `step${kind}`,
        type: TYPES[kind % TYPES.length],
        startMs: start,
        endMs: random() < 0.02 ? null : start + Math.floor(random() * 100),
        status: random() < 0.1 ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK'
      })
    );
  }
  return buildTrace(undefined, spans);
}

/** Every broken invariant of `graph` over `trace`, as text. */
function problems(trace: ITrace, graph: IAgentGraph): string[] {
  const found: string[] = [];
  const spanCount = trace.nodesInOrder.length;
  const calls = graph.nodes.reduce((sum, node) => sum + node.calls, 0);
  if (calls !== spanCount) {
    found.push(`node calls ${calls} ≠ spans ${spanCount}`);
  }
  const listed = new Set(graph.nodes.flatMap(node => node.spanIds));
  if (listed.size !== spanCount) {
    found.push(`${listed.size} distinct spans listed of ${spanCount}`);
  }
  const withParent = trace.nodesInOrder.filter(
    node => node.parent !== null
  ).length;
  const edgeCalls = graph.edges.reduce((sum, edge) => sum + edge.calls, 0);
  if (edgeCalls !== withParent) {
    found.push(`edge calls ${edgeCalls} ≠ spans with a parent ${withParent}`);
  }
  const errors = trace.nodesInOrder.filter(node => node.span.error).length;
  if (graph.nodes.reduce((sum, node) => sum + node.errors, 0) !== errors) {
    found.push('node errors do not sum to the failed spans');
  }
  for (const node of graph.nodes) {
    const starts = node.spanIds.map(id => trace.nodeById.get(id)!.span.startNs);
    if (starts.some((start, i) => i > 0 && start < starts[i - 1])) {
      found.push(`${node.name}: spans not in time order`);
    }
    if (node.spanIds.some(id => graph.nodeOfSpan.get(id) !== node.index)) {
      found.push(`${node.name}: nodeOfSpan disagrees`);
    }
    const shallowest = Math.min(
      ...node.spanIds.map(id => trace.nodeById.get(id)!.depth)
    );
    const durations = node.spanIds.map(
      id => trace.nodeById.get(id)!.durationMs
    );
    if (
      node.p90Ms < Math.min(...durations) ||
      node.p90Ms > Math.max(...durations)
    ) {
      found.push(`${node.name}: p90 outside its durations`);
    }
    if (
      node.x < 0 ||
      node.x + AGENT_GRAPH_NODE_WIDTH_PX > graph.widthPx ||
      node.y + AGENT_GRAPH_NODE_HEIGHT_PX > graph.heightPx
    ) {
      found.push(`${node.name} lies outside the drawing`);
    }
    for (const other of graph.nodes) {
      if (
        other !== node &&
        Math.abs(other.y - node.y) < AGENT_GRAPH_NODE_HEIGHT_PX &&
        Math.abs(other.x - node.x) < AGENT_GRAPH_NODE_WIDTH_PX
      ) {
        found.push(`${node.name} overlaps ${other.name}`);
      }
      if (other.layer < node.layer && other.y >= node.y) {
        found.push(
          `${other.name} is in an upper layer but not above ${node.name}`
        );
      }
      const otherShallowest = Math.min(
        ...other.spanIds.map(id => trace.nodeById.get(id)!.depth)
      );
      if (otherShallowest < shallowest && other.layer >= node.layer) {
        found.push(
          `${other.name} is shallower than ${node.name} but not above it`
        );
      }
    }
  }
  for (const edge of graph.edges) {
    const expected =
      edge.from === edge.to
        ? 'self'
        : graph.nodes[edge.to].layer > graph.nodes[edge.from].layer
          ? 'down'
          : 'back';
    if (edge.kind !== expected) {
      found.push(
        `edge ${edge.from}→${edge.to} is ${edge.kind}, not ${expected}`
      );
    }
  }
  return found;
}

describe('agentGraph invariants over generated trees', () => {
  it('loses no span, no call and no error; layers and layout hold (300 seeds)', () => {
    let selfEdges = 0;
    let backEdges = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const trace = generatedTrace(seed);
      const graph = agentGraph(trace);
      expect({ seed, problems: problems(trace, graph) }).toEqual({
        seed,
        problems: []
      });
      selfEdges += graph.edges.filter(e => e.kind === 'self').length;
      backEdges += graph.edges.filter(e => e.kind === 'back').length;
    }
    // The generator is not degenerate: loops and back edges occur
    expect(selfEdges).toBeGreaterThan(50);
    expect(backEdges).toBeGreaterThan(50);
  });
});

describe('agentGraph at scale', () => {
  it('builds the graph of 100k spans (an agent calling 3 tools in a loop) quickly', () => {
    const spans: ISpanDict[] = [
      makeSpan({ id: 'root', name: 'agent', type: 'AGENT', endMs: 200_000 })
    ];
    for (let i = 1; i < 100_000; i++) {
      spans.push(
        makeSpan({
          id: `s${i}`,
          parent: 'root',
          name: `tool${i % 3}`,
          type: 'TOOL',
          startMs: i,
          endMs: i + 1
        })
      );
    }
    const trace = buildTrace(undefined, spans);
    const started = performance.now();
    const graph = agentGraph(trace);
    const elapsedMs = performance.now() - started;
    expect(graph.nodes).toHaveLength(4);
    expect(graph.edges.map(e => e.calls)).toEqual([33_333, 33_333, 33_333]);
    expect(elapsedMs).toBeLessThan(1000);
  });

  it('handles a 100k-deep chain of one kind without recursion', () => {
    const spans: ISpanDict[] = [];
    for (let i = 0; i < 100_000; i++) {
      spans.push(
        makeSpan({
          id: `c${i}`,
          parent: i === 0 ? null : `c${i - 1}`,
          name: 'recurse',
          type: 'AGENT'
        })
      );
    }
    const graph = agentGraph(buildTrace(undefined, spans));
    expect(graph.nodes).toHaveLength(1);
    expect(graph.edges).toEqual([
      expect.objectContaining({ kind: 'self', calls: 99_999 })
    ]);
    expect(graph.layerCount).toBe(1);
  });
});
