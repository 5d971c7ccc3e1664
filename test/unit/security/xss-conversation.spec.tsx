/**
 * @jest-environment jsdom
 *
 * The XSS corpus (test/fixtures/xss-payloads.json) through every chat format
 * the conversation view reads: each payload as message text, reasoning, tool
 * name, tool arguments, tool result and image URL. The details stay inert;
 * an image is an <img> only for an http(s) URL, never for javascript:. The
 * static text/html fallback writes the same conversations as inert text.
 */
import React from 'react';
import { render } from '@testing-library/react';
import { renderTraceHtml } from '../../../src/bundle';
import { buildTrace, readConversation } from '../../../src/trace';
import { SpanDetails } from '../../../src/view/SpanDetails';
import { makeSpan } from '../trace/factory';
import { checkFallback, parse } from './fallbackInert';
import { PAYLOADS } from './hostile';
import { inertProblems } from './inert';

const marker = () => (window as unknown as { __xss?: number }).__xss;

/** One chat span per format, `p` in every field a view shows. */
function formats(p: string): Record<string, [unknown, unknown, string?]> {
  return {
    openai: [
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: p },
              { type: 'image_url', image_url: { url: p } }
            ]
          },
          {
            role: 'assistant',
            tool_calls: [{ id: 'c', function: { name: p, arguments: p } }]
          },
          { role: 'tool', tool_call_id: 'c', content: p }
        ]
      },
      {
        choices: [
          {
            message: { role: 'assistant', content: p, reasoning_content: p }
          }
        ]
      },
      'openai'
    ],
    responses: [
      {
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: p },
              { type: 'input_image', image_url: p }
            ]
          },
          { type: 'function_call', call_id: 'c', name: p, arguments: p },
          { type: 'function_call_output', call_id: 'c', output: p }
        ]
      },
      {
        output: [
          { type: 'reasoning', summary: [{ type: 'summary_text', text: p }] },
          {
            type: 'message',
            role: 'assistant',
            content: [{ type: 'output_text', text: p }]
          }
        ]
      },
      'openai'
    ],
    anthropic: [
      {
        system: p,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: p },
              { type: 'image', source: { type: 'url', url: p } },
              {
                type: 'image',
                source: { type: 'base64', media_type: p, data: p }
              }
            ]
          },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: p },
              { type: 'tool_use', id: 't', name: p, input: { a: p } }
            ]
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't', content: p }]
          }
        ]
      },
      {
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: p }]
      },
      'anthropic'
    ],
    gemini: [
      {
        contents: [
          {
            role: 'user',
            parts: [
              { text: p },
              { file_data: { file_uri: p } },
              { inline_data: { mime_type: p, data: p } }
            ]
          },
          {
            role: 'model',
            parts: [
              { text: p, thought: true },
              { function_call: { name: p, args: { a: p } } }
            ]
          },
          {
            role: 'user',
            parts: [{ function_response: { name: p, response: { r: p } } }]
          }
        ]
      },
      { candidates: [{ content: { role: 'model', parts: [{ text: p }] } }] },
      'gemini'
    ],
    bedrock: [
      {
        messages: [
          {
            role: 'user',
            content: [
              { text: p },
              { image: { format: p, source: { bytes: p } } }
            ]
          },
          {
            role: 'assistant',
            content: [
              { reasoningContent: { reasoningText: { text: p } } },
              { toolUse: { toolUseId: 'u', name: p, input: { a: p } } }
            ]
          },
          {
            role: 'user',
            content: [
              { toolResult: { toolUseId: 'u', content: [{ text: p }] } }
            ]
          }
        ]
      },
      { output: { message: { role: 'assistant', content: [{ text: p }] } } },
      'bedrock'
    ],
    langchain: [
      [
        [
          { type: 'human', content: p },
          {
            type: 'ai',
            content: '',
            tool_calls: [{ id: 'l', name: p, args: { a: p } }]
          },
          { type: 'tool', tool_call_id: 'l', content: p }
        ]
      ],
      { generations: [[{ text: p, message: { type: 'ai', content: p } }]] },
      'langchain'
    ],
    llamaindex: [
      {
        messages: [
          {
            role: 'user',
            blocks: [
              { block_type: 'text', text: p },
              { block_type: 'image', url: p }
            ]
          }
        ]
      },
      {
        message: {
          role: 'assistant',
          blocks: [
            { block_type: 'thinking', content: p },
            { block_type: 'text', text: p }
          ]
        }
      },
      'llamaindex'
    ],
    dspy: [
      { messages: [{ role: 'user', content: `[[ ## question ## ]]\n${p}` }] },
      [`[[ ## answer ## ]]\n${p}`],
      'dspy'
    ],
    otel: [
      [
        {
          role: 'user',
          parts: [
            { type: 'text', content: p },
            { type: 'tool_call', id: 'o', name: p, arguments: { a: p } }
          ]
        }
      ],
      [{ role: 'assistant', parts: [{ type: 'reasoning', content: p }] }]
    ],
    // Google ADK's OpenTelemetry GenAI messages, as MLflow's server stores them.
    'google-adk': [
      [
        { role: 'user', parts: [{ type: 'text', content: p }] },
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 'g', name: p, arguments: { a: p } }]
        },
        {
          role: 'user',
          parts: [{ type: 'tool_call_response', id: 'g', response: { r: p } }]
        }
      ],
      [
        {
          role: 'assistant',
          parts: [{ type: 'text', content: p }],
          finish_reason: 'stop'
        }
      ]
    ]
  };
}

