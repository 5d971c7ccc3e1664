/**
 * The trace-list model's sessions, on answers recorded from a real server:
 * a session heading shows its loaded rows as a conversation under the table,
 * and an answer to an earlier action no longer replaces it.
 */
import { decodeTraceListBundle } from '../../../src/bundle';
import { MlflowClient } from '../../../src/client';
import { TraceListModel } from '../../../src/output/listModel';
import { recordedRaw, RecordedServer } from '../lab/recordedServer';

const nested = recordedRaw('nested');
const chat = recordedRaw('chat');
const nestedId = nested.info.trace_id as string;

const inSession = (info: Record<string, any>, session: string) => ({
  ...info,
  trace_metadata: { ...info.trace_metadata, 'mlflow.trace.session': session }
});

describe('TraceListModel.openSession', () => {
  let server: RecordedServer;
  let model: TraceListModel;

  beforeEach(() => {
    server = new RecordedServer('nested', 'chat');
    const client = new MlflowClient({
      trackingUri: 'http://127.0.0.1:5000',
      fetch: server.fetch as typeof fetch,
      maxRetries: 0
    });
    model = new TraceListModel({
      list: decodeTraceListBundle({
        version: 1,
        query: { experiment_ids: ['1'] },
        traces: [inSession(nested.info, 's1'), inSession(chat.info, 's2')]
      }),
      connect: async () => ({ client })
    });
  });

  it("shows the session's loaded rows under the table, and signals it", () => {
    let changes = 0;
    model.stateChanged.connect(() => changes++);
    model.openSession('s1');
    const detail = model.detail;
    expect(detail.kind).toBe('session');
    expect(
      detail.kind === 'session' && detail.items.map(item => item.traceId)
    ).toEqual([nestedId]);
    expect(model.openedId).toBeUndefined();
    expect(changes).toBe(1);
  });

  it('drops the late answer of a trace opened before the session', async () => {
    const release = server.holdNext();
    const opening = model.open(nestedId);
    model.openSession('s2');
    release();
    await opening;
    expect(model.detail.kind).toBe('session');
  });

  it('gives a turn of the session its trace when opened', async () => {
    model.openSession('s1');
    await model.open(nestedId);
    const detail = model.detail;
    expect(detail.kind === 'trace' && detail.trace.info?.trace_id).toBe(
      nestedId
    );
  });
});
