/**
 * Conversations read from the spans MLflow's autologging integrations wrote
 * (test/fixtures/conversations/, recorded by scripts/record-conversations.py).
 * Expectations come from what each fixture says the stand-in provider was
 * asked and answered, never from this parser's output.
 */
import fc from 'fast-check';
import {
  ChatFormat,
  IChatMessage,
  IConversation,
  IMessagePart,
  ISpan,
  IToolCallPart,
  METADATA_KEYS,
  readConversation,
  spanConversation
} from '../../../src/trace';
import {
  chatSpans,
  CONVERSATION_FIXTURES,
  IConversationFixture,
  loadConversation
} from './conversations';

const texts = (message: IChatMessage | undefined): string[] =>
  (message?.parts ?? []).flatMap(p => (p.kind === 'text' ? [p.text] : []));
const reasoning = (messages: IChatMessage[]): string[] =>
  messages.flatMap(m =>
    m.parts.flatMap(p => (p.kind === 'reasoning' ? [p.text] : []))
  );
const calls = (messages: IChatMessage[]): IToolCallPart[] =>
  messages.flatMap(m =>
    m.parts.filter((p): p is IToolCallPart => p.kind === 'toolCall')
  );
const parts = (messages: IChatMessage[], kind: IMessagePart['kind']) =>
  messages.flatMap(m => m.parts.filter(p => p.kind === kind));

function sides(span: ISpan): { input: IConversation; output: IConversation } {
  const { input, output } = spanConversation(span);
  expect(input).not.toBeNull();
  expect(output).not.toBeNull();
  return { input: input!, output: output! };
}

/** `messages` hold one call of the asked tool, its result under it, that result the only one. */
function expectResultUnderCall(
  messages: IChatMessage[],
  asked: IConversationFixture['stand_in']
): void {
  const [call] = calls(messages);
  expect(call.name).toBe(asked.tool.name);
  expect(call.result).toBeDefined();
  expect(JSON.parse(call.result!.text)).toEqual(JSON.parse(asked.tool_result));
  expect(parts(messages, 'toolResult')).toEqual([call.result]);
}

/** The first chat span of the first trace and of the last (the two turns). */
function turns(fixture: IConversationFixture): [ISpan, ISpan] {
  const first = chatSpans({ ...fixture, traces: [fixture.traces[0]] });
  const last = chatSpans({
    ...fixture,
    traces: [fixture.traces[fixture.traces.length - 1]]
  });
  return [first[0], last[0]];
}

// Request/response providers: one chat asks, gets a tool call, sends the result.
const TURN_TABLE: {
  name: string;
  format: ChatFormat;
  roles: string[];
  image: 'url' | 'attachment' | 'none';
}[] = [
  {
    name: 'openai-chat',
    format: 'openai',
    roles: ['system', 'user', 'assistant', 'tool'],
    image: 'url'
  },
  {
    name: 'openai-responses',
    format: 'openai-responses',
    roles: ['user', 'assistant', 'tool'],
    image: 'url'
  },
  {
    name: 'openai-responses-stream',
    format: 'openai-responses',
    roles: ['user', 'assistant', 'tool'],
    image: 'none'
  },
  {
    name: 'anthropic',
    format: 'anthropic',
    roles: ['system', 'user', 'assistant', 'user'],
    image: 'attachment'
  },
  {
    name: 'gemini',
    format: 'gemini',
    roles: ['user', 'model', 'user'],
    image: 'attachment'
  },
  {
    name: 'bedrock',
    format: 'bedrock',
    roles: ['system', 'user', 'assistant', 'user'],
    image: 'none'
  },
  {
    name: 'langchain',
    format: 'langchain',
    roles: ['system', 'user', 'assistant', 'tool'],
    image: 'none'
  }
];