function renderFormat(
  inputs: unknown,
  outputs: unknown,
  format: string | undefined
) {
  const attributes: Record<string, unknown> = {
    'mlflow.spanInputs': inputs,
    'mlflow.spanOutputs': outputs
  };
  if (format) {
    attributes['mlflow.message.format'] = format;
  }
  const trace = buildTrace(undefined, [
    makeSpan({ id: 'a', type: 'CHAT_MODEL', attributes })
  ]);
  return render(<SpanDetails node={trace.nodesInOrder[0]} />);
}

afterEach(() => {
  expect(marker()).toBeUndefined();
});

describe('XSS corpus through every chat format', () => {
  for (const [name] of Object.entries(formats('x'))) {
    it(`${name}: every payload renders inert, as text`, () => {
      for (const { id, payload } of PAYLOADS) {
        const [inputs, outputs, format] = formats(payload)[name];
        expect(readConversation(inputs, format)).not.toBeNull();
        const { container, unmount } = renderFormat(inputs, outputs, format);
        const chats = container.querySelectorAll('[aria-label="Conversation"]');
        expect({ id, chats: chats.length }).toEqual({ id, chats: 2 });
        expect({
          id,
          problems: inertProblems(container, ['details', 'img'])
        }).toEqual({ id, problems: [] });
        for (const img of Array.from(container.querySelectorAll('img'))) {
          expect({ id, src: img.getAttribute('src') }).toEqual({
            id,
            src: expect.stringMatching(/^https?:\/\/[^\s]+$/)
          });
          expect(img.getAttribute('referrerpolicy')).toBe('no-referrer');
        }
        const shown = Array.from(chats)
          .map(c => c.textContent ?? '')
          .join('');
        const trimmed = payload.trim();
        if (trimmed !== '') {
          expect({ id, shown: shown.includes(trimmed) }).toEqual({
            id,
            shown: true
          });
        }
        unmount();
      }
    });
  }

  it('never makes a javascript: image URL an img src, in any format', () => {
    const url = 'javascript:window.__xss=(window.__xss||0)+1';
    for (const [name, [inputs, outputs, format]] of Object.entries(
      formats(url)
    )) {
      const { container, unmount } = renderFormat(inputs, outputs, format);
      expect({
        name,
        images: container.querySelectorAll('img').length
      }).toEqual({ name, images: 0 });
      expect(container.innerHTML).not.toMatch(/src="javascript:/i);
      unmount();
    }
  });

  it('shows an http(s) image URL as an image that sends no referrer', () => {
    const url = 'https://example.com/cat.png';
    const [inputs, outputs, format] = formats(url).openai;
    const { container, unmount } = renderFormat(inputs, outputs, format);
    const images = Array.from(container.querySelectorAll('img'));
    expect(images.map(i => i.getAttribute('src'))).toEqual([url]);
    expect(images[0].getAttribute('referrerpolicy')).toBe('no-referrer');
    unmount();
  });
});

/** The text/html fallback of one chat span of each format, one trace each, `p` in every field. */
function fallbackOfFormats(p: string): string {
  const traces = Object.entries(formats(p)).map(
    ([name, [inputs, outputs, format]]) => {
      const attributes: Record<string, unknown> = {
        'mlflow.spanType': JSON.stringify('CHAT_MODEL'),
        'mlflow.spanInputs': JSON.stringify(inputs),
        'mlflow.spanOutputs': JSON.stringify(outputs)
      };
      if (format) {
        attributes['mlflow.message.format'] = JSON.stringify(format);
      }
      const span = {
        span_id: 'span-0',
        name,
        start_time_unix_nano: 1e18,
        end_time_unix_nano: 1e18 + 1e6,
        attributes
      };
      return { trace_id: `tr-${name}`, spans: [span] };
    }
  );
  return renderTraceHtml({
    version: 1,
    tracking_uri: 'http://127.0.0.1:5000',
    traces
  });
}

describe('XSS corpus through the conversations of the text/html fallback', () => {
  it('writes every payload of every format as inert text', () => {
    const formatCount = Object.keys(formats('x')).length;
    for (const { id, payload } of PAYLOADS) {
      const html = fallbackOfFormats(payload);
      checkFallback(html);
      const root = parse(html);
      const chats = root.querySelectorAll('.jp-MlflowTraceFallback-chat');
      expect({ id, chats: chats.length }).toEqual({ id, chats: formatCount });
      expect(root.querySelectorAll('img')).toHaveLength(0);
      const visible = payload.replace(/\s+/g, ' ').trim().slice(0, 12);
      if (
        visible &&
        // eslint-disable-next-line no-control-regex
        !/[\u0000-\u001f\ud800-\udfff\u2028\u2029]/.test(visible)
      ) {
        const hidden = Array.from(chats)
          .filter(
            chat =>
              !(chat.textContent ?? '').replace(/\s+/g, ' ').includes(visible)
          )
          .map(
            chat =>
              chat.querySelector('.jp-MlflowTraceFallback-name')!.textContent
          );
        expect({ id, hidden }).toEqual({ id, hidden: [] });
      }
    }
  });

  it('links an http(s) image, and never a javascript: one', () => {
    const js = parse(fallbackOfFormats('javascript:alert(1)'));
    expect(js.querySelectorAll('a')).toHaveLength(0);
    const url = 'https://example.com/cat.png';
    const links = Array.from(
      parse(fallbackOfFormats(url)).querySelectorAll('a')
    );
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.getAttribute('href')).toBe(url);
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });
});
