import {
  argsToInputs,
  encodeAttributeValue,
  normalizeTokenUsage,
  parameterNames,
  safeJson,
  SpanType
} from '../../../src/kernel/attributes';

describe('encodeAttributeValue', () => {
  it.each([
    ['a string', 'LLM', '"LLM"'],
    ['a string that looks like JSON', '{"a":1}', '"{\\"a\\":1}"'],
    ['a numeric string', '5', '"5"'],
    ['an object', { q: 'hi', n: [1, 2] }, '{"q":"hi","n":[1,2]}'],
    ['an array', [1, 'x'], '[1,"x"]'],
    ['null', null, 'null']
  ])('JSON-encodes %s', (_what, value, expected) => {
    expect(encodeAttributeValue(value)).toBe(expected);
  });

  it('keeps finite numbers and booleans as they are', () => {
    expect(encodeAttributeValue(42)).toBe(42);
    expect(encodeAttributeValue(1.5)).toBe(1.5);
    expect(encodeAttributeValue(true)).toBe(true);
  });

  it('never throws on values JSON cannot encode', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(JSON.parse(safeJson(cyclic))).toEqual({ a: 1, self: '[Circular]' });
    expect(JSON.parse(safeJson(10n))).toBe('10');
    expect(JSON.parse(safeJson(undefined))).toBe('undefined');
    expect(JSON.parse(safeJson(eval('(function named() {})')))).toBe(
      '[function named]'
    );
    expect(JSON.parse(safeJson(new Map([['k', 1]])))).toEqual({ k: 1 });
    expect(JSON.parse(safeJson(new Error('boom')))).toEqual({
      name: 'Error',
      message: 'boom'
    });
    expect(encodeAttributeValue(NaN)).toBe('"NaN"');
  });

  it('writes an object shared by two branches twice, not as a cycle', () => {
    const shared = { id: 7, tags: ['x'] };
    const list = [shared, shared];
    expect(JSON.parse(safeJson({ a: shared, b: shared, list }))).toEqual({
      a: { id: 7, tags: ['x'] },
      b: { id: 7, tags: ['x'] },
      list: [
        { id: 7, tags: ['x'] },
        { id: 7, tags: ['x'] }
      ]
    });
    const map = new Map([
      ['first', shared],
      ['second', shared]
    ]);
    expect(JSON.parse(safeJson(map))).toEqual({
      first: { id: 7, tags: ['x'] },
      second: { id: 7, tags: ['x'] }
    });
  });

  it('replaces only an object that is its own ancestor', () => {
    const node: Record<string, unknown> = { name: 'n' };
    const child: Record<string, unknown> = { up: node };
    node.child = child;
    node.again = child;
    expect(JSON.parse(safeJson(node))).toEqual({
      name: 'n',
      child: { up: '[Circular]' },
      again: { up: '[Circular]' }
    });
    const map = new Map<string, unknown>();
    map.set('self', map);
    expect(JSON.parse(safeJson(map))).toEqual({ self: '[Circular]' });
    const set = new Set<unknown>();
    set.add(set);
    expect(JSON.parse(safeJson(set))).toEqual(['[Circular]']);
  });
});

describe('parameterNames and argsToInputs', () => {
  it.each([
    [
      'a function',
      function f(a: number, b: string) {
        return [a, b];
      },
      ['a', 'b']
    ],
    ['an arrow', (query: string, k = 2) => [query, k], ['query', 'k']],
    ['a single-parameter arrow', eval('(x => x)'), ['x']],
    ['an async arrow', async (q: string) => q, ['q']],
    ['no parameters', () => 1, []],
    ['destructuring', ({ a }: { a: number }) => a, []],
    ['rest parameters', (...xs: number[]) => xs, []]
  ])('reads %s', (_what, fn, names) => {
    expect(parameterNames(fn as (...args: never[]) => unknown)).toEqual(names);
  });

  it('keys inputs by parameter name, else falls back to args', () => {
    expect(argsToInputs(['query', 'k'], ['hi', 2])).toEqual({
      query: 'hi',
      k: 2
    });
    expect(argsToInputs(['query', 'k'], ['hi'])).toEqual({ query: 'hi' });
    expect(argsToInputs([], [1, 2])).toEqual({ args: [1, 2] });
    expect(argsToInputs(['a'], [1, 2])).toEqual({ args: [1, 2] });
    expect(argsToInputs([], [])).toEqual({});
  });
});

describe('token usage and span types', () => {
  it('fills in total_tokens', () => {
    expect(normalizeTokenUsage({ input_tokens: 3, output_tokens: 4 })).toEqual({
      input_tokens: 3,
      output_tokens: 4,
      total_tokens: 7
    });
    expect(
      normalizeTokenUsage({
        input_tokens: 3,
        output_tokens: 4,
        total_tokens: 9
      }).total_tokens
    ).toBe(9);
    expect(() =>
      normalizeTokenUsage({ input_tokens: NaN, output_tokens: 1 })
    ).toThrow(TypeError);
  });

  it("has MLflow's eleven span types", () => {
    expect(Object.keys(SpanType).sort()).toEqual([
      'AGENT',
      'CHAIN',
      'CHAT_MODEL',
      'EMBEDDING',
      'LLM',
      'MEMORY',
      'PARSER',
      'RERANKER',
      'RETRIEVER',
      'TOOL',
      'UNKNOWN'
    ]);
  });
});
