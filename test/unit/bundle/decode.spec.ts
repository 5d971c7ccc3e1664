/**
 * Decoding of the trace bundle MIME type: round trips with the encoder on
 * recorded server responses, and malformed shapes reported by field path.
 */
import { decodeTraceBundle, encodeTraceBundle } from '../../../src/bundle';
import { loadRecorded } from '../recorded';

const LABELS = ['nested', 'error', 'chat', 'unicode'];

const recorded = LABELS.map(loadRecorded);
const good = {
  trace_id: 'tr-good',
  info: { ...recorded[0].info, trace_id: 'tr-good' },
  spans: []
};

describe('decodeTraceBundle', () => {
  it('round-trips what encodeTraceBundle writes, through JSON', () => {
    const { bundle } = encodeTraceBundle(recorded, {
      trackingUri: 'http://127.0.0.1:5000'
    });
    const decoded = decodeTraceBundle(JSON.parse(JSON.stringify(bundle)));
    expect(decoded.errors).toEqual([]);
    expect(decoded.warnings).toEqual([]);
    expect(decoded.version).toBe(1);
    expect(decoded.trackingUri).toBe('http://127.0.0.1:5000');
    expect(decoded.compare).toBe(false);
    expect(decoded.traces.map(t => t.traceId)).toEqual(
      recorded.map(t => t.traceId)
    );
    decoded.traces.forEach((trace, i) => {
      expect(trace.embedded).toBe(true);
      expect(trace.info).toEqual(recorded[i].info);
      expect(trace.spans).toEqual(recorded[i].spans);
      expect(trace.error).toBeUndefined();
    });
  });

  it('reads ids-only bundles as fetched traces, and compare', () => {
    const { bundle } = encodeTraceBundle(recorded, {
      embed: 'ids',
      compare: true
    });
    const decoded = decodeTraceBundle(bundle);
    expect(decoded.compare).toBe(true);
    expect(decoded.traces.every(t => !t.embedded && !t.info && !t.spans)).toBe(
      true
    );
  });

  it('accepts the payload as a JSON string', () => {
    const decoded = decodeTraceBundle(
      JSON.stringify({ version: 1, traces: [good] })
    );
    expect(decoded.errors).toEqual([]);
    expect(decoded.traces[0].embedded).toBe(true);
  });

  const malformedEntries: [string, unknown, string][] = [
    ['a missing trace_id', { info: {} }, 'traces[1].trace_id is missing'],
    [
      'a numeric trace_id',
      { trace_id: 7 },
      'traces[1].trace_id is not a string (got number)'
    ],
    ['an empty trace_id', { trace_id: '  ' }, 'traces[1].trace_id is empty'],
    ['a non-object entry', 'tr-x', 'traces[1] is not an object (got string)'],
    ['a null entry', null, 'traces[1] is not an object (got null)'],
    [
      'spans that are not a list',
      { trace_id: 'tr-x', spans: {} },
      'traces[1].spans is not a list (got object)'
    ],
    [
      'info that is not an object',
      { trace_id: 'tr-x', info: [] },
      'traces[1].info is not an object (got a list)'
    ]
  ];

  it.each(malformedEntries)(
    'reports %s by path and keeps the good traces',
    (_, bad, message) => {
      const decoded = decodeTraceBundle({
        version: 1,
        traces: [good, bad, good]
      });
      expect(decoded.errors).toEqual([message]);
      expect(decoded.traces).toHaveLength(3);
      expect(decoded.traces[1].error).toBe(message);
      expect(decoded.traces[1].embedded).toBe(false);
      for (const i of [0, 2]) {
        expect(decoded.traces[i]).toMatchObject({
          traceId: 'tr-good',
          embedded: true
        });
        expect(decoded.traces[i].error).toBeUndefined();
      }
    }
  );

  const malformedBundles: [string, unknown, string][] = [
    ['a missing version', { traces: [good] }, 'version is missing'],
    [
      'a string version',
      { version: '1', traces: [good] },
      'version is not a positive integer (got string)'
    ],
    ['missing traces', { version: 1 }, 'traces is missing'],
    ['empty traces', { version: 1, traces: [] }, 'traces is empty'],
    [
      'traces as an object',
      { version: 1, traces: good },
      'traces is not a list (got object)'
    ],
    ['a list payload', [good], 'the bundle is not an object (got a list)'],
    ['a null payload', null, 'the bundle is not an object (got null)']
  ];

  it.each(malformedBundles)(
    'reports %s without throwing',
    (_, data, message) => {
      const decoded = decodeTraceBundle(data);
      expect(decoded.errors).toContain(message);
    }
  );

  it('still reads the traces of a bundle with no version', () => {
    const decoded = decodeTraceBundle({ traces: [good] });
    expect(decoded.version).toBeNull();
    expect(decoded.traces[0].embedded).toBe(true);
  });

  it('reports invalid JSON text', () => {
    expect(decodeTraceBundle('{oops').errors[0]).toMatch(
      /^the data is not valid JSON/
    );
  });

  it('reads a newer version best-effort, with a warning', () => {
    const decoded = decodeTraceBundle({ version: 2, traces: [good], extra: 1 });
    expect(decoded.version).toBe(2);
    expect(decoded.errors).toEqual([]);
    expect(decoded.warnings[0]).toMatch(/version 2 is newer/);
    expect(decoded.traces[0].embedded).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,x',
    'http://a b',
    42
  ])('drops the tracking_uri %p with a warning', uri => {
    const decoded = decodeTraceBundle({
      version: 1,
      tracking_uri: uri,
      traces: [good]
    });
    expect(decoded.trackingUri).toBeUndefined();
    expect(decoded.errors).toEqual([]);
    expect(decoded.warnings).toHaveLength(1);
    expect(decoded.warnings[0]).toMatch(
      /^tracking_uri is not an http\(s\) URL/
    );
  });

  it('keeps https tracking URIs without the trailing slash', () => {
    const decoded = decodeTraceBundle({
      version: 1,
      tracking_uri: 'https://mlflow.example/',
      traces: [good]
    });
    expect(decoded.trackingUri).toBe('https://mlflow.example');
  });

  it('reads truncated, and warns on a malformed one', () => {
    const decoded = decodeTraceBundle({
      version: 1,
      traces: [
        { ...good, truncated: { max_string: 256, spans_dropped: true } },
        { ...good, truncated: 'yes' }
      ]
    });
    expect(decoded.traces[0].truncated).toEqual({
      max_string: 256,
      spans_dropped: true
    });
    expect(decoded.traces[1].truncated).toBeUndefined();
    expect(decoded.warnings).toEqual([
      'traces[1].truncated is not {max_string: number} and is ignored (got string)'
    ]);
  });

  it('warns when a non-boolean compare is ignored', () => {
    const decoded = decodeTraceBundle({
      version: 1,
      traces: [good],
      compare: 'yes'
    });
    expect(decoded.compare).toBe(false);
    expect(decoded.warnings[0]).toMatch(/^compare is not a boolean/);
  });
});
