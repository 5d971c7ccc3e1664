import fc from 'fast-check';
import {
  wellFormedJson,
  wellFormedJsonText
} from '../../../src/kernel/wellformed';

/** True when the text survives a UTF-8 round trip unchanged. */
const encodable = (text: string) =>
  Buffer.from(text, 'utf8').toString('utf8') === text;

// Any UTF-16 code unit, lone surrogates included (fast-check's 'binary'
// unit draws whole code points only)
const anyCodeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map(c => String.fromCharCode(c))
});

describe('wellFormedJson', () => {
  it('replaces lone surrogates in values and keys, at any depth', () => {
    const input = {
      name: 'cut emoji \uD83D',
      ['key \uDE00']: ['ok', { deep: 'x\uDC00y' }],
      pair: 'whole emoji \uD83D\uDE00'
    };
    const output = wellFormedJson(input);
    expect(output).toEqual({
      name: 'cut emoji \uFFFD',
      ['key \uFFFD']: ['ok', { deep: 'x\uFFFDy' }],
      pair: 'whole emoji \uD83D\uDE00'
    });
    expect(encodable(JSON.stringify(output))).toBe(true);
  });

  it('leaves the input untouched and returns clean parts as they are', () => {
    const clean = { spans: [{ name: 'fine' }] };
    const input = { clean, dirty: '\uD800' };
    const output = wellFormedJson(input);
    expect(input.dirty).toBe('\uD800');
    expect(output.clean).toBe(clean);
    expect(wellFormedJson(clean)).toBe(clean);
  });

  it('keeps a "__proto__" key as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "\\ud800"}}');
    const output = wellFormedJson(input);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.keys(output)).toEqual(['__proto__']);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('makes any string UTF-8 encodable and changes nothing that already was', () => {
    const seen = { broken: 0 };
    fc.assert(
      fc.property(anyCodeUnits, text => {
        seen.broken += encodable(text) ? 0 : 1;
        const fixed = wellFormedJson(text);
        expect(encodable(fixed)).toBe(true);
        if (encodable(text)) {
          expect(fixed).toBe(text);
        }
        expect(fixed).toHaveLength(text.length);
      }),
      { numRuns: 3000 }
    );
    // The property was tried on strings that needed fixing
    expect(seen.broken).toBeGreaterThan(100);
  });
});

describe('wellFormedJsonText', () => {
  it('replaces the escapes JSON.stringify writes for lone surrogates, only those', () => {
    const value = {
      lone: 'a\uD83Db',
      ['k\uDC00']: 'pair \uD83D\uDE00',
      literal: 'a backslash then \\ud83d as text'
    };
    const text = wellFormedJsonText(JSON.stringify(value));
    expect(JSON.parse(text)).toEqual({
      lone: 'a\uFFFDb',
      ['k\uFFFD']: 'pair \uD83D\uDE00',
      literal: 'a backslash then \\ud83d as text'
    });
  });

  it('gives JSON that parses to well-formed strings, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(anyCodeUnits), strings => {
        const parsed = JSON.parse(wellFormedJsonText(JSON.stringify(strings)));
        expect(parsed).toEqual(wellFormedJson(strings));
      }),
      { numRuns: 2000 }
    );
  });
});
