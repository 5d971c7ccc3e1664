/**
 * For specs of an error boundary: React reports each error a boundary
 * catches on console.error. While each test runs console.error is silenced,
 * and afterwards every call must be that report of the `expected` error.
 */
export function allowOnlyCaughtError(expected: string): void {
  let consoleError: jest.SpyInstance;

  beforeEach(() => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => {});
  });

  afterEach(() => {
    for (const call of consoleError.mock.calls) {
      const text = call.map(String).join(' ');
      expect(
        text.includes(expected) || text.includes('The above error occurred')
      ).toBe(true);
    }
    consoleError.mockRestore();
  });
}
