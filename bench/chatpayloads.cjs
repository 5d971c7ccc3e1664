/**
 * Chat payloads of a given size, in the shapes whose reading was quadratic
 * (issue 18, item 12): a span's inputs as MLflow's autologging writes them.
 * Seeded, so both languages and every run read the same bytes.
 *
 *   node bench/chatpayloads.cjs N...   print {shape: {N: payload}} as JSON
 *
 * Used by the conversation bench row (bench/conversation.mjs) and the
 * scale tests (test/unit/trace/conversation-scale.spec.ts,
 * test/python/test_conversation_scale.py).
 */

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'the',
  'weather',
  'in',
  'Paris',
  'is',
  '"mild"',
  'said',
  'météo',
  'naïve',
  'C:\\temp',
  '😀',
  '名前',
  'rain\nlater',
  '{"json":1}',
  'tab\there'
];

/** `n` sentences of a few words, some with quotes, newlines and emoji. */
function sentences(n, seed) {
  const next = random(seed);
  return Array.from({ length: n }, (_, i) => {
    const words = Array.from(
      { length: 3 + Math.floor(next() * 12) },
      () => WORDS[Math.floor(next() * WORDS.length)]
    );
    return `${i}: ${words.join(' ')}.`;
  });
}

/** The shapes: each a name and the payload of `n` items. */
const CHAT_SHAPES = [
  {
    name: 'Gemini request with a large function response',
    payload: n => {
      const rows = sentences(n, 1).map((body, i) => ({
        id: `row-${i}`,
        title: body.slice(0, 12),
        body,
        score: i / 7
      }));
      return {
        model: 'gemini-2.5-flash',
        contents: [
          { role: 'user', parts: [{ text: 'Find the rows about Paris.' }] },
          {
            role: 'model',
            parts: [{ functionCall: { name: 'search', args: { q: 'Paris' } } }]
          },
          {
            role: 'user',
            parts: [
              { functionResponse: { name: 'search', response: { rows } } }
            ]
          }
        ]
      };
    }
  },
  {
    name: 'OpenAI message of many text blocks',
    payload: n => ({
      model: 'gpt-4o-mini',
      messages: [
        {
          role: 'user',
          content: sentences(n, 2).map(text => ({ type: 'text', text }))
        }
      ]
    })
  },
  {
    name: 'OpenAI tool message of many text blocks',
    payload: n => ({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Read me the file.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'read', arguments: '{"path": "a.txt"}' }
            }
          ]
        },
        {
          role: 'tool',
          tool_call_id: 'call_1',
          content: sentences(n, 3).map(text => ({ type: 'text', text }))
        }
      ]
    })
  },
  {
    name: 'Anthropic tool use with a large input',
    payload: n => ({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [
        { role: 'user', content: 'Store these notes.' },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool_use',
              id: 'toolu_01',
              name: 'store',
              input: { notes: sentences(n, 4) }
            }
          ]
        }
      ]
    })
  }
];

module.exports = { CHAT_SHAPES };

if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number);
  const out = {};
  for (const shape of CHAT_SHAPES) {
    out[shape.name] = Object.fromEntries(sizes.map(n => [n, shape.payload(n)]));
  }
  process.stdout.write(JSON.stringify(out));
}
