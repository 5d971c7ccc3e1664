/**
 * Alternatives and batches stay apart (issue 18, item 13): a LangChain batch
 * of message lists, OpenAI's `n > 1` choices and Gemini's candidates each
 * read with every message labelled by the conversation or reply it is one
 * of, and the transcript the comparison and fallbacks write shows it.
 */
import fc from 'fast-check';
import {
  conversationText,
  IChatMessage,
  readConversation,
  spanConversation
} from '../../../src/trace';

const text = fc.string({ minLength: 1, maxLength: 12 });

/** How each shape writes `n` alternatives, and what each is called. */
const SHAPES: [string, string, (texts: string[]) => unknown][] = [
  [
    'LangChain batch',
    'conversation',
    texts => texts.map(t => [{ type: 'human', content: t }])
  ],
  [
    'OpenAI choices',
    'choice',
    texts => ({
      choices: texts.map((t, index) => ({
        index,
        message: { role: 'assistant', content: t }
      }))
    })
  ],
  [
    'Gemini candidates',
    'candidate',
    texts => ({
      candidates: texts.map(t => ({
        content: { role: 'model', parts: [{ text: t }] }
      }))
    })
  ]
];

const groups = (messages: IChatMessage[]) => messages.map(m => m.group);

describe.each(SHAPES)('%s', (_name, noun, write) => {
  it(`labels each of n > 1 "${noun} i of n", in order, and the transcript shows it`, () => {
    // Before: one chat of n messages, no label (a batch read as n user turns).
    fc.assert(
      fc.property(fc.array(text, { minLength: 2, maxLength: 5 }), texts => {
        const read = readConversation(write(texts));
        expect(read).not.toBeNull();
        const n = texts.length;
        expect(groups(read!.messages)).toEqual(
          texts.map((_, i) => `${noun} ${i + 1} of ${n}`)
        );
        const transcript = conversationText(read!.messages);
        texts.forEach((_, i) =>
          expect(transcript).toContain(`· ${noun} ${i + 1} of ${n}:`)
        );
      }),
      { numRuns: 200, seed: 20261130 }
    );
  });

  it('labels nothing when there is one', () => {
    const read = readConversation(write(['only one']));
    expect(groups(read!.messages)).toEqual([undefined]);
    expect('group' in read!.messages[0]).toBe(false);
  });
});

/**
 * A LangChain `LLMResult` as MLflow records it when one call holds several
 * prompts (`MlflowLangchainTracer.on_llm_end`, MLflow 3.17.2, keeps the raw
 * result then): a list of generations per prompt, a chat model's with its
 * message, a completion model's with its text only.
 */
function llmResult(prompts: string[][], chat: boolean): unknown {
  return {
    generations: prompts.map(texts =>
      texts.map(t =>
        chat
          ? {
              text: t,
              generation_info: null,
              type: 'ChatGeneration',
              message: {
                content: t,
                additional_kwargs: {},
                response_metadata: {},
                type: 'ai',
                name: null,
                id: null
              }
            }
          : { text: t, generation_info: null, type: 'Generation' }
      )
    ),
    llm_output: null,
    run: null,
    type: 'LLMResult'
  };
}

/** The label of generation `j` of `m` answering prompt `i` of `n`. */
function generationGroup(
  i: number,
  n: number,
  j: number,
  m: number
): string | undefined {
  if (n === 1) {
    return m > 1 ? `choice ${j + 1} of ${m}` : undefined;
  }
  const prompt = `conversation ${i + 1} of ${n}`;
  return m === 1 ? prompt : `${prompt}, choice ${j + 1} of ${m}`;
}

describe('LangChain generations', () => {
  it('label the prompt each answers as its batched input does, and the choice within it', () => {
    // Before: every generation of every prompt read as one reply, unlabelled.
    fc.assert(
      fc.property(
        fc.array(fc.array(text, { maxLength: 3 }), {
          minLength: 1,
          maxLength: 4
        }),
        fc.boolean(),
        (prompts, chat) => {
          fc.pre(prompts.some(p => p.length > 0));
          const read = readConversation(llmResult(prompts, chat), 'langchain');
          expect(read).not.toBeNull();
          const n = prompts.length;
          const expected = prompts.flatMap((texts, i) =>
            texts.map((t, j) => ({
              text: t,
              group: generationGroup(i, n, j, texts.length)
            }))
          );
          expect(
            read!.messages.map(m => ({
              text: m.parts.map(p => (p.kind === 'text' ? p.text : '')).join(),
              group: m.group
            }))
          ).toEqual(expected);
          read!.messages.forEach((m, k) =>
            expect('group' in m).toBe(expected[k].group !== undefined)
          );
          const transcript = conversationText(read!.messages);
          expected.forEach(({ group }) => {
            if (group !== undefined) {
              expect(transcript).toContain(`ai · ${group}:`);
            }
          });
        }
      ),
      { numRuns: 200, seed: 20261206 }
    );
  });

  it('one list of generations (a single prompt) labels only the choices', () => {
    const single = readConversation(
      { generations: [{ text: 'a' }, { text: 'b' }] },
      'langchain'
    );
    expect(groups(single!.messages)).toEqual([
      'choice 1 of 2',
      'choice 2 of 2'
    ]);
    const one = readConversation({ generations: [[{ text: 'a' }]] });
    expect(groups(one!.messages)).toEqual([undefined]);
  });

  it('a recorded batch: each reply labelled with the conversation its input has', () => {
    const inputs = [
      [
        { content: 'Be brief.', type: 'system', name: null, id: null },
        { content: 'Weather in Paris?', type: 'human', name: null, id: null }
      ],
      [{ content: 'Weather in Rome?', type: 'human', name: null, id: null }]
    ];
    const outputs = llmResult(
      [['Paris is sunny.', 'Sunny, 21 °C.'], ['Rome is rainy.']],
      true
    );
    const read = spanConversation({
      inputs,
      outputs,
      attributes: { 'mlflow.message.format': 'langchain' }
    });
    expect(groups(read.input!.messages)).toEqual([
      'conversation 1 of 2',
      'conversation 1 of 2',
      'conversation 2 of 2'
    ]);
    expect(groups(read.output!.messages)).toEqual([
      'conversation 1 of 2, choice 1 of 2',
      'conversation 1 of 2, choice 2 of 2',
      'conversation 2 of 2'
    ]);
  });
});
