/**
 * A read conversation as text (trace/conversation/transcript.ts): what the
 * comparison diffs and the static fallbacks write, checked on the spans
 * MLflow's integrations recorded.
 */
import {
  conversationText,
  IChatMessage,
  imageLabel,
  IMessagePart,
  partText,
  shownMessages,
  shownParts,
  spanConversation
} from '../../../src/trace';
import {
  chatSpans,
  CONVERSATION_FIXTURES,
  loadConversation
} from './conversations';

/** The strings a part stands for in text, a tied result included. */
function expectedStrings(part: IMessagePart): string[] {
  switch (part.kind) {
    case 'text':
      return [part.heading ?? '', part.text.trim()];
    case 'image':
      return [imageLabel(part.url)];
    case 'toolCall':
      return [
        part.name,
        part.arguments,
        ...(part.result ? expectedStrings(part.result) : [])
      ];
    case 'toolResult':
      return [part.name ?? part.callId ?? '', part.text];
    default:
      return [part.text];
  }
}

/** `text` with every line indented as conversationText indents parts. */
function indented(text: string): string {
  return text.replace(/^/gm, '  ');
}

describe('conversationText', () => {
  it.each(CONVERSATION_FIXTURES)(
    'writes every role and every shown part of %s, in order',
    name => {
      const spans = chatSpans(loadConversation(name));
      expect(spans.length).toBeGreaterThan(0);
      for (const span of spans) {
        const chat = spanConversation(span);
        for (const side of [chat.input, chat.output]) {
          if (side === null) {
            continue;
          }
          const text = conversationText(side.messages);
          let from = 0;
          for (const message of shownMessages(side.messages)) {
            const at = text.indexOf(`${message.role}:`, from);
            expect(at).toBeGreaterThanOrEqual(from);
            from = at;
            for (const part of shownParts(message)) {
              for (const expected of expectedStrings(part)) {
                expect(text).toContain(indented(expected).trimStart());
              }
            }
          }
        }
      }
    }
  );

  it('indents each part under its role, a tied result under its call, not again in its own message', () => {
    const result = {
      kind: 'toolResult' as const,
      callId: 'call_1',
      name: 'get_weather',
      text: 'sunny',
      linked: true
    };
    const messages: IChatMessage[] = [
      {
        role: 'user',
        roleKind: 'user',
        parts: [{ kind: 'text', text: 'line one\nline two' }]
      },
      {
        role: 'assistant',
        roleKind: 'assistant',
        parts: [
          { kind: 'reasoning', text: 'think' },
          {
            kind: 'toolCall',
            id: 'call_1',
            name: 'get_weather',
            arguments: '{"city":"Paris"}',
            result
          }
        ]
      },
      { role: 'tool', roleKind: 'tool', parts: [result] }
    ];
    expect(conversationText(messages)).toBe(
      [
        'user:',
        '  line one',
        '  line two',
        'assistant:',
        '  [reasoning] think',
        '  [tool call] get_weather (call_1) {"city":"Paris"}',
        '  [result of get_weather] sunny'
      ].join('\n')
    );
  });
});

describe('partText', () => {
  it('names a data URL image by its type and length, an http one by its URL', () => {
    const data = 'data:image/png;base64,' + 'A'.repeat(2000);
    expect(partText({ kind: 'image', url: data })).toBe(
      '[image] image/png, 2,022 characters'
    );
    expect(partText({ kind: 'image', url: 'https://x.test/a.png' })).toBe(
      '[image] https://x.test/a.png'
    );
  });

  it('heads a DSPy section with its field name', () => {
    expect(partText({ kind: 'text', heading: 'answer', text: '\n42\n' })).toBe(
      '## answer\n42'
    );
  });

  it('writes an unanswered call, and a result with no call, alone', () => {
    expect(
      partText({
        kind: 'toolCall',
        id: undefined,
        name: 'search',
        arguments: '{}'
      })
    ).toBe('[tool call] search {}');
    expect(
      partText({
        kind: 'toolResult',
        callId: undefined,
        name: undefined,
        text: 'done'
      })
    ).toBe('[tool result] done');
  });
});
