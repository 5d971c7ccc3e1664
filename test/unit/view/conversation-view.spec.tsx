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
});
