/**
 * The loader and live traces: a live entry is never polled (its kernel
 * sends the updates), a newer payload updates the entries in place and
 * reuses the span objects of unchanged spans; an IN_PROGRESS trace that is
 * not live is still polled.
 */
import { decodeTraceBundle } from '../../../src/bundle';
import { TraceLoader } from '../../../src/output/loader';
import {
  agentSpans,
  livePayload,
  runningLive,
  TRACE_ID
} from '../view/live-fixtures';
import { RecordedServer, recordedRaw } from '../lab/recordedServer';

const POLL_MS = 1000;

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

/** Advance the fake clock by `ms`, letting each request's I/O turn run. */
async function elapse(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await jest.advanceTimersByTimeAsync(100);
    // setImmediate is left real (the client yields one I/O turn per request).
    await new Promise(resolve => setImmediate(resolve));
  }
}

function loaderOf(payload: unknown): TraceLoader {
  return new TraceLoader({
    bundle: decodeTraceBundle(payload),
    trackingUri: 'http://127.0.0.1:5000',
    pollIntervalMs: POLL_MS,
    maxRetries: 0,
    receivedAtMs: 1234
  });
}

describe('TraceLoader and live traces', () => {
  it('never polls a live trace, and polls the same trace without live', async () => {
    const live = loaderOf(livePayload(agentSpans(), runningLive(3000, 2)));
    live.start();
    await elapse(10 * POLL_MS);
    expect(server.requests).toEqual([]);
    expect(live.entries[0].live?.sequence).toBe(2);
    expect(live.entries[0].receivedAtMs).toBe(1234);
    live.dispose();

    const polled = loaderOf(livePayload(agentSpans(), undefined));
    polled.start();
    await elapse(3 * POLL_MS);
    expect(server.requests.length).toBeGreaterThan(0);
    polled.dispose();
  });

  it('takes a newer payload in place, reusing the spans that did not change', () => {
    const loader = loaderOf(livePayload(agentSpans(), runningLive(3000, 2)));
    loader.start();
    const before = loader.entries[0].trace!;
    let signals = 0;
    loader.stateChanged.connect(() => signals++);
    const applied = loader.update(
      decodeTraceBundle(
        livePayload(agentSpans([], 2500), runningLive(3500, 3))
      ),
      5678
    );
    expect(applied).toBe(true);
    expect(signals).toBe(1);
    const after = loader.entries[0].trace!;
    expect(loader.entries[0].live?.sequence).toBe(3);
    expect(loader.entries[0].receivedAtMs).toBe(5678);
    const span = (trace: typeof before, id: string) =>
      trace.nodeById.get(id)!.span;
    // plan did not change; retrieve ended.
    expect(span(after, 'a000000000000002')).toBe(
      span(before, 'a000000000000002')
    );
    expect(span(after, 'a000000000000003')).not.toBe(
      span(before, 'a000000000000003')
    );
    expect(span(after, 'a000000000000003').inProgress).toBe(false);
    loader.dispose();
  });

  it('leaves a payload of other traces to a new loader', () => {
    const loader = loaderOf(livePayload(agentSpans(), runningLive(3000, 2)));
    const other = livePayload(agentSpans(), runningLive(3000, 2)) as {
      traces: { trace_id: string }[];
    };
    other.traces[0].trace_id = TRACE_ID.replace('5b', '6c');
    expect(loader.update(decodeTraceBundle(other))).toBe(false);
    expect(loader.entries[0].traceId).toBe(TRACE_ID);
    loader.dispose();
  });

  it('fetches in place a final update over the output budget (its spans dropped), keeping the view', async () => {
    // The live trace is the one the server holds (the recorded 'nested').
    const payload = (live: Record<string, unknown>) => {
      const made = livePayload(agentSpans(), live) as {
        traces: { trace_id: string; info: { trace_id: string } }[];
      };
      made.traces[0].trace_id = server.traceId;
      made.traces[0].info.trace_id = server.traceId;
      return made;
    };
    const loader = loaderOf(payload(runningLive(3000, 2)));
    loader.start();
    const shown = loader.entries[0].trace;
    const dropped = {
      version: 1,
      traces: [
        {
          trace_id: server.traceId,
          truncated: { max_string: 256, spans_dropped: true }
        }
      ]
    };
    expect(loader.update(decodeTraceBundle(dropped))).toBe(true);
    // Until the server answers, the last update stays on screen, no longer live.
    expect(loader.entries[0].trace).toBe(shown);
    expect(loader.entries[0].live).toBeUndefined();
    expect(loader.entries[0].loading).toBe(true);
    await elapse(200);
    expect(server.infoRequests).toBe(1);
    const fetched = loader.entries[0];
    expect(fetched.loading).toBe(false);
    expect(fetched.error).toBeUndefined();
    expect(fetched.trace?.info?.state).toBe('OK');
    expect(fetched.trace?.spans.length).toBe(
      recordedRaw('nested').spans.length
    );
    loader.dispose();
  });

  it('stops polling once the payload becomes live, and ends with the final trace', async () => {
    const loader = loaderOf(livePayload(agentSpans(), undefined));
    loader.start();
    await elapse(POLL_MS / 2);
    loader.update(
      decodeTraceBundle(livePayload(agentSpans(), runningLive(3000, 2)))
    );
    const asked = server.requests.length;
    await elapse(10 * POLL_MS);
    expect(server.requests.length).toBe(asked);
    // The last update of a trace that ended has no live: today's trace, not polled.
    loader.update(
      decodeTraceBundle(livePayload(agentSpans([], 2500), undefined, 'OK'))
    );
    expect(loader.entries[0].live).toBeUndefined();
    await elapse(10 * POLL_MS);
    expect(server.requests.length).toBe(asked);
    loader.dispose();
  });
});
