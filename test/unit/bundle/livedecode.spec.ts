/**
 * `live` through the codec: the decoder keeps a valid one, names the
 * field of a bad one in a warning and shows the trace as not live, and the
 * encoder writes it (and a caller's `truncated`) through.
 */
import fs from 'fs';
import path from 'path';
import {
  decodeTraceBundle,
  encodeTraceBundle,
  IWireLive
} from '../../../src/bundle';
import { loadRecorded } from '../recorded';

const EXAMPLES = path.resolve(__dirname, '../../../contract/examples/trace');

const chat = loadRecorded('chat');
const LIVE: IWireLive = {
  status: 'running',
  updated_unix_ms: 5,
  update_every_ms: 2000,
  sequence: 2
};

function decodeWith(live: unknown) {
  return decodeTraceBundle({
    version: 1,
    traces: [
      { trace_id: chat.traceId, info: chat.info, spans: chat.spans, live }
    ]
  });
}

describe('decoding live', () => {
  it('keeps a running and an interrupted live, with its known fields only', () => {
    const running = decodeWith({ ...LIVE, spans_omitted: 4, extra: 1 });
    expect(running.warnings).toEqual([]);
    expect(running.traces[0].live).toEqual({ ...LIVE, spans_omitted: 4 });
    const cut = {
      ...LIVE,
      status: 'interrupted',
      // as JSON.parse reads it: rounded to a double
      interrupted_at_unix_nano: Number('1795465496370102449'),
      reason: 'KeyboardInterrupt'
    };
    expect(decodeWith(cut).traces[0].live).toEqual(cut);
  });

  it('reads the reference live bundles without a warning', () => {
    const read = (name: string) =>
      decodeTraceBundle(
        JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'))
      );
    const running = read('live-running.json');
    expect(running.warnings).toEqual([]);
    expect(running.traces[0].live).toMatchObject({
      status: 'running',
      spans_omitted: 2
    });
    const cut = read('live-interrupted.json');
    expect(cut.warnings).toEqual([]);
    expect(cut.traces[0].live?.reason).toMatch(
      /^KeyboardInterrupt: "><script>/
    );
  });

  it('leaves no live on an entry without one', () => {
    const decoded = decodeWith(undefined);
    expect(decoded.traces[0].live).toBeUndefined();
    expect('live' in decoded.traces[0]).toBe(false);
  });

  it.each([
    [null, 'traces[0].live is not an object and is ignored (got null)'],
    [
      { ...LIVE, status: 'done' },
      'traces[0].live.status is not "running" or "interrupted" (got "done"); the trace is shown as not live'
    ],
    [
      { ...LIVE, status: undefined },
      'traces[0].live.status is not "running" or "interrupted" (got missing); the trace is shown as not live'
    ],
    [
      { ...LIVE, updated_unix_ms: '5' },
      'traces[0].live.updated_unix_ms is not an integer >= 0 (got "5"); the trace is shown as not live'
    ],
    [
      { ...LIVE, update_every_ms: 0 },
      'traces[0].live.update_every_ms is not an integer >= 1 (got 0); the trace is shown as not live'
    ],
    [
      { ...LIVE, spans_omitted: -1 },
      'traces[0].live.spans_omitted is not an integer >= 0 (got -1); the trace is shown as not live'
    ],
    [
      { ...LIVE, status: 'interrupted' },
      'traces[0].live.interrupted_at_unix_nano is missing; the trace is shown as not live'
    ],
    [
      { ...LIVE, reason: 3 },
      'traces[0].live.reason is not a string (got 3); the trace is shown as not live'
    ]
  ])(
    'warns of %j naming the field, and the trace renders as not live',
    (live, warning) => {
      const decoded = decodeWith(live);
      expect(decoded.errors).toEqual([]);
      expect(decoded.warnings).toEqual([warning]);
      expect(decoded.traces[0].live).toBeUndefined();
      expect(decoded.traces[0].embedded).toBe(true);
    }
  );
});

describe('encoding live', () => {
  it('writes live last and as given', () => {
    const { bundle } = encodeTraceBundle([{ ...chat, live: LIVE }]);
    expect(Object.keys(bundle.traces[0])).toEqual([
      'trace_id',
      'info',
      'spans',
      'live'
    ]);
    expect(bundle.traces[0].live).toBe(LIVE);
  });

  it("writes a caller's truncated unless it shortens the spans itself", () => {
    const truncated = { max_string: 1024 };
    const { bundle } = encodeTraceBundle([{ ...chat, truncated }]);
    expect(bundle.traces[0].truncated).toBe(truncated);
    const small = encodeTraceBundle([{ ...chat, truncated }], {
      maxStringChars: 10
    });
    expect(small.bundle.traces[0].truncated).toEqual({ max_string: 10 });
  });

  it('leaves live out of ids-only bundles', () => {
    const { bundle } = encodeTraceBundle([{ ...chat, live: LIVE }], {
      embed: 'ids'
    });
    expect(bundle.traces[0]).toEqual({ trace_id: chat.traceId });
  });
});
