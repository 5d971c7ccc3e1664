/**
 * @jest-environment jsdom
 *
 * The conversation view (src/view/conversation/) on a RAG trace recorded
 * from a real server, on the agent traces MLflow's autologging wrote, on
 * each recorded provider fixture, and on hostile text: steps in order, each
 * message once, tool calls with arguments and results, documents with
 * scores, each step opening its span, only the visible steps in the DOM.
 */
import React from 'react';
import { act, fireEvent, render, within } from '@testing-library/react';
import {
  buildTrace,
  conversationSteps,
  ISpanDict,
  ITrace
} from '../../../src/trace';
import { ConversationView } from '../../../src/view/conversation/ConversationView';
import { inertProblems } from '../security/inert';
import { PAYLOADS } from '../security/hostile';
import {
  CONVERSATION_FIXTURES,
  loadConversation
} from '../trace/conversations';
import { makeSpan } from '../trace/factory';
import { fakeLayout, recordedTrace } from './helpers';

beforeAll(() => {
  fakeLayout();
  // A step measures 50 px, so a 400 px viewport draws eight and the overscan.
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.getAttribute('role') === 'listitem' ? 50 : 400;
    }
  });
});

function fixtureTrace(name: string, index = 0): ITrace {
  return buildTrace(undefined, loadConversation(name).traces[index].spans);
}

function show(
  trace: ITrace,
  selectedId: string | undefined = undefined,
  onSelectSpan: (id: string) => void = () => undefined
) {
  const view = render(
    <ConversationView
      trace={trace}
      selectedId={selectedId}
      onSelectSpan={onSelectSpan}
    />
  );
  const steps = () =>
    Array.from(view.container.querySelectorAll('[role="listitem"]'));
  return { ...view, steps };
}

/** Each step's head: its kind and its span's name. */
function heads(steps: Element[]): string[] {
  return steps.map(
    step =>
      `${step.querySelector('.jp-MlflowTrace-stepKind')?.textContent} ${
        step.querySelector('.jp-MlflowTrace-stepName')?.textContent
      }`
  );
}

