/**
 * The explorer's agent graph, conversation and log-level filter in real
 * JupyterLab, on traces MLflow's Python SDK wrote: an agent's tool loop
 * (test/fixtures/write_agent_loop.py), a RAG agent (test/fixtures/recorded,
 * nested) and spans at every log level (write_loglevel_prompts.py). What
 * each view should show is worked out here from the trace's spans.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { APIRequestContext, Locator } from '@playwright/test';
import {
  ISpanNode,
  ITrace,
  LOG_LEVEL_CHOICES,
  spanLogLevel
} from '../../src/trace';
import { CONVERSATION_CSS } from '../../src/view/conversation/classes';
import { GRAPH_CSS } from '../../src/view/graph/classes';
import {
  detailsPane,
  openTrace,
  openView,
  showView,
  traceModel
} from '../explorer';
import { IBundleTrace, recordedTrace, sdkTrace } from '../notebooks';
import { selectedRow, spanRows } from '../trace-dom';

const agentLoop = sdkTrace('agent-loop.trace.json');
const rag = recordedTrace('nested');
const levels = sdkTrace('loglevel-prompts.trace.json');

/** Back in the tree view, the selected row is the span `spanId`'s. */
async function expectTreeSelects(
  widget: Locator,
  spanId: string
): Promise<void> {
  await showView(widget, 'Tree + timeline');
  await expect(selectedRow(widget)).toHaveAttribute('data-span-id', spanId);
}

/** Nodes by start time, ties in tree order (the order the views list spans in). */
function byStart(nodes: ISpanNode[], trace: ITrace): ISpanNode[] {
  const order = (node: ISpanNode) => trace.nodesInOrder.indexOf(node);
  return [...nodes].sort(
    (a, b) => a.span.startNs - b.span.startNs || order(a) - order(b)
  );
}

test.describe('the agent graph', () => {
  const trace = traceModel(agentLoop);
  const agent = trace.roots[0];
  const toolCalls = byStart(
    agent.children.filter(child => child.span.spanType === 'TOOL'),
    trace
  );
  const tool = toolCalls[0]?.span.name;
  const modelCalls = agent.children.filter(
    child => child.span.spanType === 'CHAT_MODEL'
  );

  test('shows the loop with its call counts; a node lists its spans and selects the first', async ({
    page,
    request,
    tmpPath
  }) => {
    // The fixture is a tool loop: one agent calling one tool several times
    expect(agent.span.spanType).toBe('AGENT');
    expect(toolCalls.length).toBeGreaterThan(1);
    expect(new Set(toolCalls.map(call => call.span.name))).toEqual(
      new Set([tool])
    );
    const widget = await openView(
      page,
      request,
      `${tmpPath}/graph.ipynb`,
      agentLoop,
      'Agent graph'
    );
    const edges = widget.getByRole('group', { name: 'Calls between steps' });
    const toolEdge = edges.getByRole('img', {
      name: `${agent.span.name} calls ${tool}: `
    });
    await expect(toolEdge).toHaveCount(1);
    await expect(toolEdge).toHaveAccessibleName(
      new RegExp(`: ${toolCalls.length} calls · `)
    );
    await expect(toolEdge.locator(`.${GRAPH_CSS.edgeCalls}`)).toHaveText(
      `×${toolCalls.length}`
    );
    // One edge per kind of call (caller's kind → callee's kind), no more
    const kindOf = (node: ISpanNode) =>
      `${node.span.spanType} ${node.span.name}`;
    const callKinds = new Set(
      trace.nodesInOrder
        .filter(node => node.parent !== null)
        .map(node => `${kindOf(node.parent!)} → ${kindOf(node)}`)
    );
    await expect(edges.getByRole('img')).toHaveCount(callKinds.size);
    // The model calls of the loop, counted on their own edge
    const modelName = modelCalls[0].span.name;
    await expect(
      edges
        .getByRole('img', { name: `${agent.span.name} calls ${modelName}: ` })
        .locator(`.${GRAPH_CSS.edgeCalls}`)
    ).toHaveText(`×${modelCalls.length}`);

    const toolNode = widget.getByRole('button', {
      name: new RegExp(`^TOOL ${tool}: ${toolCalls.length} calls · `)
    });
    await toolNode.click();
    await expect(toolNode).toHaveAttribute('aria-pressed', 'true');
    const list = widget.getByRole('region', { name: `Spans of ${tool}` });
    const calls = list.getByRole('listitem').getByRole('button');
    await expect(calls).toHaveCount(toolCalls.length);
    await expect(calls.first()).toHaveAttribute('aria-current', 'true');
    const details = detailsPane(widget);
    await expect(details.getByRole('heading')).toHaveText(tool);
    const cityOf = (call: ISpanNode) =>
      (call.span.inputs as { city: string }).city;
    await expect(details).toContainText(cityOf(toolCalls[0]));
    await expect(details).not.toContainText(cityOf(toolCalls[1]));

    // Another call of the list: the details follow
    await calls.nth(1).click();
    await expect(calls.nth(1)).toHaveAttribute('aria-current', 'true');
    await expect(calls.first()).not.toHaveAttribute('aria-current', 'true');
    await expect(details).toContainText(cityOf(toolCalls[1]));
    // The tree selects the same span
    await expectTreeSelects(widget, toolCalls[1].span.spanId);
  });
});

