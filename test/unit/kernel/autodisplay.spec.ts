/**
 * A trace that is not displayed (outside a kernel, or with autoDisplay off)
 * and fails to reach the server is still reported, never lost silently.
 */
import { installAutoDisplay } from '../../../src/kernel/autodisplay';
import { withSpan } from '../../../src/kernel/tracing';

describe('auto-display outside a kernel', () => {
  const saved = process.env.MLFLOW_TRACKING_URI;
  afterAll(() => {
    if (saved === undefined) {
      delete process.env.MLFLOW_TRACKING_URI;
    } else {
      process.env.MLFLOW_TRACKING_URI = saved;
    }
  });

  it('reports a trace whose export failed', async () => {
    // Nothing listens on port 9 of this host: the connection is refused.
    process.env.MLFLOW_TRACKING_URI = 'http://127.0.0.1:9';
    installAutoDisplay();
    const errors: string[] = [];
    const spy = jest
      .spyOn(console, 'error')
      .mockImplementation((...args: unknown[]) => {
        errors.push(args.map(String).join(' '));
      });
    try {
      const traceId = await withSpan('unsent', async span => span.traceId);
      const deadline = Date.now() + 10000;
      while (errors.length === 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`could not send trace ${traceId}`);
      expect(errors[0]).toContain('127.0.0.1:9');
    } finally {
      spy.mockRestore();
    }
  }, 15000);
});
