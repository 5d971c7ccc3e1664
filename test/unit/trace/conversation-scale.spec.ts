/**
 * Reading a conversation is linear in its payload (issue 18, item 12), and
 * the index behind "no string is lost" counts exactly the strings the
 * plain definition counts as shown.
 */
import fc from 'fast-check';
import { readConversation } from '../../../src/trace';
import { IMessagePart, ITextPart } from '../../../src/trace/conversation';
import { missing, stringsIn } from '../../../src/trace/conversation/strings';
import { CHAT_SHAPES } from '../../../bench/chatpayloads.cjs';

/** `missing` as first written: each string against every shown string (quadratic). */
function plainMissing(
  message: Record<string, unknown>,
  parts: IMessagePart[]
): ITextPart[] {
  const partStrings = (part: IMessagePart): string[] =>
    part.kind === 'text'
      ? [
          part.heading !== undefined
            ? `[[ ## ${part.heading} ## ]]${part.text}`
            : part.text
        ]
      : part.kind === 'image'
        ? [part.url]
        : part.kind === 'toolCall'
          ? [part.id ?? '', part.name, part.arguments]
          : part.kind === 'toolResult'
            ? [part.callId ?? '', part.name ?? '', part.text]
            : [part.text];
  const shown = parts.flatMap(partStrings);
  const joined = shown.join('');
  const found = (text: string): boolean =>
    joined.includes(text) ||
    shown.some(
      s => s.includes(text) || s.includes(JSON.stringify(text).slice(1, -1))
    );
  const rest: Record<string, unknown> = { ...message };
  delete rest.role;
  const out: ITextPart[] = [];
  for (const text of stringsIn(rest, true)) {
    if (text !== '' && !found(text)) {
      out.push({ kind: 'text', text });
      shown.push(text);
    }
  }
  return out;
}

/** One read of `value`, in ms. */
function readMs(value: unknown): number {
  const start = performance.now();
  const read = readConversation(value);
  const ms = performance.now() - start;
  expect(read).not.toBeNull();
  return ms;
}

/** The fastest read of each payload over five rounds, taken in turn, so that a
 * burst of load on a shared machine weighs on both sizes alike. */
function fastestReadsMs(values: unknown[]): number[] {
  const best = values.map(() => Infinity);
  for (let round = 0; round < 5; round++) {
    values.forEach((value, i) => {
      best[i] = Math.min(best[i], readMs(value));
    });
  }
  return best;
}

describe('conversation reading at scale', () => {
  // Before: quadratic (the TypeScript reader took 8.1 s on an 869 kB Gemini
  // request); a quadrupled payload took about 16 times as long.
  it.each(CHAT_SHAPES.map(shape => [shape.name, shape]))(
    '%s: four times the payload reads in at most 8 times the time',
    (_name, shape) => {
      const small = shape.payload(1500);
      const large = shape.payload(6000);
      readMs(small); // warm the JIT
      const [smallMs, largeMs] = fastestReadsMs([small, large]);
      const bytes = JSON.stringify(large).length;
      expect(largeMs / Math.max(smallMs, 1)).toBeLessThanOrEqual(8);
      // generous: 50 ms per MB is the bench's target, 1 s per MB a defect
      expect(largeMs / (bytes / 1e6)).toBeLessThan(1000);
    }
  );
});

// Strings over a few characters, so that one is often inside another,
// with the ones JSON escapes and halves of a surrogate pair.
const piece = fc.constantFrom('a', 'b', 'ab', '"', '\\', '\n', '😀', '\ud83d');
const text = fc.array(piece, { maxLength: 6 }).map(p => p.join(''));
const value: fc.Arbitrary<unknown> = fc.letrec(tie => ({
  node: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('content', 'x', 'type', 'id'), tie('node'), {
      maxKeys: 3
    })
  )
})).node;
const part: fc.Arbitrary<IMessagePart> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), text }),
  fc.record({
    kind: fc.constant('text' as const),
    text,
    heading: text
  }),
  fc.record({
    kind: fc.constant('toolCall' as const),
    id: fc.option(text, { nil: undefined }),
    name: text,
    arguments: value.map(v => JSON.stringify(v) ?? '')
  }),
  fc.record({
    kind: fc.constant('toolResult' as const),
    callId: fc.option(text, { nil: undefined }),
    name: fc.option(text, { nil: undefined }),
    text
  }),
  fc.record({ kind: fc.constant('image' as const), url: text }),
  fc.record({ kind: fc.constant('reasoning' as const), text })
);

describe('missing(): the strings no part shows', () => {
  it('are the ones the plain definition finds, for any message and parts', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('role', 'content', 'x', 'id'), value),
        fc.array(part, { maxLength: 6 }),
        (message, parts) => {
          expect(missing(message, parts)).toEqual(plainMissing(message, parts));
        }
      ),
      { numRuns: 3000, seed: 20261130 }
    );
  });

  it('are the ones the plain definition finds in messages of many strings', () => {
    // enough unmatched strings for the index's automaton, not its direct search
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 40, maxLength: 200 }),
        fc.array(part, { maxLength: 30 }),
        (strings, parts) => {
          const message = { role: 'user', content: strings };
          expect(missing(message, parts)).toEqual(plainMissing(message, parts));
        }
      ),
      { numRuns: 400, seed: 20261130 }
    );
  });
});
