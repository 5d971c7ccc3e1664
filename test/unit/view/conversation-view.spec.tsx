/**
 * @jest-environment jsdom
 *
 * The span details' conversation view on spans recorded from MLflow's
 * autologging integrations (test/fixtures/conversations/), and on the two
 * shapes that rendered as empty bubbles: LlamaIndex `blocks` and
 * OpenTelemetry GenAI `parts`.
 */
import React from 'react';
import { render } from '@testing-library/react';
import { buildTrace, ISpanDict } from '../../../src/trace';
import { SpanDetails } from '../../../src/view/SpanDetails';
import { makeSpan } from '../trace/factory';
import {
  CONVERSATION_FIXTURES,
  isChatSpan,
  loadConversation
} from '../trace/conversations';

function details(span: ISpanDict): HTMLElement {
  const trace = buildTrace(undefined, [span]);
  const { container } = render(<SpanDetails node={trace.nodesInOrder[0]} />);
  return container;
}

function messageTexts(root: HTMLElement): string[] {
  return Array.from(root.querySelectorAll('.jp-MlflowTrace-message')).map(
    m => m.textContent ?? ''
  );
}

/** What the span details show for each chat span of a recorded fixture. */
function renderRecorded(name: string) {
  const fixture = loadConversation(name);
  const nodes = fixture.traces.flatMap(t =>
    buildTrace(undefined, t.spans).nodesInOrder.filter(n => isChatSpan(n.span))
  );
  return nodes.map(node => {
    const { container, unmount } = render(<SpanDetails node={node} />);
    const html = container.innerHTML;
    const text = container.textContent ?? '';
    const calls = Array.from(
      container.querySelectorAll('[aria-label="Tool call"]')
    ).map(c => c.textContent ?? '');
    const results = Array.from(
      container.querySelectorAll(
        '[aria-label="Tool call"] [aria-label="Tool result"]'
      )
    ).map(c => c.textContent ?? '');
    const images = Array.from(container.querySelectorAll('img')).map(img => [
      img.getAttribute('src'),
      img.getAttribute('referrerpolicy')
    ]);
    const reasoning = Array.from(
      container.querySelectorAll('details.jp-MlflowTrace-reasoning')
    ).map(d => [d.textContent, (d as HTMLDetailsElement).open]);
    const replies = Array.from(
      container.querySelectorAll(
        '[aria-label="Conversation"] .jp-MlflowTrace-messageText'
      )
    ).map(t => t.textContent?.trim());
    unmount();
    return { html, text, calls, results, images, reasoning, replies };
  });
}

describe('conversation view', () => {
  it('shows the text of LlamaIndex messages held in blocks', () => {
    const root = details(
      makeSpan({
        id: 'a',
        type: 'CHAT_MODEL',
        attributes: {
          'mlflow.spanInputs': {
            messages: [
              {
                role: 'user',
                additional_kwargs: {},
                blocks: [{ block_type: 'text', text: 'Hello from blocks' }]
              }
            ]
          }
        }
      })
    );
    const texts = messageTexts(root);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('Hello from blocks');
  });

  it('shows the text of OpenTelemetry GenAI messages held in parts', () => {
    const root = details(
      makeSpan({
        id: 'a',
        type: 'LLM',
        attributes: {
          'mlflow.spanInputs': [
            { role: 'user', parts: [{ type: 'text', content: 'Hi in parts' }] }
          ],
          'mlflow.spanOutputs': [
            {
              role: 'assistant',
              parts: [
                {
                  type: 'tool_call',
                  id: 'c1',
                  name: 'lookup',
                  arguments: { q: 'x' }
                }
              ]
            }
          ]
        }
      })
    );
    const texts = messageTexts(root);
    expect(texts[0]).toContain('Hi in parts');
    expect(texts[1]).toContain('lookup');
    expect(texts[1]).toContain('{"q":"x"}');
  });

  describe.each(CONVERSATION_FIXTURES)('recorded from %s', name => {
    const fixture = loadConversation(name);
    const asked = fixture.stand_in;
    const rendered = renderRecorded(name);

    it('shows the reply as a message text', () => {
      const reply = name === 'llama-index' ? undefined : asked.reply;
      if (reply) {
        expect(rendered.some(r => r.replies.includes(reply))).toBe(true);
      } else {
        expect(rendered[0].replies.length).toBeGreaterThan(0);
      }
    });

    it('shows the tool call with its arguments and its result under it', () => {
      if (name === 'dspy') {
        // DSPy writes tool calls as sections, shown under their headings.
        expect(rendered[0].text).toContain('next_tool_name');
        expect(rendered[0].text).toContain(asked.tool.name);
        return;
      }
      const all = rendered.flatMap(r => r.calls);
      expect(all.length).toBeGreaterThan(0);
      for (const call of all) {
        expect(call).toContain(asked.tool.name);
        expect(call).toMatch(/"city": ?"Paris"/);
      }
      const results = rendered.flatMap(r => r.results);
      expect(results.length).toBeGreaterThan(0);
      expect(results.join('')).toMatch(/"temperature_c": ?21/);
    });

    it('shows images only from http(s) URLs, never referring', () => {
      for (const { images } of rendered) {
        for (const [src, policy] of images) {
          expect(src).toMatch(/^https?:\/\//);
          expect(policy).toBe('no-referrer');
        }
      }
      const sent = JSON.stringify(fixture.traces).includes(asked.image_url);
      expect(rendered.some(r => r.images.length > 0)).toBe(sent);
    });
  });

  // The providers the stand-in answered with thinking, as each fixture's header records.
  const THINKING = CONVERSATION_FIXTURES.filter(name => {
    const asked = loadConversation(name).stand_in;
    return JSON.stringify(asked.answered).includes(asked.thinking);
  });

  it('has recorded providers that answered with thinking', () => {
    expect(THINKING.length).toBeGreaterThan(0);
  });

  it.each(THINKING)('folds the reasoning recorded from %s', name => {
    const { thinking } = loadConversation(name).stand_in;
    const folded = renderRecorded(name).flatMap(r => r.reasoning);
    expect(folded.length).toBeGreaterThan(0);
    for (const [text, open] of folded) {
      expect(text).toContain(thinking);
      expect(open).toBe(false);
    }
  });
});