describe('recorded conversations', () => {
  it('has a fixture per provider, each naming the versions it was recorded with', () => {
    for (const name of CONVERSATION_FIXTURES) {
      const fixture = loadConversation(name);
      expect(fixture.versions.mlflow).toBe('3.17.2');
      expect(Object.keys(fixture.versions).length).toBeGreaterThanOrEqual(3);
      expect(chatSpans(fixture).length).toBeGreaterThan(0);
    }
  });

  describe.each(TURN_TABLE)('$name', ({ name, format, roles, image }) => {
    const fixture = loadConversation(name);
    const { stand_in: asked } = fixture;
    const [first, second] = turns(fixture);
    const answer = (i: number) =>
      JSON.stringify(
        asked.answered[i]?.response ?? asked.answered[i]?.events ?? {}
      );
    const thinkingAnswered = answer(0).includes(asked.thinking);

    it('reads the first turn: the question in, a tool call (and reasoning) out', () => {
      const { input, output } = sides(first);
      expect(input.format).toBe(format);
      expect(output.format).toBe(format);
      const user = input.messages.find(m => m.roleKind === 'user');
      expect(texts(user)).toEqual([asked.question]);
      expect(output.messages.map(m => m.roleKind)).toEqual(['assistant']);
      const [call] = calls(output.messages);
      expect(calls(output.messages)).toHaveLength(1);
      expect(call.name).toBe(asked.tool.name);
      expect(JSON.parse(call.arguments)).toEqual(asked.tool.arguments);
      expect(reasoning(output.messages)).toEqual(
        thinkingAnswered ? [asked.thinking] : []
      );
      expect(texts(output.messages[0])).toEqual([]);
    });

    it('reads the second turn: the tool result under its call, the reply out', () => {
      const { input, output } = sides(second);
      expect(input.messages.map(m => m.role)).toEqual(roles);
      expectResultUnderCall(input.messages, asked);
      expect(output.messages.map(m => m.roleKind)).toEqual(['assistant']);
      expect(texts(output.messages[0])).toEqual([asked.reply]);
      if (asked.answered.length > 0) {
        expect(answer(1)).toContain(asked.reply);
      }
    });

    it('keeps images it may load and notes the others', () => {
      const { input } = sides(second);
      const images = parts(input.messages, 'image');
      const notes = parts(input.messages, 'note');
      if (image === 'url') {
        expect(images).toEqual([{ kind: 'image', url: asked.image_url }]);
      } else if (image === 'attachment') {
        // MLflow stores the sent bytes as an attachment and keeps a reference.
        expect(images).toEqual([]);
        expect(notes).toHaveLength(1);
        expect(JSON.stringify(notes)).toContain('mlflow-attachment://');
      } else {
        expect(images).toEqual([]);
      }
    });
  });

  // The providers whose integration records the tools offered (`mlflow.chat.tools`).
  const OFFERING_TOOLS = CONVERSATION_FIXTURES.flatMap(name => {
    const offering = chatSpans(loadConversation(name)).filter(
      span => span.attributes['mlflow.chat.tools'] !== undefined
    );
    return offering.length > 0 ? [{ name, offering }] : [];
  });

  it('has recorded providers that list the tools offered', () => {
    expect(OFFERING_TOOLS.length).toBeGreaterThan(0);
  });

  it.each(OFFERING_TOOLS)(
    '$name: lists the tools offered on every span recording them',
    ({ name, offering }) => {
      const asked = loadConversation(name).stand_in;
      for (const span of offering) {
        const { tools } = spanConversation(span);
        expect({ span: span.name, tools: tools.map(t => t.name) }).toEqual({
          span: span.name,
          tools: [asked.tool.name]
        });
      }
    }
  );

  describe('openai-responses-stream', () => {
    const fixture = loadConversation('openai-responses-stream');
    const asked = fixture.stand_in;
    const [, second] = turns(fixture);

    it('reads the streamed reply: the text deltas joined, as the final response holds it', () => {
      const deltas = asked.answered[1].events!.filter(
        e => e.type === 'response.output_text.delta'
      );
      expect(deltas.length).toBeGreaterThan(1);
      const { output } = sides(second);
      expect(texts(output.messages[0])).toEqual([
        deltas.map(e => e.delta).join('')
      ]);
    });
  });

  describe('openai-agents', () => {
    const fixture = loadConversation('openai-agents');
    const asked = fixture.stand_in;
    const spans = chatSpans(fixture);
    // The Agents SDK's model spans; the client's own spans sit under them.
    const agent = spans.filter(
      s => s.attributes['mlflow.message.format'] === 'openai-agent'
    );

    it('reads each model turn of the agent run as Responses items', () => {
      expect(agent.map(s => s.name)).toEqual(['Response', 'Response']);
      const [first, second] = agent.map(sides);
      for (const side of [first.input, first.output, second.output]) {
        expect(side.format).toBe('openai-responses');
      }
      expect(first.input.messages.map(m => m.role)).toEqual(['user']);
      expect(texts(first.input.messages[0])).toEqual([asked.question]);
      expect(first.output.messages.map(m => m.roleKind)).toEqual(['assistant']);
      expect(reasoning(first.output.messages)).toEqual([asked.thinking]);
      const [call] = calls(first.output.messages);
      expect(call.name).toBe(asked.tool.name);
      expect(JSON.parse(call.arguments)).toEqual(asked.tool.arguments);
      expect(second.output.messages.map(m => m.roleKind)).toEqual([
        'assistant'
      ]);
      expect(texts(second.output.messages[0])).toEqual([asked.reply]);
    });

    it('reads the tool result under its call in the second turn', () => {
      const { input } = sides(agent[1]);
      expect(input.messages.map(m => m.role)).toEqual([
        'user',
        'assistant',
        'tool'
      ]);
      expectResultUnderCall(input.messages, asked);
    });

    it('reads the client calls under each turn with the agent instructions', () => {
      const client = spans.filter(s => s.name === 'AsyncResponses');
      expect(client).toHaveLength(2);
      const { input, output } = sides(client[1]);
      expect(input.messages.map(m => m.role)).toEqual([
        'system',
        'user',
        'assistant',
        'tool'
      ]);
      expect(texts(output.messages[0])).toEqual([asked.reply]);
    });
  });

  describe('google-adk', () => {
    const fixture = loadConversation('google-adk');
    const asked = fixture.stand_in;
    // ADK's model calls, as MLflow's server stored its OpenTelemetry spans.
    const spans = chatSpans(fixture);

    it('reads each model call as OpenTelemetry GenAI messages', () => {
      expect(spans.map(s => s.name)).toEqual([
        'generate_content gemini-2.5-flash',
        'generate_content gemini-2.5-flash'
      ]);
      const [first, second] = spans.map(sides);
      for (const side of [first.input, first.output, second.output]) {
        expect(side.format).toBe('otel-genai');
      }
      expect(first.input.messages.map(m => m.roleKind)).toEqual(['user']);
      expect(texts(first.input.messages[0])).toEqual([asked.question]);
      expect(first.output.messages.map(m => m.roleKind)).toEqual(['assistant']);
      const [call] = calls(first.output.messages);
      expect(calls(first.output.messages)).toHaveLength(1);
      expect(call.name).toBe(asked.tool.name);
      expect(JSON.parse(call.arguments)).toEqual(asked.tool.arguments);
      expect(texts(first.output.messages[0])).toEqual([]);
      expect(texts(second.output.messages[0])).toEqual([asked.reply]);
    });

    it('reads the tool result under its call in the second call', () => {
      const { input } = sides(spans[1]);
      expect(input.messages.map(m => m.role)).toEqual([
        'user',
        'assistant',
        'user'
      ]);
      expectResultUnderCall(input.messages, asked);
    });
  });

  describe('google-adk-thinking', () => {
    const fixture = loadConversation('google-adk-thinking');
    const asked = fixture.stand_in;
    const [first, second] = chatSpans(fixture).map(sides);

    it('keeps the thought text, which ADK passes on as plain text', () => {
      expect(JSON.stringify(asked.answered[0].response)).toContain(
        asked.thinking
      );
      expect(texts(first.output.messages[0])).toEqual([asked.thinking]);
      expect(calls(first.output.messages).map(c => c.name)).toEqual([
        asked.tool.name
      ]);
    });

    it('ties the result to its call though ADK numbered them apart', () => {
      const [call] = calls(second.input.messages);
      const [result] = parts(second.input.messages, 'toolResult');
      expect(call.id).not.toBe((result as { callId?: string }).callId);
      expect(call.result).toBe(result);
      expect(JSON.parse(call.result!.text)).toEqual(
        JSON.parse(asked.tool_result)
      );
      expect(texts(second.output.messages[0])).toEqual([asked.reply]);
    });
  });

  describe('llama-index', () => {
    const fixture = loadConversation('llama-index');
    const asked = fixture.stand_in;
    const spans = chatSpans(fixture);
    const chat = spans.find(s => s.name === 'MockLLM.chat')!;
    const complete = spans.find(s => s.name === 'MockLLM.complete')!;

    it('reads messages from their blocks, the tool result under its call', () => {
      const { input, output } = sides(chat);
      expect(input.format).toBe('llamaindex');
      expect(input.messages.map(m => m.role)).toEqual([
        'system',
        'user',
        'assistant',
        'tool'
      ]);
      expect(texts(input.messages[1])).toEqual([asked.question]);
      const [call] = calls(input.messages);
      expect(call.name).toBe(asked.tool.name);
      expect(JSON.parse(call.arguments)).toEqual(asked.tool.arguments);
      expect(call.result?.text).toBe(asked.tool_result);
      // MockLLM answers with the prompt it was given (its complete span's output).
      const answered = (complete.outputs as { text: string }).text;
      expect(texts(output.messages[0])).toEqual([answered]);
    });

    it('leaves a plain completion (a prompt string) to the JSON view', () => {
      expect(spanConversation(complete)).toMatchObject({
        input: null,
        output: null
      });
    });
  });

  describe('dspy', () => {
    const fixture = loadConversation('dspy');
    const asked = fixture.stand_in;
    const lm = chatSpans(fixture);

    it('reads each LM call as headed sections, in order', () => {
      expect(lm).toHaveLength(3);
      const outputs = lm.map(span => sides(span).output.messages[0]);
      const sections = outputs.map(m =>
        Object.fromEntries(
          m.parts.flatMap(p =>
            p.kind === 'text' && p.heading ? [[p.heading, p.text.trim()]] : []
          )
        )
      );
      const { next_tool_args: args, ...rest } = sections[0];
      expect(rest).toEqual({
        next_thought: asked.thinking,
        next_tool_name: asked.tool.name
      });
      expect(JSON.parse(args)).toEqual(asked.tool.arguments);
      expect(sections[1].next_tool_name).toBe('finish');
      expect(sections[2].answer).toBe(asked.reply);
      for (const span of lm) {
        expect(sides(span).output.format).toBe('dspy');
      }
    });

    it('reads the prompt: a system message and the question as a section', () => {
      const { input } = sides(lm[0]);
      expect(input.messages.map(m => m.role)).toEqual(['system', 'user']);
      const question = input.messages[1].parts.find(
        p => p.kind === 'text' && p.heading === 'question'
      );
      expect(question && 'text' in question && question.text.trim()).toBe(
        asked.question
      );
    });
  });
});

