import {
  decodeAttributes,
  decodeAttributeValue,
  decodeOtlpValue,
  parseTokenUsage
} from '../../../src/trace';

describe('decodeAttributeValue', () => {
  it.each([
    ['JSON string', '"AGENT"', 'AGENT'],
    ['JSON object', '{"q": "héllo ✓"}', { q: 'héllo ✓' }],
    ['JSON number', '20', 20],
    ['JSON null', 'null', null],
    ['double-encoded: one layer only', '"{\\"a\\": 1}"', '{"a": 1}'],
    ['raw OTel string', 'TOOL', 'TOOL'],
    ['invalid JSON', '{"a": ', '{"a": '],
    ['empty string', '', ''],
    ['raw number', 7, 7],
    ['raw boolean', false, false],
    ['raw array', [1, 'x'], [1, 'x']]
  ])('%s', (_, raw, expected) => {
    expect(decodeAttributeValue(raw)).toEqual(expected);
  });
});

describe('decodeAttributes', () => {
  it('decodes each value of an object', () => {
    expect(
      decodeAttributes({
        'mlflow.spanType': '"CHAT_MODEL"',
        'mlflow.spanLogLevel': '20',
        'openinference.span.kind': 'TOOL'
      })
    ).toEqual({
      'mlflow.spanType': 'CHAT_MODEL',
      'mlflow.spanLogLevel': 20,
      'openinference.span.kind': 'TOOL'
    });
  });

  it('decodes an OTLP key/value list', () => {
    const attrs = decodeAttributes([
      { key: 's', value: { string_value: '"CHAIN"' } },
      { key: 'raw', value: { stringValue: 'TOOL' } },
      { key: 'i', value: { int_value: '42' } },
      { key: 'd', value: { double_value: 1.5 } },
      { key: 'b', value: { bool_value: true } },
      {
        key: 'arr',
        value: { array_value: { values: [{ string_value: '1' }] } }
      },
      {
        key: 'kv',
        value: {
          kvlist_value: { values: [{ key: 'x', value: { int_value: 3 } }] }
        }
      },
      { nokey: true },
      'junk'
    ]);
    expect(attrs).toEqual({
      s: 'CHAIN',
      raw: 'TOOL',
      i: 42,
      d: 1.5,
      b: true,
      arr: ['1'],
      kv: { x: 3 }
    });
  });

  it('keeps __proto__ as an own key without touching the prototype', () => {
    const attrs = decodeAttributes(JSON.parse('{"__proto__": "{\\"x\\": 1}"}'));
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(Object.keys(attrs)).toEqual(['__proto__']);
  });

  it.each([null, 'text', 5])('%j gives no attributes', raw => {
    expect(decodeAttributes(raw)).toEqual({});
  });
});

describe('parseTokenUsage', () => {
  it.each([
    [
      'JSON string',
      '{"input_tokens": 3, "output_tokens": 5, "total_tokens": 8}',
      { input: 3, output: 5, total: 8 }
    ],
    [
      'object, total derived',
      { input_tokens: 2, output_tokens: 4 },
      { input: 2, output: 4, total: 6 }
    ],
    [
      'OpenAI names',
      { prompt_tokens: 1, completion_tokens: 1 },
      { input: 1, output: 1, total: 2 }
    ],
    ['only total', { total_tokens: 9 }, { input: 0, output: 0, total: 9 }],
    ['no counts', { foo: 1 }, null],
    ['not JSON', '{oops', null],
    ['absent', undefined, null]
  ])('%s', (_, raw, expected) => {
    expect(parseTokenUsage(raw)).toEqual(expected);
  });
});

describe('int64 values beyond 2^53', () => {
  // proto3 JSON (the server's OTLP answers) sends int64 as a decimal string.
  it.each([
    ['2^53 + 1', '9007199254740993'],
    ['int64 max', '9223372036854775807'],
    ['int64 min', '-9223372036854775808']
  ])('an OTLP intValue of %s keeps the exact digits', (_, digits) => {
    expect(decodeOtlpValue({ intValue: digits })).toBe(digits);
    expect(decodeOtlpValue({ int_value: digits })).toBe(digits);
    expect(
      decodeAttributes([{ key: 'id', value: { intValue: digits } }]).id
    ).toBe(digits);
  });

  it('a safe OTLP intValue is still a number', () => {
    expect(decodeOtlpValue({ intValue: '9007199254740991' })).toBe(
      9007199254740991
    );
    expect(decodeOtlpValue({ intValue: '-42' })).toBe(-42);
  });

  it('an array of OTLP ints keeps each unsafe one exactly', () => {
    expect(
      decodeOtlpValue({
        arrayValue: {
          values: [{ intValue: '1' }, { intValue: '18446744073709551615' }]
        }
      })
    ).toEqual([1, '18446744073709551615']);
  });

  it('a JSON-encoded attribute holding a big integer keeps its digits', () => {
    expect(decodeAttributeValue('9007199254740993')).toBe('9007199254740993');
    expect(decodeAttributeValue('-9223372036854775808')).toBe(
      '-9223372036854775808'
    );
    expect(decodeAttributeValue('9007199254740991')).toBe(9007199254740991);
  });

  it('big integers inside a JSON-encoded value keep their digits; strings and floats are untouched', () => {
    const raw =
      '{"id": 12345678901234567890, "s": "12345678901234567890", ' +
      '"list": [1, -9223372036854775808, 2.5e300, 1e400], "esc": "\\"12345678901234567890"}';
    expect(decodeAttributeValue(raw)).toEqual({
      id: '12345678901234567890',
      s: '12345678901234567890',
      list: [1, '-9223372036854775808', 2.5e300, Infinity],
      esc: '"12345678901234567890'
    });
  });
});
