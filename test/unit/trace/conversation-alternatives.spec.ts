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
  readConversation
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