describe('shapes no integration recorded here', () => {
  it('reads OpenTelemetry GenAI messages (role + parts)', () => {
    const conversation = readConversation([
      {
        role: 'user',
        parts: [{ type: 'text', content: 'Weather in Oslo?' }]
      },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'Use the tool.' },
          { type: 'tool_call', id: 'c1', name: 'weather', arguments: { c: 1 } }
        ]
      },
      {
        role: 'tool',
        parts: [{ type: 'tool_call_response', id: 'c1', response: 'cold' }]
      }
    ]);
    expect(conversation?.format).toBe('otel-genai');
    expect(conversation?.messages.map(m => m.parts.map(p => p.kind))).toEqual([
      ['text'],
      ['reasoning', 'toolCall'],
      ['toolResult']
    ]);
  });

  it('reads parts and blocks once each, whether content is null, absent or set', () => {
    const texts = (message: Record<string, unknown>) =>
      readConversation([{ role: 'user', ...message }])?.messages[0].parts.map(
        p => (p.kind === 'text' ? p.text : p.kind)
      );
    const parts = [{ type: 'text', content: 'from parts' }];
    const blocks = [{ block_type: 'text', text: 'from blocks' }];
    expect(texts({ content: null, parts })).toEqual(['from parts']);
    expect(texts({ content: null, parts, blocks })).toEqual([
      'from parts',
      'from blocks'
    ]);
    expect(texts({ parts, blocks })).toEqual(['from parts', 'from blocks']);
    expect(texts({ content: 'hi', parts, blocks })).toEqual([
      'hi',
      'from parts',
      'from blocks'
    ]);
  });

  it('reads the mlflow.chat.messages attribute when the inputs are not a chat', () => {
    const { input } = spanConversation({
      inputs: { query: 'x' },
      outputs: undefined,
      attributes: {
        'mlflow.chat.messages': [{ role: 'user', content: 'from attribute' }]
      }
    });
    expect(input?.format).toBe('mlflow-chat');
    expect(texts(input?.messages[0])).toEqual(['from attribute']);
  });

  it('reads OpenAI reasoning_content before the reply', () => {
    const conversation = readConversation({
      choices: [
        {
          message: {
            role: 'assistant',
            content: 'Done.',
            reasoning_content: 'Thinking it over.'
          }
        }
      ]
    });
    expect(conversation?.messages[0].parts).toEqual([
      { kind: 'reasoning', text: 'Thinking it over.' },
      { kind: 'text', text: 'Done.' }
    ]);
  });

  it('reads a role or format named like an Object property as any other name', () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const chat = readConversation([{ role: name, content: 'hi' }], name);
      expect(chat?.format).toBe('openai');
      expect(chat?.messages[0]).toMatchObject({
        role: name,
        roleKind: 'other'
      });
      const gemini = readConversation({
        contents: [{ role: name, parts: [{ text: 'hi' }] }]
      });
      expect(gemini?.messages[0].roleKind).toBe('other');
    }
  });

  it('gives null for shapes it does not know', () => {
    for (const value of [
      undefined,
      null,
      'text',
      42,
      {},
      { query: 'x' },
      [1, 2],
      [{ no: 'role' }]
    ]) {
      expect(readConversation(value)).toBeNull();
    }
  });

  it('does not take a function argument named input, contents or output for a chat', () => {
    for (const value of [
      { input: 'hello' },
      { input: ['a', 'b'] },
      { contents: 'some text' },
      { contents: { title: 'x' } },
      { output: ['a'] }
    ]) {
      expect(readConversation(value)).toBeNull();
    }
    // The same shapes are a chat when the span names its format or a model.
    expect(readConversation({ input: 'hello' }, 'openai')).not.toBeNull();
    expect(
      readConversation({ model: 'gemini-2.5-flash', contents: 'hi' })
    ).not.toBeNull();
  });
});

