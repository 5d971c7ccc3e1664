/**
 * @jest-environment jsdom
 *
 * The conversations in the static text/html fallback: each model call's
 * messages as the trace model reads them, on the spans MLflow's autologging
 * integrations recorded, with the bounds that keep an output small.
 */
import { renderTraceHtml } from '../../../src/bundle';
import { spanConversation } from '../../../src/trace/conversation';
import {
  chatSpans,
  CONVERSATION_FIXTURES,
  loadConversation
} from '../trace/conversations';
import { parse } from '../security/fallbackInert';

// Counted, to see how many spans the fallback reads.
jest.mock('../../../src/trace/conversation', () => {
  const actual = jest.requireActual('../../../src/trace/conversation');
  return { ...actual, spanConversation: jest.fn(actual.spanConversation) };
});

const URI = 'http://127.0.0.1:5000';

function fallbackOf(traces: { trace_id: string; spans: unknown[] }[]) {
  return parse(renderTraceHtml({ version: 1, tracking_uri: URI, traces }));
}

/** A span of `type` whose inputs are OpenAI chat `messages`. */
function chatSpan(
  id: string,
  type: string,
  messages: unknown[],
  parent: string | null = null
) {
  return {
    span_id: id,
    parent_span_id: parent,
    name: `span ${id}`,
    start_time_unix_nano: 1e18,
    end_time_unix_nano: 1e18 + 1e6,
    attributes: {
      'mlflow.spanType': JSON.stringify(type),
      'mlflow.spanInputs': JSON.stringify({ messages })
    }
  };
}

/**
 * What a fixture's fallback must show: the question, the tool call and the
 * reply; DSPy writes its fields as sections, and LlamaIndex's mock LLM
 * echoes the prompt instead of the stand-in's reply.
 */
function expectedText(
  fixture: ReturnType<typeof loadConversation>,
  name: string
): string[] {
  const { question, reply, tool } = fixture.stand_in;
  if (name === 'dspy') {
    return [question, '## next_tool_name', tool.name, '## answer'];
  }
  const call = `[tool call] ${tool.name}`;
  if (name === 'llama-index') {
    return [question, call, `[result of ${tool.name}]`];
  }
  return [question, call, reply];
}

describe('conversations in the text/html fallback', () => {
  it.each(CONVERSATION_FIXTURES)(
    '%s: the question, the tool call and the reply are written, by role',
    name => {
      const fixture = loadConversation(name);
      expect(chatSpans(fixture).length).toBeGreaterThan(0);
      const root = fallbackOf(fixture.traces);
      const chats = Array.from(
        root.querySelectorAll('.jp-MlflowTraceFallback-chat')
      );
      expect(chats.length).toBeGreaterThan(0);
      const text = chats.map(c => c.textContent).join('\n');
      for (const expected of expectedText(fixture, name)) {
        expect(text).toContain(expected);
      }
      const roles = Array.from(
        root.querySelectorAll('.jp-MlflowTraceFallback-chatMessage > strong')
      ).map(r => r.textContent);
      expect(roles.length).toBeGreaterThan(1);
    }
  );

  it('folds reasoning, and links an http(s) image', () => {
    const fixture = loadConversation('openai-chat');
    const root = fallbackOf(fixture.traces);
    const link = root.querySelector('.jp-MlflowTraceFallback-part a');
    expect(link?.getAttribute('href')).toBe(fixture.stand_in.image_url);
    const thinking = fallbackOf(loadConversation('anthropic').traces);
    const details = thinking.querySelector('details');
    expect(details?.querySelector('summary')?.textContent).toBe('Reasoning');
    expect(details?.hasAttribute('open')).toBe(false);
    expect(details?.textContent).toContain(
      loadConversation('anthropic').stand_in.thinking
    );
  });

  it('writes model calls only, not a chain that passes the messages on', () => {
    const messages = [{ role: 'user', content: 'hello there' }];
    const root = fallbackOf([
      {
        trace_id: 'tr-1',
        spans: [
          chatSpan('a', 'CHAIN', messages),
          chatSpan('b', 'CHAT_MODEL', messages, 'a')
        ]
      }
    ]);
    const chats = root.querySelectorAll('.jp-MlflowTraceFallback-chat');
    expect(
      Array.from(chats).map(
        c => c.querySelector('.jp-MlflowTraceFallback-name')?.textContent
      )
    ).toEqual(['span b']);
  });

  it('writes 10 conversations, 50 messages a side and 2,000 characters a part, and says what it left out', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      role: 'user',
      content: `message ${i}`
    }));
    const long = [{ role: 'user', content: 'x'.repeat(2500) }];
    const spans = Array.from({ length: 12 }, (_, i) =>
      chatSpan(`s${i}`, 'LLM', i === 0 ? many : long, i === 0 ? null : 's0')
    );
    const root = fallbackOf([{ trace_id: 'tr-1', spans }]);
    const chats = root.querySelectorAll('.jp-MlflowTraceFallback-chat');
    expect(chats).toHaveLength(10);
    const more = Array.from(
      root.querySelectorAll('.jp-MlflowTraceFallback-more')
    ).map(m => m.textContent);
    expect(more).toEqual([
      '… 10 more messages',
      '… 2 more model calls not written'
    ]);
    const first = chats[0].querySelectorAll('.jp-MlflowTraceFallback-part');
    expect(first).toHaveLength(50);
    expect(first[49].textContent).toBe('message 49');
    const part = chats[1].querySelector('.jp-MlflowTraceFallback-part')!;
    expect(part.textContent).toHaveLength(2000);
    expect(part.textContent!.endsWith('…')).toBe(true);
  });

  it('writes a tool result in a part of its own, so a long call cannot cut it off', () => {
    const args = JSON.stringify({ query: 'q'.repeat(2100) });
    const messages = [
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'search', arguments: args }
          }
        ]
      },
      { role: 'tool', tool_call_id: 'c1', content: 'THE-RESULT' }
    ];
    const root = fallbackOf([
      { trace_id: 'tr-1', spans: [chatSpan('a', 'LLM', messages)] }
    ]);
    const parts = Array.from(
      root.querySelectorAll('.jp-MlflowTraceFallback-part')
    ).map(p => p.textContent!);
    expect(parts).toHaveLength(2);
    expect(parts[0].startsWith('[tool call] search (c1) {"query":"qqq')).toBe(
      true
    );
    expect(parts[0]).toHaveLength(2000);
    expect(parts[1]).toBe('[result of c1] THE-RESULT');
  });

  it('reads no more model calls than it takes to find the 10 it writes', () => {
    const read = spanConversation as jest.Mock;
    read.mockClear();
    const spans = Array.from({ length: 300 }, (_, i) =>
      chatSpan(
        `s${i}`,
        'LLM',
        [{ role: 'user', content: `hi ${i}` }],
        i ? 's0' : null
      )
    );
    const root = fallbackOf([{ trace_id: 'tr-1', spans }]);
    expect(root.querySelectorAll('.jp-MlflowTraceFallback-chat')).toHaveLength(
      10
    );
    expect(read).toHaveBeenCalledTimes(10);
    expect(
      root.querySelector(
        '.jp-MlflowTraceFallback-chats > .jp-MlflowTraceFallback-more'
      )?.textContent
    ).toBe('… 290 more model calls not written');
  });
});
