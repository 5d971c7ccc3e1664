import fc from 'fast-check';
import { base64ToHex, normalizeId, toMlflowTraceId } from '../../../src/trace';

describe('base64ToHex', () => {
  it.each([
    ['i6tGW76fVcA=', '8bab465bbe9f55c0'],
    ['v4bl+KC8edw=', 'bf86e5f8a0bc79dc'],
    ['Fzp/l5Xz9Sr/QYhZIM2AWw==', '173a7f9795f3f52aff41885920cd805b'],
    ['Fzp_l5Xz9Sr_QYhZIM2AWw', '173a7f9795f3f52aff41885920cd805b'],
    ['AAAAAAAAAAE=', '0000000000000001']
  ])('decodes %s', (text, hex) => {
    expect(base64ToHex(text)).toBe(hex);
  });

  it('agrees with Node for any bytes, id-sized or not, in either alphabet', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (bytes, urlSafe) => {
          const buffer = Buffer.from(bytes);
          const text = buffer.toString(urlSafe ? 'base64url' : 'base64');
          expect(base64ToHex(text)).toBe(buffer.toString('hex'));
        }
      ),
      { numRuns: 2000 }
    );
  });

  it.each(['', 'a', 'ab!c', '%%%%'])('rejects %j', text => {
    expect(base64ToHex(text)).toBeNull();
  });
});

describe('normalizeId', () => {
  it.each([
    ['MLflow 3 span id', 'i6tGW76fVcA=', '8bab465bbe9f55c0'],
    [
      'MLflow 3 trace id',
      'Fzp/l5Xz9Sr/QYhZIM2AWw==',
      '173a7f9795f3f52aff41885920cd805b'
    ],
    ['MLflow 2 hex', '0x8BAB465BBE9F55C0', '8bab465bbe9f55c0'],
    ['OTLP bare hex', '8BAB465BBE9F55C0', '8bab465bbe9f55c0'],
    ['short label kept', 'root', 'root'],
    ['unknown text kept', 'span one', 'span one'],
    ['trimmed', '  i6tGW76fVcA= ', '8bab465bbe9f55c0']
  ])('%s', (_, raw, expected) => {
    expect(normalizeId(raw)).toBe(expected);
  });

  it.each([null, undefined, '', '   ', 42, {}])('%j is no id', raw => {
    expect(normalizeId(raw)).toBeNull();
  });
});

describe('toMlflowTraceId', () => {
  it('prefixes hex with tr-', () => {
    expect(toMlflowTraceId('173a7f9795f3f52aff41885920cd805b')).toBe(
      'tr-173a7f9795f3f52aff41885920cd805b'
    );
  });

  it('keeps an id that already has the prefix', () => {
    expect(toMlflowTraceId('tr-abc')).toBe('tr-abc');
  });
});