/** A step as the conversation view shows it. */
interface IShownStep {
  kind: string;
  name: string;
  text: string;
}

/** The conversation list of the explorer. */
function conversationList(widget: Locator): Locator {
  return widget.getByRole('list', { name: /^Conversation, \d+ steps$/ });
}

/** The step at 1-based `position` (rendered only when scrolled into view). */
function stepAt(widget: Locator, position: number): Locator {
  return conversationList(widget).locator(
    `[role=listitem][aria-posinset="${position}"]`
  );
}

/**
 * Every step of the conversation, in list order. The list is virtualized:
 * it is scrolled through, half a view at a time, reading what is drawn.
 */
async function readSteps(widget: Locator): Promise<IShownStep[]> {
  const list = conversationList(widget);
  const label = (await list.getAttribute('aria-label'))!;
  const total = Number(/(\d+) steps/.exec(label)![1]);
  const seen = new Map<number, IShownStep>();
  await list.evaluate(el => (el.scrollTop = 0));
  for (let turn = 0; seen.size < total && turn < 200; turn++) {
    const drawn = await list.locator(`.${CONVERSATION_CSS.step}`).evaluateAll(
      (els, css) =>
        els.map(el => ({
          position: Number(el.getAttribute('aria-posinset')),
          kind: el.querySelector(`.${css.kind}`)?.textContent ?? '',
          name: el.querySelector(`.${css.name}`)?.textContent ?? '',
          text: el.querySelector(`.${css.body}`)?.textContent ?? ''
        })),
      CONVERSATION_CSS
    );
    for (const { position, ...step } of drawn) {
      seen.set(position, step);
    }
    // Scroll on, and let the virtualizer draw the next frame
    await list.evaluate(
      el =>
        new Promise(resolve => {
          el.scrollTop += el.clientHeight / 2;
          requestAnimationFrame(() => requestAnimationFrame(resolve));
        })
    );
  }
  expect(seen.size, 'every step was drawn once scrolled to').toBe(total);
  return Array.from({ length: total }, (_, i) => seen.get(i + 1)!);
}

/**
 * Click the step at 1-based `position` open by its button for the span
 * `name`; the step is then the current one. Returns the step.
 */
async function openStep(
  widget: Locator,
  position: number,
  name: string
): Promise<Locator> {
  const step = stepAt(widget, position);
  await step.getByRole('button', { name: `Open span ${name}` }).click();
  await expect(step).toHaveAttribute('aria-current', 'true');
  return step;
}

/** The kind of step a span gives, by its type; undefined when it gives none. */
const STEP_KIND: Record<string, string> = {
  CHAT_MODEL: 'Model',
  LLM: 'Model',
  TOOL: 'Tool',
  RETRIEVER: 'Retrieval'
};

/**
 * The steps a trace's conversation should have, worked out from its spans:
 * the root's request, each model, tool and retriever span by start time
 * (ties in tree order), the root's response.
 */
function expectedSteps(trace: ITrace): { kind: string; node: ISpanNode }[] {
  const root = trace.roots[0];
  const spans = byStart(
    trace.nodesInOrder.filter(node => STEP_KIND[node.span.spanType]),
    trace
  );
  return [
    { kind: 'Request', node: root },
    ...spans.map(node => ({ kind: STEP_KIND[node.span.spanType], node })),
    { kind: 'Response', node: root }
  ];
}

/**
 * `trace` opened in the conversation view, every step read: their kinds and
 * names are `expected`'s, in order.
 */
async function openConversation(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  nbPath: string,
  trace: IBundleTrace,
  expected: { kind: string; node: ISpanNode }[]
): Promise<{ widget: Locator; steps: IShownStep[] }> {
  const widget = await openView(page, request, nbPath, trace, 'Conversation');
  const steps = await readSteps(widget);
  expect(steps.map(step => [step.kind, step.name])).toEqual(
    expected.map(({ kind, node }) => [kind, node.span.name])
  );
  return { widget, steps };
}