// --- no string lost ----------------------------------------------------------

/** Every string under a value, except under metadata keys and the role. */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
  } else if (Array.isArray(value)) {
    value.forEach(v => stringsOf(v, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (!METADATA_KEYS.has(key) && key !== 'role') {
        stringsOf(v, out);
      }
    }
  }
  return out;
}

/** What a conversation shows, as strings (a DSPy section with its marker). */
function shown(conversation: IConversation): string[] {
  return conversation.messages.flatMap(m =>
    m.parts.flatMap(p => {
      switch (p.kind) {
        case 'text':
          return [p.heading ? `[[ ## ${p.heading} ## ]]${p.text}` : p.text];
        case 'image':
          return [p.url];
        case 'toolCall':
          return [p.id ?? '', p.name, p.arguments];
        case 'toolResult':
          return [p.callId ?? '', p.name ?? '', p.text];
        default:
          return [p.text];
      }
    })
  );
}

const KEYS = [
  'text',
  'content',
  'parts',
  'blocks',
  'thinking',
  'input',
  'args',
  'arguments',
  'name',
  'output',
  'summary',
  'image_url',
  'url',
  'source',
  'data',
  'functionCall',
  'function_call',
  'toolUse',
  'toolResult',
  'tool_calls',
  'additional_kwargs',
  'response',
  'x'
];
const TYPES = [
  'text',
  'image_url',
  'input_image',
  'image',
  'thinking',
  'reasoning',
  'tool_use',
  'tool_result',
  'function_call',
  'function_call_output',
  'tool_call',
  'tool_call_response',
  'other'
];
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('[[ ## answer ## ]]\nyes', 'javascript:alert(1)', 'a"b\\c')
);
const { tree } = fc.letrec<{ tree: unknown }>(tie => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.constant(null),
    fc.array(tie('tree'), { maxLength: 3 }),
    fc
      .record(
        {
          type: fc.constantFrom(...TYPES),
          block_type: fc.constantFrom(...TYPES)
        },
        { requiredKeys: [] }
      )
      .chain(head =>
        fc
          .dictionary(fc.constantFrom(...KEYS), tie('tree'), { maxKeys: 4 })
          .map(rest => ({ ...rest, ...head }))
      )
  )
}));
const role = fc.constantFrom('user', 'assistant', 'system', 'tool', 'odd');
const envelopes = fc.oneof(
  fc
    .tuple(role, tree)
    .map(([r, c]) => ({ messages: [{ role: r, content: c }] })),
  fc.tuple(role, tree).map(([r, b]) => [{ role: r, blocks: b, content: null }]),
  fc.tuple(role, tree).map(([r, p]) => [{ role: r, parts: p }]),
  fc
    .tuple(fc.constantFrom('human', 'ai', 'tool'), tree)
    .map(([t, c]) => [{ type: t, content: c, additional_kwargs: {} }]),
  fc.tuple(tree, tree).map(([s, c]) => ({
    system: s,
    messages: [{ role: 'user', content: c }]
  })),
  tree.map(p => ({ contents: [{ role: 'model', parts: [p] }] })),
  tree.map(c => ({ choices: [{ message: { role: 'assistant', content: c } }] }))
);

describe('no string of a message is lost', () => {
  it('shows every string of every message, whatever the nesting', () => {
    fc.assert(
      fc.property(
        envelopes,
        fc.constantFrom(undefined, 'openai', 'anthropic', 'dspy', 'gemini'),
        (value, format) => {
          const conversation = readConversation(value, format);
          expect(conversation).not.toBeNull();
          const all = shown(conversation!);
          const joined = all.join('');
          for (const text of stringsOf(value)) {
            const escaped = JSON.stringify(text).slice(1, -1);
            const found =
              joined.includes(text) ||
              all.some(s => s.includes(text) || s.includes(escaped));
            expect({ text, found }).toEqual({ text, found: true });
          }
        }
      ),
      { seed: 14, numRuns: 400 }
    );
  });
});
