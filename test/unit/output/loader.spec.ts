/**
 * The loader's polling, on answers recorded from a real server: one poll
 * chain per trace, and a late answer never overwrites a newer one.
 */
import { decodeTraceBundle } from '../../../src/bundle';
import { TraceLoader } from '../../../src/output/loader';
import { RecordedServer } from '../lab/recordedServer';

const POLL_MS = 1000;

/** Let every pending answer run (20 ms of fake time). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    // A zero delay set while the fake clock ticks is due 1 ms later.
    await jest.advanceTimersByTimeAsync(1);
    // setImmediate is left real (the client yields one I/O turn per request).
    await new Promise(resolve => setImmediate(resolve));
  }
}

function loaderFor(server: RecordedServer): TraceLoader {
  return new TraceLoader({
    bundle: decodeTraceBundle({
      version: 1,
      traces: [{ trace_id: server.traceId }]
    }),
    trackingUri: 'http://127.0.0.1:5000',
    pollIntervalMs: POLL_MS,
    maxRetries: 0
  });
}

let server: RecordedServer;
const realFetch = globalThis.fetch;

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['setImmediate'] });
  server = new RecordedServer();
  globalThis.fetch = server.fetch as typeof fetch;
});

afterEach(() => {
  jest.useRealTimers();
  globalThis.fetch = realFetch;
});

describe('TraceLoader polling', () => {
  it('drops a late answer of an earlier load: the newer answer stays', async () => {
    server.state = 'IN_PROGRESS';
    const releaseFirst = server.holdNext();
    const loader = loaderFor(server);
    loader.start();
    await settle();
    // The trace ended; the user presses Refresh while the first answer is still on its way.
    server.state = 'OK';
    void loader.refresh(0);
    await settle();
    expect(loader.entries[0].trace?.info?.state).toBe('OK');
    releaseFirst();
    await settle();
    expect(loader.entries[0].trace?.info?.state).toBe('OK');
    expect(loader.entries[0].loading).toBe(false);
    // An ended trace is not polled.
    const asked = server.infoRequests;
    await jest.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(server.infoRequests).toBe(asked);
    loader.dispose();
  });

  it('keeps one poll chain however often the trace is refreshed', async () => {
    server.state = 'IN_PROGRESS';
    const loader = loaderFor(server);
    loader.start();
    await settle();
    void loader.refresh(0);
    await settle();
    void loader.refresh(0);
    await settle();
    // Only the next poll of the one chain is pending.
    expect(jest.getTimerCount()).toBe(1);
    const before = server.infoRequests;
    for (let i = 0; i < 10; i++) {
      await jest.advanceTimersByTimeAsync(POLL_MS);
      await settle();
      expect(jest.getTimerCount()).toBe(1);
    }
    // One fetch per interval; three chains would make thirty.
    expect(server.infoRequests - before).toBe(10);
    loader.dispose();
    const disposedAt = server.requests.length;
    await jest.advanceTimersByTimeAsync(60 * POLL_MS);
    expect(server.requests.length).toBe(disposedAt);
  });
});
