/**
 * @jest-environment jsdom
 */
/**
 * The agent graph view (src/view/graph): nodes as keyboard-reachable
 * buttons coloured by type, the tool loop's edge label, the span list a
 * click opens, the selection, hostile names as text, the drawing cap, and
 * the recorded "nested" trace.
 */
import React, { useState } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import {
  AGENT_GRAPH_LAYER_GAP_PX,
  AGENT_GRAPH_NODE_HEIGHT_PX,
  AGENT_GRAPH_NODE_WIDTH_PX,
  agentGraph,
  buildTrace,
  ISpanDict,
  ITrace
} from '../../../src/trace';
import {
  AgentGraph,
  MAX_DRAWN_NODES
} from '../../../src/view/graph/AgentGraph';
import { SPANS_PAGE } from '../../../src/view/graph/GraphSpanList';
import { edgeGeometry } from '../../../src/view/graph/edgeGeometry';
import { makeSpan } from '../trace/factory';
import { fakeLayout, recordedTrace } from './helpers';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** An agent calling chat and get_weather in turn, 7 times each; the 3rd tool call fails. */
function loopTrace(): ITrace {
  const spans: ISpanDict[] = [
    makeSpan({ id: 'root', name: 'run_agent', type: 'AGENT', endMs: 200 })
  ];
  for (let i = 0; i < 7; i++) {
    spans.push(
      makeSpan({
        id: `llm${i}`,
        parent: 'root',
        name: 'chat',
        type: 'CHAT_MODEL',
        startMs: 20 * i,
        endMs: 20 * i + 10
      }),
      makeSpan({
        id: `tool${i}`,
        parent: 'root',
        name: 'get_weather',
        type: 'TOOL',
        startMs: 20 * i + 10,
        endMs: 20 * i + 10 + (i + 1),
        status: i === 2 ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK'
      })
    );
  }
  return buildTrace(undefined, spans);
}

/** The node button whose label starts with "TYPE name:". */
function nodeButton(type: string, name: string): HTMLElement {
  const found = screen
    .getAllByRole('button')
    .find(button =>
      button.getAttribute('aria-label')?.startsWith(`${type} ${name}:`)
    );
  if (!found) {
    throw new Error(`no node ${type} ${name}`);
  }
  return found;
}

/** The explorer's part: holds the selection the graph reports. */
function Host({
  trace,
  onSelect
}: {
  trace: ITrace;
  onSelect?: (id: string) => void;
}) {
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  return (
    <AgentGraph
      trace={trace}
      selectedId={selectedId}
      onSelectSpan={id => {
        setSelectedId(id);
        onSelect?.(id);
      }}
    />
  );
}

