import { requestTimeoutMs } from '../../../src/lab/config';

describe('requestTimeoutMs', () => {
  const base = { trackingUri: '' };

  it('turns the setting in seconds into ms', () => {
    expect(requestTimeoutMs({ ...base, requestTimeoutSeconds: 2 })).toBe(2000);
    expect(requestTimeoutMs({ ...base, requestTimeoutSeconds: 0.5 })).toBe(500);
  });

  it('falls back to 30 s when the setting is unset or not a positive number', () => {
    for (const bad of [undefined, 0, -1, NaN, Infinity]) {
      expect(requestTimeoutMs({ ...base, requestTimeoutSeconds: bad })).toBe(
        30000
      );
    }
  });
});
