/**
 * The renderer's data loader against a real `mlflow server`: traces given by
 * id are fetched, failures name the trace and the server, and an IN_PROGRESS
 * trace is polled until it ends.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { decodeTraceBundle } from '../../src/bundle';
import { TraceLoader } from '../../src/output/loader';
import { logTraceInfo } from './post-json';

const url = process.env.MLFLOW_TEST_TRACKING_URI!;
const expected = JSON.parse(
  fs.readFileSync(process.env.MLFLOW_TEST_FIXTURES!, 'utf8')
);

/** A loader for an ids-only bundle, resolving once `done` says so. */
function load(
  traceIds: string[],
  done: (loader: TraceLoader) => boolean,
  options: Partial<TraceLoader.IOptions> = {}
) {
  return new Promise<TraceLoader>(resolve => {
    const loader = new TraceLoader({
      bundle: decodeTraceBundle({
        version: 1,
        traces: traceIds.map(trace_id => ({ trace_id }))
      }),
      trackingUri: url,
      ...options
    });
    loader.stateChanged.connect(() => {
      if (done(loader)) {
        resolve(loader);
      }
    });
    loader.start();
  });
}

async function setState(traceId: string, state: string): Promise<void> {
  expect((await logTraceInfo(traceId, { state })).ok).toBe(true);
}

describe('TraceLoader', () => {
  it('fetches a trace given by id from the tracking server', async () => {
    const python = expected.traces.nested;
    const loader = await load([python.trace_id], l => !!l.entries[0].trace);
    expect(loader.entries[0].trace!.spans).toHaveLength(python.span_count);
    expect(loader.entries[0].uiUrl).toContain(
      `/traces?selectedEvaluationId=${python.trace_id}`
    );
    loader.dispose();
  });

  it('says which trace was not found on which server, and keeps the others', async () => {
    const missing = 'tr-00000000000000000000000000000000';
    const loader = await load([missing, expected.traces.chat.trace_id], l =>
      l.entries.every(entry => !entry.loading && (entry.trace || entry.error))
    );
    expect(loader.entries[0].error).toBe(
      `Trace ${missing} not found on ${url}`
    );
    expect(loader.entries[1].trace!.spans).toHaveLength(
      expected.traces.chat.span_count
    );
    loader.dispose();
  });

  it('polls an IN_PROGRESS trace until it ends', async () => {
    // A real trace with spans, written by our helper, then marked as still running.
    const written = execFileSync(
      'node',
      [
        path.join(__dirname, '..', 'fixtures', 'write_helper_traces.cjs'),
        JSON.stringify({
          trackingUri: url,
          experimentId: process.env.MLFLOW_TEST_EXPERIMENT_ID,
          steps: [{ name: 'long_running' }]
        })
      ],
      { encoding: 'utf8' }
    );
    const traceId: string = JSON.parse(written).ids[0];
    await setState(traceId, 'IN_PROGRESS');
    let fetches = 0;
    const loader = await load(
      [traceId],
      l => {
        const trace = l.entries[0].trace;
        if (trace && !l.entries[0].loading) {
          fetches++;
          if (fetches === 2) {
            void setState(traceId, 'OK');
          }
        }
        return trace?.info?.state === 'OK';
      },
      { pollIntervalMs: 100 }
    );
    expect(fetches).toBeGreaterThanOrEqual(3);
    expect(loader.entries[0].error).toBeUndefined();
    expect(loader.entries[0].trace!.spans.map(span => span.name)).toEqual([
      'long_running'
    ]);
    const settled = fetches;
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(fetches).toBe(settled);
    loader.dispose();
  });
});