describe('the conversation view', () => {
  it('shows a RAG trace in order, the retrieval with its documents and scores', () => {
    const { steps } = show(recordedTrace('nested'));
    expect(heads(steps())).toEqual([
      'Request rag_agent',
      'Retrieval retrieve',
      'Tool get_weather',
      'Model chat_completion',
      'Response rag_agent'
    ]);
    const documents = within(steps()[1] as HTMLElement).getByRole('list', {
      name: 'Retrieved documents'
    });
    const facts = Array.from(
      documents.querySelectorAll(':scope > li .jp-MlflowTrace-facts')
    ).map(f =>
      Array.from(f.querySelectorAll('.jp-MlflowTrace-fact'))
        .slice(0, 2)
        .map(x => x.textContent)
    );
    expect(facts).toEqual([
      ['id doc-0', 'score 1.000'],
      ['id doc-1', 'score 0.900'],
      ['id doc-2', 'score 0.800']
    ]);
    expect(steps()[1].textContent).toContain('What is the weather in Lyon?');
    // The answer is shown once, by the model call; the response points to it.
    expect(steps()[3].textContent).toContain(
      'It is sunny in Lyon; 2 documents agree.'
    );
    expect(steps()[4].textContent).not.toContain('It is sunny in Lyon');
    expect(steps()[4].textContent).toContain('the last answer above');
  });

  it('shows an agent trace: the call, the tool with arguments and result, the answer, each message once', () => {
    const { container, steps } = show(fixtureTrace('openai-agents'));
    expect(heads(steps())).toEqual([
      'Request AgentRunner.run',
      'Model Response',
      'Model AsyncResponses',
      'Tool get_weather',
      'Model Response',
      'Model AsyncResponses',
      'Response AgentRunner.run'
    ]);
    const tool = within(steps()[3] as HTMLElement).getByLabelText('Tool step');
    expect(tool.textContent?.replace(/\s+/g, '')).toBe(
      'arguments{"city":"Paris"}result{"temperature_c":21,"sky":"sunny"}'
    );
    const texts = Array.from(
      container.querySelectorAll('.jp-MlflowTrace-message')
    ).map(m => m.textContent);
    expect(texts.filter(t => t?.includes('It is sunny in Paris'))).toHaveLength(
      1
    );
    expect(
      texts.filter(t => t?.includes('What is the weather in Paris?'))
    ).toHaveLength(1);
    expect(steps()[5].textContent).toContain('5 earlier messages not repeated');
  });

  it.each(CONVERSATION_FIXTURES)(
    '%s: renders the messages the steps hold, no more',
    name => {
      for (const [index] of loadConversation(name).traces.entries()) {
        const trace = fixtureTrace(name, index);
        const expected = conversationSteps(trace).reduce(
          (sum, step) =>
            sum +
            (step.kind === 'message'
              ? step.messages.length
              : step.kind === 'request' ||
                  (step.kind === 'response' && !step.shownAbove)
                ? (step.messages?.length ?? 0)
                : 0),
          0
        );
        const { container, unmount } = show(trace);
        expect([
          name,
          index,
          container.querySelectorAll('.jp-MlflowTrace-message').length
        ]).toEqual([name, index, expected]);
        unmount();
      }
    }
  );

  it('opens the span of a step, and marks the selected one', () => {
    const opened: string[] = [];
    const trace = recordedTrace('nested');
    const retrieve = trace.nodesInOrder.find(n => n.span.name === 'retrieve')!
      .span.spanId;
    const { steps, getByRole } = show(trace, retrieve, id => opened.push(id));
    fireEvent.click(getByRole('button', { name: 'Open span get_weather' }));
    fireEvent.click(getByRole('button', { name: 'Open span chat_completion' }));
    const tool = trace.nodesInOrder.find(n => n.span.name === 'get_weather')!;
    const model = trace.nodesInOrder.find(
      n => n.span.name === 'chat_completion'
    )!;
    expect(opened).toEqual([tool.span.spanId, model.span.spanId]);
    expect(steps().map(s => s.getAttribute('aria-current'))).toEqual([
      'false',
      'true',
      'false',
      'false',
      'false'
    ]);
    expect(steps()[1].classList.contains('jp-mod-selected')).toBe(true);
  });

  it('marks the response, not the request, when the response opens the root span they share', () => {
    const trace = recordedTrace('nested');
    const root = trace.roots[0].span.spanId;
    let selected: string | undefined;
    const view = show(trace, undefined, id => (selected = id));
    const reshow = () =>
      view.rerender(
        <ConversationView
          trace={trace}
          selectedId={selected}
          onSelectSpan={id => (selected = id)}
        />
      );
    const current = () =>
      view.steps().map(s => s.getAttribute('aria-current') === 'true');
    const [openRequest, openResponse] = view.getAllByRole('button', {
      name: `Open span ${trace.roots[0].span.name}`
    });
    fireEvent.click(openResponse);
    reshow();
    expect(selected).toBe(root);
    expect(current()).toEqual([false, false, false, false, true]);
    fireEvent.click(openRequest);
    reshow();
    expect(current()).toEqual([true, false, false, false, false]);
  });

  it('puts only the visible steps of 10,000 tool calls in the DOM', () => {
    const spans: ISpanDict[] = [makeSpan({ id: 'root', endMs: 20_000 })];
    for (let i = 0; i < 10_000; i++) {
      spans.push(
        makeSpan({
          id: `t${i}`,
          parent: 'root',
          name: `tool ${i}`,
          type: 'TOOL',
          startMs: i,
          endMs: i + 1,
          attributes: { 'mlflow.spanInputs': { i } }
        })
      );
    }
    const { steps, container } = show(buildTrace(undefined, spans));
    expect(steps().length).toBeGreaterThan(0);
    expect(steps().length).toBeLessThan(30);
    expect(
      container.querySelector('[role="list"]')?.getAttribute('aria-label')
    ).toBe('Conversation, 10,002 steps');
  });

  it('scrolls to the step of a span selected elsewhere', async () => {
    const spans: ISpanDict[] = [makeSpan({ id: 'root', endMs: 20_000 })];
    for (let i = 0; i < 2_000; i++) {
      spans.push(
        makeSpan({
          id: `t${i}`,
          parent: 'root',
          name: `tool ${i}`,
          type: 'TOOL',
          startMs: i,
          endMs: i + 1
        })
      );
    }
    const trace = buildTrace(undefined, spans);
    // jsdom does not scroll: do what a browser does, then report the scroll.
    const scrollTo = Element.prototype.scrollTo;
    Element.prototype.scrollTo = function (
      this: Element,
      options?: ScrollToOptions | number
    ) {
      const top = typeof options === 'number' ? 0 : (options?.top ?? 0);
      this.scrollTop = top;
      fireEvent.scroll(this);
    } as Element['scrollTo'];
    Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
      configurable: true,
      get(this: HTMLElement) {
        const inner = this.firstElementChild as HTMLElement | null;
        return parseFloat(inner?.style.height ?? '') || 0;
      }
    });
    try {
      const view = show(trace);
      expect(view.container.textContent).not.toContain('tool 1500');
      view.rerender(
        <ConversationView
          trace={trace}
          selectedId="t1500"
          onSelectSpan={() => undefined}
        />
      );
      // The virtualizer corrects its scroll over a few frames as steps are measured.
      await act(() => new Promise(resolve => setTimeout(resolve, 200)));
      const current = view
        .steps()
        .filter(s => s.getAttribute('aria-current') === 'true');
      expect(
        current.map(
          s => s.querySelector('.jp-MlflowTrace-stepName')?.textContent
        )
      ).toEqual(['tool 1500']);
    } finally {
      Element.prototype.scrollTo = scrollTo;
      delete (HTMLElement.prototype as { scrollHeight?: number }).scrollHeight;
    }
  });

  it('shows hostile names, messages, arguments and documents as text', () => {
    const spans: ISpanDict[] = [
      makeSpan({
        id: 'root',
        name: PAYLOADS[0].payload,
        endMs: 1000,
        attributes: { 'mlflow.spanInputs': PAYLOADS[1].payload }
      })
    ];
    PAYLOADS.slice(0, 30).forEach((p, i) => {
      spans.push(
        makeSpan({
          id: `s${i}`,
          parent: 'root',
          name: p.payload,
          type: ['CHAT_MODEL', 'TOOL', 'RETRIEVER'][i % 3],
          startMs: i,
          endMs: i + 1,
          attributes: {
            'mlflow.spanInputs':
              i % 3 === 0
                ? { messages: [{ role: 'user', content: p.payload }] }
                : p.payload,
            'mlflow.spanOutputs': [
              {
                page_content: p.payload,
                metadata: { doc_uri: p.payload, score: 0.5 }
              }
            ]
          }
        })
      );
    });
    const trace = buildTrace(undefined, spans);
    // Every step drawn: a tall viewport for this test.
    const { container } = render(
      <div>
        {conversationSteps(trace).map((_, index) => (
          <ConversationView
            key={index}
            trace={buildTrace(undefined, [spans[0], spans[index] ?? spans[0]])}
            selectedId={undefined}
            onSelectSpan={() => undefined}
          />
        ))}
      </div>
    );
    expect(inertProblems(container, ['details'])).toEqual([]);
    expect((window as any).__xss).toBeUndefined();
    const text = container.textContent ?? '';
    for (const p of PAYLOADS.slice(0, 30)) {
      expect(text).toContain(p.payload);
    }
  });
});
