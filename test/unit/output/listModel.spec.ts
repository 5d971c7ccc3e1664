/**
 * The trace-list model on answers recorded from a real server: what is
 * shown under the table is the answer to the user's last action.
 */
import { decodeTraceListBundle } from '../../../src/bundle';
import { MlflowClient } from '../../../src/client';
import { ListConnection, TraceListModel } from '../../../src/output/listModel';
import { recordedRaw, RecordedServer } from '../lab/recordedServer';

const nested = recordedRaw('nested');
const chat = recordedRaw('chat');
const nestedId = nested.info.trace_id as string;
const chatId = chat.info.trace_id as string;

function modelFor(connect: () => Promise<ListConnection>): TraceListModel {
  return new TraceListModel({
    list: decodeTraceListBundle({
      version: 1,
      query: { experiment_ids: ['1'] },
      traces: [nested.info, chat.info]
    }),
    connect
  });
}

describe('TraceListModel', () => {
  let server: RecordedServer;
  let model: TraceListModel;
  let changes: number;

  beforeEach(() => {
    server = new RecordedServer('nested', 'chat');
    const client = new MlflowClient({
      trackingUri: 'http://127.0.0.1:5000',
      fetch: server.fetch as typeof fetch,
      maxRetries: 0
    });
    model = modelFor(async () => ({ client }));
    changes = 0;
    model.stateChanged.connect(() => changes++);
  });

  it('opens a trace under the table and signals each step', async () => {
    await model.open(chatId);
    const detail = model.detail;
    expect(detail.kind).toBe('trace');
    expect(detail.kind === 'trace' && detail.trace.info?.trace_id).toBe(chatId);
    expect(model.openedId).toBe(chatId);
    expect(changes).toBe(2);
  });

  it('drops the late answer of a comparison the user replaced by opening a trace', async () => {
    const releaseCompare = server.holdNext();
    const compared = model.compare(nestedId, chatId);
    await model.open(chatId);
    releaseCompare();
    await compared;
    const detail = model.detail;
    expect(detail.kind).toBe('trace');
    expect(detail.kind === 'trace' && detail.trace.info?.trace_id).toBe(chatId);
  });

  it('drops the late answer of a trace opened before another one', async () => {
    const releaseFirst = server.holdNext();
    const first = model.open(nestedId);
    await model.open(chatId);
    releaseFirst();
    await first;
    const detail = model.detail;
    expect(detail.kind === 'trace' && detail.trace.info?.trace_id).toBe(chatId);
    expect(model.openedId).toBe(chatId);
  });

  it('turns a missing server into an error under the table, never a throw', async () => {
    const orphan = modelFor(async () => ({ problem: 'no server is known' }));
    await orphan.open(chatId);
    expect(orphan.detail).toEqual({
      kind: 'error',
      message: `Cannot open trace ${chatId}: no server is known`
    });
    const failing = modelFor(async () => {
      throw new Error('settings broke');
    });
    await failing.compare(nestedId, chatId);
    expect(failing.detail).toEqual({
      kind: 'error',
      message: 'Cannot compare traces: settings broke'
    });
  });

  it('signals nothing after dispose', async () => {
    const release = server.holdNext();
    const opened = model.open(chatId);
    const before = changes;
    model.dispose();
    release();
    await opened;
    expect(changes).toBe(before);
  });
});