describe('AgentGraph on an agent with a tool loop', () => {
  it('draws one button per kind of step, coloured by its type class, with its figures', () => {
    const { container } = render(<Host trace={loopTrace()} />);
    const tool = nodeButton('TOOL', 'get_weather');
    expect(tool.tagName).toBe('BUTTON');
    expect(tool.getAttribute('aria-label')).toBe(
      'TOOL get_weather: 7 calls · 28 ms · p90 7 ms, 1 error'
    );
    expect(tool.querySelector('.jp-MlflowTrace-type-TOOL')!.textContent).toBe(
      'TOOL'
    );
    expect(tool.className).toContain('jp-mod-error');
    expect(
      nodeButton('AGENT', 'run_agent').querySelector(
        '.jp-MlflowTrace-type-AGENT'
      )
    ).not.toBeNull();
    expect(nodeButton('CHAT_MODEL', 'chat').className).not.toContain(
      'jp-mod-error'
    );
    expect(
      container.querySelectorAll('.jp-MlflowTrace-graphNode')
    ).toHaveLength(3);
  });

  it('labels the loop edge ×7 with its total and p90, and marks its error', () => {
    const { container } = render(<Host trace={loopTrace()} />);
    const loop = screen.getByRole('img', {
      name: 'run_agent calls get_weather: 7 calls · 28 ms · p90 7 ms · 1 error'
    });
    expect(
      loop.querySelector('.jp-MlflowTrace-graphEdgeCalls')!.textContent
    ).toBe('×7');
    expect(loop.textContent).toContain('28 ms · p90 7 ms');
    expect(loop.textContent).toContain('1 error');
    expect(loop.getAttribute('class')).toContain('jp-mod-error');
    const chat = screen.getByRole('img', {
      name: /^run_agent calls chat: 7 calls/
    });
    expect(chat.getAttribute('class')).not.toContain('jp-mod-error');
    expect(
      container.querySelectorAll('.jp-MlflowTrace-graphEdge')
    ).toHaveLength(2);
  });

  it('lists the spans of a clicked node and selects the first', () => {
    const selected: string[] = [];
    render(<Host trace={loopTrace()} onSelect={id => selected.push(id)} />);
    fireEvent.click(nodeButton('TOOL', 'get_weather'));
    expect(selected).toEqual(['tool0']);
    const list = screen.getByRole('region', { name: 'Spans of get_weather' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(7);
    expect(items[0].textContent).toBe('#1 · 1 ms · at 10 ms · from run_agent');
    expect(items[2].textContent).toContain('error');
    expect(
      within(items[0]).getByRole('button').getAttribute('aria-current')
    ).toBe('true');
    expect(nodeButton('TOOL', 'get_weather').getAttribute('aria-pressed')).toBe(
      'true'
    );
    fireEvent.click(within(items[4]).getByRole('button'));
    expect(selected).toEqual(['tool0', 'tool4']);
    expect(
      within(items[4]).getByRole('button').getAttribute('aria-current')
    ).toBe('true');
    expect(
      within(items[0]).getByRole('button').getAttribute('aria-current')
    ).toBeNull();
  });

  it('shows the node of a span selected elsewhere', () => {
    const trace = loopTrace();
    const { rerender } = render(
      <AgentGraph
        trace={trace}
        selectedId="llm3"
        onSelectSpan={() => undefined}
      />
    );
    expect(nodeButton('CHAT_MODEL', 'chat').getAttribute('aria-pressed')).toBe(
      'true'
    );
    expect(screen.getByRole('region', { name: 'Spans of chat' })).toBeTruthy();
    rerender(
      <AgentGraph
        trace={trace}
        selectedId="root"
        onSelectSpan={() => undefined}
      />
    );
    expect(nodeButton('CHAT_MODEL', 'chat').getAttribute('aria-pressed')).toBe(
      'false'
    );
    expect(
      screen.getByRole('region', { name: 'Spans of run_agent' })
    ).toBeTruthy();
  });

  it('reaches every node with the keyboard: buttons in layer order', () => {
    render(<Host trace={loopTrace()} />);
    const nodes = Array.from(
      document.querySelectorAll<HTMLElement>('.jp-MlflowTrace-graphNode')
    );
    expect(nodes.map(node => node.title)).toEqual([
      'AGENT run_agent',
      'CHAT_MODEL chat',
      'TOOL get_weather'
    ]);
    for (const node of nodes) {
      expect(node.tabIndex).toBe(0);
      expect(node.getAttribute('type')).toBe('button');
    }
  });
});

describe('AgentGraph with search matches', () => {
  it('marks the nodes holding matches, with their count, and the matching spans in the list', () => {
    const trace = loopTrace();
    const matches = new Set(['tool1', 'tool5', 'root']);
    render(
      <AgentGraph
        trace={trace}
        selectedId="tool0"
        onSelectSpan={() => undefined}
        matches={matches}
      />
    );
    const tool = nodeButton('TOOL', 'get_weather');
    expect(tool.getAttribute('aria-label')).toBe(
      'TOOL get_weather: 7 calls · 28 ms · p90 7 ms, 1 error, 2 matches'
    );
    expect(tool.className).toContain('jp-mod-match');
    expect(nodeButton('AGENT', 'run_agent').getAttribute('aria-label')).toMatch(
      /, 1 match$/
    );
    expect(nodeButton('CHAT_MODEL', 'chat').className).not.toContain(
      'jp-mod-match'
    );
    const items = within(
      screen.getByRole('region', { name: 'Spans of get_weather' })
    ).getAllByRole('listitem');
    expect(items.map(item => item.textContent!.endsWith('match'))).toEqual([
      false,
      true,
      false,
      false,
      false,
      true,
      false
    ]);
  });

  it('marks nothing without matches', () => {
    const { container } = render(
      <AgentGraph
        trace={loopTrace()}
        selectedId={undefined}
        onSelectSpan={() => undefined}
      />
    );
    expect(container.querySelector('.jp-mod-match')).toBeNull();
  });
});

describe('AgentGraph scrolling', () => {
  beforeAll(fakeLayout);

  it('opens a wide graph scrolled to its top node', () => {
    const spans: ISpanDict[] = [
      makeSpan({ id: 'r', name: 'agent', type: 'AGENT' })
    ];
    for (let i = 0; i < 6; i++) {
      spans.push(
        makeSpan({
          id: `t${i}`,
          parent: 'r',
          name: `tool${i}`,
          type: 'TOOL',
          startMs: i
        })
      );
    }
    const trace = buildTrace(undefined, spans);
    const root = agentGraph(trace).nodes[0];
    const { container } = render(<Host trace={trace} />);
    const scroller = container.querySelector<HTMLElement>(
      '.jp-MlflowTrace-graphScroller'
    )!;
    // fakeLayout: 800 px wide, so the root's centre is in the middle of the view
    expect(root.x).toBeGreaterThan(400);
    expect(scroller.scrollLeft).toBe(
      root.x + AGENT_GRAPH_NODE_WIDTH_PX / 2 - 400
    );
  });
});

describe('AgentGraph edge cases', () => {
  it('shows hostile names and types as text, never as HTML or classes', () => {
    const trace = buildTrace(undefined, [
      makeSpan({ id: 'a', name: HOSTILE, type: 'AGENT' }),
      makeSpan({
        id: 'b',
        parent: 'a',
        name: 'tool',
        type: `x" onclick="alert(1)`
      })
    ]);
    const { container } = render(<Host trace={trace} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[onclick]')).toBeNull();
    const node = nodeButton('AGENT', HOSTILE);
    expect(node.textContent).toContain(HOSTILE);
    fireEvent.click(node);
    expect(
      screen.getByRole('region', { name: `Spans of ${HOSTILE}` })
    ).toBeTruthy();
    const custom = nodeButton(`x" onclick="alert(1)`, 'tool');
    expect(custom.querySelector('.jp-MlflowTrace-type-UNKNOWN')).not.toBeNull();
    expect(container.querySelector('img')).toBeNull();
  });

  it('says so for a trace with no spans', () => {
    render(<Host trace={buildTrace(undefined, [])} />);
    expect(screen.getByText('This trace has no spans.')).toBeTruthy();
  });

  it('draws a self-loop labelled with its count', () => {
    const trace = buildTrace(undefined, [
      makeSpan({ id: 'p1', name: 'plan', type: 'AGENT' }),
      makeSpan({ id: 'p2', parent: 'p1', name: 'plan', type: 'AGENT' }),
      makeSpan({ id: 'p3', parent: 'p2', name: 'plan', type: 'AGENT' })
    ]);
    render(<Host trace={trace} />);
    const loop = screen.getByRole('img', {
      name: /^plan calls itself: 2 calls/
    });
    expect(loop.getAttribute('data-kind')).toBe('self');
    expect(
      loop.querySelector('.jp-MlflowTrace-graphEdgeLabel')!.textContent
    ).toBe('×2');
  });

  it('pages a long span list and caps the drawn nodes with a notice', () => {
    const spans: ISpanDict[] = [
      makeSpan({ id: 'root', name: 'agent', type: 'AGENT', endMs: 5000 })
    ];
    for (let i = 0; i < MAX_DRAWN_NODES + 20; i++) {
      spans.push(
        makeSpan({
          id: `u${i}`,
          parent: 'root',
          name: `unique${i}`,
          type: 'TOOL',
          startMs: i,
          endMs: i + 1
        })
      );
    }
    for (let i = 0; i < SPANS_PAGE + 5; i++) {
      spans.push(
        makeSpan({
          id: `r${i}`,
          parent: 'root',
          name: 'repeat',
          type: 'LLM',
          startMs: 1000 + i,
          endMs: 1001 + i
        })
      );
    }
    const { container } = render(<Host trace={buildTrace(undefined, spans)} />);
    expect(
      container.querySelectorAll('.jp-MlflowTrace-graphNode')
    ).toHaveLength(MAX_DRAWN_NODES);
    expect(screen.getByRole('note').textContent).toBe(
      `Showing the first 500 of ${MAX_DRAWN_NODES + 22} kinds of step; 22 more are in the tree view.`
    );
    // The drawing ends below the last drawn node, not below the undrawn ones
    const canvas = container.querySelector<HTMLElement>(
      '.jp-MlflowTrace-graphCanvas'
    )!;
    const tops = Array.from(
      container.querySelectorAll<HTMLElement>('.jp-MlflowTrace-graphNode'),
      node => parseFloat(node.style.top)
    );
    const canvasHeight = parseFloat(canvas.style.height);
    expect(canvasHeight).toBeGreaterThanOrEqual(
      Math.max(...tops) + AGENT_GRAPH_NODE_HEIGHT_PX
    );
    expect(canvasHeight).toBeLessThan(
      Math.max(...tops) + 2 * AGENT_GRAPH_NODE_HEIGHT_PX
    );
    fireEvent.click(nodeButton('AGENT', 'agent'));
    expect(
      within(
        screen.getByRole('region', { name: 'Spans of agent' })
      ).getAllByRole('listitem')
    ).toHaveLength(1);
  });

  it('pages the spans of a node with many calls', () => {
    const spans: ISpanDict[] = [
      makeSpan({ id: 'root', name: 'agent', type: 'AGENT', endMs: 5000 })
    ];
    for (let i = 0; i < SPANS_PAGE + 5; i++) {
      spans.push(
        makeSpan({
          id: `r${i}`,
          parent: 'root',
          name: 'repeat',
          type: 'LLM',
          startMs: i,
          endMs: i + 1
        })
      );
    }
    render(<Host trace={buildTrace(undefined, spans)} />);
    fireEvent.click(nodeButton('LLM', 'repeat'));
    const list = () => screen.getByRole('region', { name: 'Spans of repeat' });
    expect(within(list()).getAllByRole('listitem')).toHaveLength(SPANS_PAGE);
    fireEvent.click(
      within(list()).getByRole('button', { name: 'Show 5 more of 5' })
    );
    expect(within(list()).getAllByRole('listitem')).toHaveLength(
      SPANS_PAGE + 5
    );
  });
});

describe('AgentGraph on the recorded "nested" trace', () => {
  it('draws every kind of step of a real trace and loses no span', () => {
    const trace = recordedTrace('nested');
    const graph = agentGraph(trace);
    const { container } = render(<Host trace={trace} />);
    expect(
      container.querySelectorAll('.jp-MlflowTrace-graphNode')
    ).toHaveLength(graph.nodes.length);
    expect(graph.nodes.reduce((sum, node) => sum + node.calls, 0)).toBe(
      trace.nodesInOrder.length
    );
    expect(nodeButton('AGENT', 'rag_agent').getAttribute('aria-label')).toMatch(
      /^AGENT rag_agent: 1 call · /
    );
  });
});

describe('edgeGeometry', () => {
  it('runs a down edge from the caller’s bottom to the callee’s top, label between', () => {
    const graph = agentGraph(loopTrace());
    const edge = graph.edges[0];
    const from = graph.nodes[edge.from];
    const to = graph.nodes[edge.to];
    const geometry = edgeGeometry(edge, from, to);
    const half = AGENT_GRAPH_NODE_WIDTH_PX / 2;
    expect(geometry.path.startsWith(`M${from.x + half},${from.y + 64} `)).toBe(
      true
    );
    expect(geometry.path.endsWith(` ${to.x + half},${to.y}`)).toBe(true);
    expect(geometry.labelY).toBeGreaterThan(from.y + 64);
    expect(geometry.labelY).toBeLessThan(to.y);
  });

  it('labels an edge that skips a layer in the gap above its callee, not over a node between', () => {
    // agent → chain → agent → tool: agent (layer 0) calls tool (layer 2) past chain (layer 1)
    const graph = agentGraph(
      buildTrace(undefined, [
        makeSpan({ id: 'a1', name: 'agent', type: 'AGENT' }),
        makeSpan({ id: 'c', parent: 'a1', name: 'chain', type: 'CHAIN' }),
        makeSpan({ id: 'a2', parent: 'c', name: 'agent', type: 'AGENT' }),
        makeSpan({ id: 't', parent: 'a2', name: 'tool', type: 'TOOL' })
      ])
    );
    const skip = graph.edges.find(
      edge => graph.nodes[edge.to].name === 'tool'
    )!;
    const from = graph.nodes[skip.from];
    const to = graph.nodes[skip.to];
    expect([from.layer, to.layer]).toEqual([0, 2]);
    const { labelY } = edgeGeometry(skip, from, to);
    const chain = graph.nodes.find(node => node.name === 'chain')!;
    expect(labelY).toBeGreaterThan(chain.y + AGENT_GRAPH_NODE_HEIGHT_PX);
    expect(labelY).toBeLessThan(to.y);
  });

  it("puts a fan-out's labels beside their callees, on the side the curve does not come from", () => {
    const graph = agentGraph(
      buildTrace(undefined, [
        makeSpan({ id: 'r', name: 'agent', type: 'AGENT' }),
        ...['a', 'b', 'c', 'd', 'e'].map((name, i) =>
          makeSpan({ id: name, parent: 'r', name, type: 'TOOL', startMs: i })
        )
      ])
    );
    const root = graph.nodes[0];
    for (const edge of graph.edges) {
      const to = graph.nodes[edge.to];
      const { labelX, labelY, labelAnchor } = edgeGeometry(edge, root, to);
      const calleeCentre = to.x + AGENT_GRAPH_NODE_WIDTH_PX / 2;
      const leftOfCaller =
        calleeCentre < root.x + AGENT_GRAPH_NODE_WIDTH_PX / 2;
      const context = {
        callee: to.name,
        labelAnchor,
        near: Math.abs(labelX - calleeCentre) < 30
      };
      expect(context).toEqual({
        callee: to.name,
        labelAnchor: leftOfCaller ? 'end' : 'start',
        near: true
      });
      expect(labelY).toBeGreaterThan(to.y - AGENT_GRAPH_LAYER_GAP_PX / 2 - 4);
    }
  });

  it('dips a back edge between two nodes of one row below them', () => {
    // agent → a, agent → b, b → a: a and b share a row
    const graph = agentGraph(
      buildTrace(undefined, [
        makeSpan({ id: 'r', name: 'agent', type: 'AGENT' }),
        makeSpan({ id: 'a', parent: 'r', name: 'a', type: 'TOOL', startMs: 0 }),
        makeSpan({ id: 'b', parent: 'r', name: 'b', type: 'TOOL', startMs: 1 }),
        makeSpan({ id: 'a2', parent: 'b', name: 'a', type: 'TOOL', startMs: 1 })
      ])
    );
    const back = graph.edges.find(edge => edge.kind === 'back')!;
    const from = graph.nodes[back.from];
    const to = graph.nodes[back.to];
    expect([from.name, to.name, from.y === to.y]).toEqual(['b', 'a', true]);
    const { path, arrow } = edgeGeometry(back, from, to);
    const ys = path.match(/(?<=,)-?[\d.]+/g)!.map(Number);
    expect(Math.min(...ys)).toBe(from.y + AGENT_GRAPH_NODE_HEIGHT_PX);
    expect(Math.max(...ys)).toBeGreaterThan(
      from.y + AGENT_GRAPH_NODE_HEIGHT_PX
    );
    // The arrow points up into the callee's bottom, three quarters across
    const threeQuarters = (3 * AGENT_GRAPH_NODE_WIDTH_PX) / 4;
    expect(
      arrow.endsWith(
        `L${to.x + threeQuarters},${to.y + AGENT_GRAPH_NODE_HEIGHT_PX} Z`
      )
    ).toBe(true);
  });

  it('keeps back edges and self-loops inside the drawing, whatever the layer gap', () => {
    // A chain 12 deep whose leaf calls the root's kind again: a long back edge
    const spans: ISpanDict[] = [
      makeSpan({ id: 'c0', name: 'agent', type: 'AGENT' })
    ];
    for (let i = 1; i < 12; i++) {
      spans.push(
        makeSpan({
          id: `c${i}`,
          parent: `c${i - 1}`,
          name: `step${i}`,
          type: 'CHAIN'
        })
      );
    }
    spans.push(
      makeSpan({ id: 'back', parent: 'c11', name: 'agent', type: 'AGENT' })
    );
    spans.push(
      makeSpan({ id: 'self', parent: 'c11', name: 'step11', type: 'CHAIN' })
    );
    const graph = agentGraph(buildTrace(undefined, spans));
    const kinds = graph.edges.map(edge => edge.kind);
    expect(kinds).toContain('back');
    expect(kinds).toContain('self');
    for (const edge of graph.edges) {
      const geometry = edgeGeometry(
        edge,
        graph.nodes[edge.from],
        graph.nodes[edge.to]
      );
      const xs = geometry.path.match(/-?[\d.]+(?=,)/g)!.map(Number);
      const from = graph.nodes[edge.from];
      const to = graph.nodes[edge.to];
      // The curve's extreme x: ¾ of the way to its control points from its ends
      const reach =
        Math.max(xs[0], xs[3]) +
        0.75 * (Math.max(xs[1], xs[2]) - Math.max(xs[0], xs[3]));
      expect({
        edge: `${from.name}→${to.name}`,
        inside: reach <= graph.widthPx
      }).toEqual({
        edge: `${from.name}→${to.name}`,
        inside: true
      });
    }
  });
});
