/**
 * The emitters' live limits and the bounded live snapshot, on a recorded
 * trace made live and on small hand-made trees. The Python twin is checked
 * against this one in test/python/test_live_contract.py.
 */
import {
  boundLiveSnapshot,
  encodeTraceBundle,
  isRunningSpanDict,
  IWireLive,
  LIVE_MAX_BYTES_PER_S,
  LIVE_MAX_SNAPSHOT_BYTES,
  LIVE_MIN_INTERVAL_MS,
  LIVE_UPDATE_EVERY_MS,
  LiveTraceInput,
  nextUpdateDelayMs,
  utf8ByteLength
} from '../../../src/bundle';
import { loadRecorded } from '../recorded';

const LIVE: IWireLive = {
  status: 'running',
  updated_unix_ms: 1_795_465_500_000,
  update_every_ms: LIVE_UPDATE_EVERY_MS,
  sequence: 3
};

/** Bytes of the entry as the encoder writes it. */
function entryBytes(input: LiveTraceInput): number {
  const { bundle } = encodeTraceBundle([input], { maxBytes: 2 ** 40 });
  return utf8ByteLength(JSON.stringify(bundle.traces[0]));
}

function span(id: string, parent: string | null, end: number | null): object {
  return {
    span_id: id,
    parent_span_id: parent,
    end_time_unix_nano: end,
    pad: 'x'.repeat(100)
  };
}

const tree = [
  span('r', null, null),
  span('a', 'r', 50),
  span('b', 'a', null),
  span('old', 'r', 10),
  span('new', 'r', 90),
  span('mid', 'r', 60)
];
const treeInput: LiveTraceInput = {
  traceId: 'tr-1',
  info: { trace_id: 'tr-1' },
  spans: tree,
  live: LIVE
};

const ids = (input: LiveTraceInput) =>
  (input.spans ?? []).map(s => (s as { span_id: string }).span_id);

describe('the live limits', () => {
  it('are 4 updates/s, a 2 s heartbeat and 256 KiB per update and per second', () => {
    expect([LIVE_MIN_INTERVAL_MS, LIVE_UPDATE_EVERY_MS]).toEqual([250, 2000]);
    expect(LIVE_MAX_SNAPSHOT_BYTES).toBe(256 * 1024);
    expect(LIVE_MAX_BYTES_PER_S).toBe(256 * 1024);
  });

  it('waits at least 250 ms, longer after a large update', () => {
    expect(nextUpdateDelayMs(0)).toBe(250);
    expect(nextUpdateDelayMs(64 * 1024)).toBe(250);
    expect(nextUpdateDelayMs(128 * 1024)).toBe(500);
    expect(nextUpdateDelayMs(1024 * 1024)).toBe(4000);
  });
});

describe('boundLiveSnapshot', () => {
  it('keeps every span, as given, when the trace fits', () => {
    const snapshot = boundLiveSnapshot(treeInput, entryBytes(treeInput));
    expect(snapshot.spans).toEqual(tree);
    expect(snapshot.spans?.[0]).toBe(tree[0]);
    expect(snapshot.live).toEqual(LIVE);
    expect(snapshot.truncated).toBeUndefined();
  });

  it('leaves out the oldest ended span first, never a running span or its ancestors', () => {
    const bound = entryBytes(treeInput) - 20;
    const snapshot = boundLiveSnapshot(treeInput, bound);
    expect(ids(snapshot)).toEqual(['r', 'a', 'b', 'new', 'mid']);
    expect(snapshot.live).toEqual({ ...LIVE, spans_omitted: 1 });
    expect(entryBytes(snapshot)).toBeLessThanOrEqual(bound);
    const tiny = boundLiveSnapshot(treeInput, 10);
    expect(ids(tiny)).toEqual(['r', 'a', 'b']);
    expect(tiny.live.spans_omitted).toBe(3);
  });

  it('does not change its input, and replaces a spans_omitted given', () => {
    const input = { ...treeInput, live: { ...LIVE, spans_omitted: 99 } };
    const copy = JSON.stringify(input);
    expect(boundLiveSnapshot(input).live).toEqual(LIVE);
    expect(JSON.stringify(input)).toBe(copy);
  });

  it('shortens long strings before it leaves spans out', () => {
    const input: LiveTraceInput = {
      traceId: 'tr-1',
      spans: [
        span('r', null, null),
        { ...span('c', 'r', 5), big: 'y'.repeat(300_000) }
      ],
      live: LIVE
    };
    const snapshot = boundLiveSnapshot(input);
    expect(ids(snapshot)).toEqual(['r', 'c']);
    expect(snapshot.truncated).toEqual({ max_string: 65536 });
    expect((snapshot.spans?.[1] as { big: string }).big).toMatch(
      /… \[truncated 234,464 chars\]$/
    );
    expect(entryBytes(snapshot)).toBeLessThanOrEqual(LIVE_MAX_SNAPSHOT_BYTES);
  });

  it('bounds a recorded trace with its leaf still running, parents kept', () => {
    const chat = loadRecorded('chat');
    const spans = chat.spans.map(s => ({ ...(s as object) }));
    const leaf = spans[spans.length - 1] as Record<string, unknown>;
    leaf.end_time_unix_nano = null;
    const input = { ...chat, spans, live: LIVE };
    const snapshot = boundLiveSnapshot(input, 2000);
    expect(snapshot.spans).toContainEqual(
      expect.objectContaining({ span_id: leaf.span_id })
    );
    const kept = new Set(ids(snapshot));
    let parent = leaf.parent_span_id as string | null;
    while (parent) {
      expect(kept.has(parent)).toBe(true);
      const up = spans.find(
        s => (s as { span_id: string }).span_id === parent
      ) as { parent_span_id: string | null };
      parent = up.parent_span_id;
    }
    const omitted = snapshot.live.spans_omitted ?? 0;
    expect(omitted + kept.size).toBe(spans.length);
  });

  it('reads running spans as MLflow and OpenTelemetry mark them', () => {
    expect(isRunningSpanDict({ end_time_unix_nano: null })).toBe(true);
    expect(isRunningSpanDict({})).toBe(true);
    expect(isRunningSpanDict({ end_time_unix_nano: 0 })).toBe(true);
    expect(isRunningSpanDict({ end_time_unix_nano: '12' })).toBe(false);
    expect(isRunningSpanDict(null)).toBe(false);
  });
});