/** How many times `needle` occurs in `text`. */
function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** A chat message as the agent-loop fixture writes it (OpenAI's chat shape). */
interface IMessage {
  role: string;
  content: string | null;
}

/** A model span's outputs as the agent-loop fixture writes them. */
interface IChatCompletion {
  choices: {
    message: IMessage & {
      tool_calls?: { id: string; function: { arguments: string } }[];
    };
  }[];
}

test.describe('the conversation', () => {
  test('of an agent: request, model calls, tool calls, response, in time order, each message once', async ({
    page,
    request,
    tmpPath
  }) => {
    const trace = traceModel(agentLoop);
    const expected = expectedSteps(trace);
    const { widget, steps } = await openConversation(
      page,
      request,
      `${tmpPath}/agent-conversation.ipynb`,
      agentLoop,
      expected
    );

    const requestMessages = (
      trace.roots[0].span.inputs as { messages: IMessage[] }
    ).messages;
    const everything = steps.map(step => step.text).join('\n');
    for (const message of requestMessages) {
      expect(
        occurrences(everything, message.content!),
        `the request's ${message.role} message, shown once`
      ).toBe(1);
    }
    const modelSteps = expected.filter(step => step.kind === 'Model');
    const systemPrompt = (
      modelSteps[0].node.span.inputs as { messages: IMessage[] }
    ).messages.find(message => message.role === 'system')!.content!;
    expect(occurrences(everything, systemPrompt), 'the system prompt').toBe(1);
    const answer = trace.roots[0].span.outputs as string;
    expect(occurrences(everything, answer), 'the answer').toBe(1);

    const toolSteps = expected.filter(step => step.kind === 'Tool');
    for (const [index, { kind, node }] of expected.entries()) {
      const shown = steps[index];
      if (kind === 'Tool') {
        // Its arguments, then its result
        const { city } = node.span.inputs as { city: string };
        const { celsius } = node.span.outputs as { celsius: number };
        expect(shown.text).toMatch(
          new RegExp(`arguments[^]*"${city}"[^]*result[^]*${celsius}`)
        );
      }
      if (kind === 'Model') {
        // Its new messages: the call it asks for, or its answer
        const [{ message }] = (node.span.outputs as IChatCompletion).choices;
        for (const call of message.tool_calls ?? []) {
          expect(shown.text).toContain(call.function.arguments);
          expect(
            occurrences(everything, call.id),
            `tool call ${call.id}, shown once`
          ).toBe(1);
        }
        if (message.content) {
          expect(shown.text).toContain(message.content);
        }
        // A model call resends the history before its new messages: only
        // what is new is shown; what the steps above showed is counted
        const sent = (node.span.inputs as { messages: IMessage[] }).messages;
        const inRequest = sent.filter(message =>
          requestMessages.some(
            r => r.role === message.role && r.content === message.content
          )
        ).length;
        const first = node === modelSteps[0].node;
        const repeated = first ? inRequest : sent.length;
        expect(shown.text).toContain(
          `${repeated} earlier ${repeated === 1 ? 'message' : 'messages'} not repeated`
        );
      }
    }
    // Each tool result is shown by its tool step, not again by a model call
    expect(occurrences(everything, '"forecast"')).toBe(toolSteps.length);

    // A step opens its span: the second tool call, then the last model call
    const secondTool = toolSteps[1];
    const secondToolAt = expected.indexOf(secondTool) + 1;
    const details = detailsPane(widget);
    await openStep(widget, secondToolAt, secondTool.node.span.name);
    await expect(details.getByRole('heading')).toHaveText(
      secondTool.node.span.name
    );
    await expect(details).toContainText(
      (secondTool.node.span.inputs as { city: string }).city
    );
    const lastModel = modelSteps[modelSteps.length - 1];
    const lastModelAt = expected.indexOf(lastModel) + 1;
    await openStep(widget, lastModelAt, lastModel.node.span.name);
    await expect(stepAt(widget, secondToolAt)).not.toHaveAttribute(
      'aria-current',
      'true'
    );
    await expectTreeSelects(widget, lastModel.node.span.spanId);
  });

  test('of a RAG agent: the retrieval with its documents and scores, in time order', async ({
    page,
    request,
    tmpPath
  }) => {
    const trace = traceModel(rag);
    const expected = expectedSteps(trace);
    const retrieval = expected.find(step => step.kind === 'Retrieval')!;
    expect(retrieval, 'the fixture retrieves').toBeDefined();
    const { widget, steps } = await openConversation(
      page,
      request,
      `${tmpPath}/rag-conversation.ipynb`,
      rag,
      expected
    );

    const retrievalAt = expected.indexOf(retrieval);
    const { query } = retrieval.node.span.inputs as { query: string };
    const documents = retrieval.node.span.outputs as {
      id: string;
      score: number;
      page_content: string;
    }[];
    expect(documents.length).toBeGreaterThan(1);
    const shownRetrieval = steps[retrievalAt].text;
    expect(shownRetrieval).toContain(query);
    // Each document once, in the order retrieved, with its id and score
    let from = 0;
    for (const document of documents) {
      const at = shownRetrieval.indexOf(`id ${document.id}`, from);
      expect(at, `document ${document.id} after the one before`).toBe(
        shownRetrieval.lastIndexOf(`id ${document.id}`)
      );
      expect(at).toBeGreaterThanOrEqual(from);
      const rest = shownRetrieval.slice(at);
      expect(rest).toMatch(
        new RegExp(
          `^id ${document.id}\\s*score ${document.score.toFixed(3)}(?!\\d)`
        )
      );
      expect(rest).toContain(document.page_content);
      from = at + 1;
    }
    // The answer: once, by the model call that wrote it
    const answer = trace.roots[0].span.outputs as string;
    const everything = steps.map(step => step.text).join('\n');
    expect(occurrences(everything, answer)).toBe(1);

    await openStep(widget, retrievalAt + 1, retrieval.node.span.name);
    await expect(detailsPane(widget).getByRole('heading')).toHaveText(
      retrieval.node.span.name
    );
    await expectTreeSelects(widget, retrieval.node.span.spanId);
  });

  test('the request and the response share the root span: opening either marks that step, where it is', async ({
    page,
    request,
    tmpPath
  }) => {
    const trace = traceModel(agentLoop);
    const total = expectedSteps(trace).length;
    const root = trace.roots[0].span;
    const widget = await openView(
      page,
      request,
      `${tmpPath}/root-steps.ipynb`,
      agentLoop,
      'Conversation'
    );
    const list = conversationList(widget);
    await list.evaluate(el => (el.scrollTop = el.scrollHeight));
    const response = await openStep(widget, total, root.name);
    await expect(detailsPane(widget).getByRole('heading')).toHaveText(
      root.name
    );
    await expect(response).toBeInViewport();

    await list.evaluate(el => (el.scrollTop = 0));
    const requestStep = await openStep(widget, 1, root.name);
    await expect(requestStep).toBeInViewport();
    await list.evaluate(el => (el.scrollTop = el.scrollHeight));
    await expect(response).not.toHaveAttribute('aria-current', 'true');
  });
});

test.describe('the log-level filter', () => {
  const trace = traceModel(levels);

  /**
   * The span ids a filter at `minLevel` keeps, worked out from each span's
   * level: at or above it, failed, or the parent of a kept span.
   */
  function keptAt(minLevel: number): string[] {
    const kept = new Set<string>();
    for (const node of trace.nodesInOrder) {
      if (spanLogLevel(node.span).level >= minLevel || node.span.error) {
        for (let at: ISpanNode | null = node; at; at = at.parent) {
          kept.add(at.span.spanId);
        }
      }
    }
    return trace.nodesInOrder
      .map(node => node.span.spanId)
      .filter(id => kept.has(id));
  }

  const rowIds = (widget: Locator) =>
    spanRows(widget).evaluateAll(rows =>
      rows.map(row => row.getAttribute('data-span-id'))
    );

  test('raising the minimum level hides the rows below it; lowering it brings them back', async ({
    page,
    request,
    tmpPath
  }) => {
    const all = trace.nodesInOrder.map(node => node.span.spanId);
    // The fixture has spans at several levels, so each step up hides more
    const counts = LOG_LEVEL_CHOICES.map(c => keptAt(c.minLevel).length);
    expect(new Set(counts).size).toBeGreaterThan(2);

    const widget = await openTrace(
      page,
      request,
      `${tmpPath}/levels.ipynb`,
      levels
    );
    await expect.poll(() => rowIds(widget)).toEqual(all);
    const filter = widget.getByRole('combobox', { name: 'Minimum log level' });
    const hiddenNote = widget.locator('.jp-MlflowTrace-levelHidden');

    // Up, one level at a time, then down again
    const choices = [...LOG_LEVEL_CHOICES, ...[...LOG_LEVEL_CHOICES].reverse()];
    for (const choice of choices) {
      await filter.selectOption({ label: choice.label });
      const kept = keptAt(choice.minLevel);
      await expect
        .poll(() => rowIds(widget), { message: choice.label })
        .toEqual(kept);
      const hidden = all.length - kept.length;
      if (hidden > 0) {
        await expect(hiddenNote).toHaveText(`${hidden} hidden`);
      } else {
        await expect(hiddenNote).toHaveCount(0);
      }
    }
  });
});
