/**
 * The encoder and its size budget, on traces recorded from a real server.
 */
import {
  decodeTraceBundle,
  encodeTraceBundle,
  encodeTraceListBundle,
  IBundleTraceInput,
  shortenSpans,
  TRUNCATION_MARKER_RE,
  utf8ByteLength
} from '../../../src/bundle';
import { buildTrace } from '../../../src/trace';
import { loadRecorded } from '../recorded';

const nested = loadRecorded('nested');
const unicode = loadRecorded('unicode');
type SpanDict = { name: string; attributes: Record<string, string> };

function bytesOf(value: unknown): number {
  return utf8ByteLength(JSON.stringify(value));
}

describe('encodeTraceBundle', () => {
  it('embeds small traces whole and reports the exact byte size', () => {
    const { bundle, sizeBytes, warnings } = encodeTraceBundle([nested], {
      trackingUri: 'http://127.0.0.1:5000/'
    });
    expect(warnings).toEqual([]);
    expect(bundle).toEqual({
      version: 1,
      tracking_uri: 'http://127.0.0.1:5000',
      traces: [
        { trace_id: nested.traceId, info: nested.info, spans: nested.spans }
      ]
    });
    expect(sizeBytes).toBe(bytesOf(bundle));
    expect(sizeBytes).toBe(Buffer.byteLength(JSON.stringify(bundle), 'utf8'));
  });

  it('writes ids only on request', () => {
    const { bundle } = encodeTraceBundle([nested, unicode], {
      embed: 'ids',
      compare: true
    });
    expect(bundle).toEqual({
      version: 1,
      traces: [{ trace_id: nested.traceId }, { trace_id: unicode.traceId }],
      compare: true
    });
  });

  it('leaves out a non-http tracking URI, with a warning', () => {
    const result = encodeTraceBundle([nested], {
      trackingUri: 'javascript:alert(1)'
    });
    expect(result.bundle.tracking_uri).toBeUndefined();
    expect(result.warnings).toHaveLength(1);
  });

  describe('never writes credentials into a bundle', () => {
    const uris = [
      ['user and password', 'http://u:pw@host:5000/', 'http://host:5000'],
      [
        'user only',
        'https://u@mlflow.example.com/prefix',
        'https://mlflow.example.com/prefix'
      ],
      ['encoded password', 'http://u:p%40w@host', 'http://host'],
      [
        'password with a path',
        'http://:pw@127.0.0.1:5000/a/b/',
        'http://127.0.0.1:5000/a/b'
      ]
    ];

    it.each(uris)('trace bundle, %s', (_, uri, kept) => {
      const result = encodeTraceBundle([nested], { trackingUri: uri });
      expect(result.bundle.tracking_uri).toBe(kept);
      expect(JSON.stringify(result.bundle)).not.toMatch(/pw|p%40w|u@|u:/);
      expect(result.warnings).toEqual([
        'trackingUri held credentials: they are left out'
      ]);
    });

    it.each(uris)('trace-list bundle, %s', (_, uri, kept) => {
      const result = encodeTraceListBundle(
        { experimentIds: ['1'], traces: [nested.info] },
        { trackingUri: uri }
      );
      expect(result.bundle.tracking_uri).toBe(kept);
      expect(JSON.stringify(result.bundle)).not.toMatch(/pw|p%40w|u@|u:/);
    });

    it('a decoded bundle that holds credentials drops its tracking URI, with a warning', () => {
      const decoded = decodeTraceBundle({
        version: 1,
        tracking_uri: 'http://u:pw@host:5000',
        traces: [{ trace_id: nested.traceId }]
      });
      expect(decoded.trackingUri).toBeUndefined();
      expect(decoded.warnings.join(' ')).toMatch(/tracking_uri/);
    });
  });

  describe('the unicode trace within 64 KB', () => {
    const maxBytes = 64 * 1024;
    const result = encodeTraceBundle([nested, unicode], { maxBytes });
    const entry = result.bundle.traces[1];
    const spans = entry.spans as SpanDict[];

    it('fits, and says how it was shortened', () => {
      expect(result.warnings).toEqual([]);
      expect(result.sizeBytes).toBeLessThanOrEqual(maxBytes);
      expect(result.sizeBytes).toBe(bytesOf(result.bundle));
      expect(entry.truncated?.max_string).toBeGreaterThanOrEqual(256);
      expect(entry.truncated?.spans_dropped).toBeUndefined();
      // The small trace had nothing to shorten
      expect(result.bundle.traces[0].truncated).toBeUndefined();
      expect(result.bundle.traces[0].spans).toEqual(nested.spans);
    });

    it('ends the long string with the marker and keeps attributes valid JSON', () => {
      const inputs = JSON.parse(spans[0].attributes['mlflow.spanInputs']);
      const texts = Object.values(inputs).filter(
        v => typeof v === 'string'
      ) as string[];
      const long = texts.find(text => TRUNCATION_MARKER_RE.test(text));
      expect(long).toBeDefined();
      expect(long?.length).toBeLessThan(entry.truncated!.max_string + 40);
      for (const span of spans) {
        for (const value of Object.values(span.attributes)) {
          expect(() => JSON.parse(value)).not.toThrow();
        }
      }
    });

    it('keeps every span, its name and its ids, and still builds a clean tree', () => {
      expect(spans.map(s => s.name)).toEqual(
        (unicode.spans as SpanDict[]).map(s => s.name)
      );
      const trace = buildTrace(entry.info, entry.spans);
      expect(trace.warnings).toEqual([]);
      expect(trace.spans).toHaveLength(unicode.spans!.length);
    });

    it('decodes with no error', () => {
      const decoded = decodeTraceBundle(
        JSON.parse(JSON.stringify(result.bundle))
      );
      expect(decoded.errors).toEqual([]);
      expect(decoded.traces[1].truncated).toEqual(entry.truncated);
    });

    it('does not modify its input', () => {
      expect(loadRecorded('unicode')).toEqual(unicode);
    });

    it('is deterministic', () => {
      expect(
        JSON.stringify(encodeTraceBundle([nested, unicode], { maxBytes }))
      ).toBe(JSON.stringify(result));
    });
  });

  it('honours maxStringChars even within budget', () => {
    const { bundle } = encodeTraceBundle([unicode], { maxStringChars: 1000 });
    expect(bundle.traces[0].truncated).toEqual({ max_string: 1000 });
  });

  it('drops the spans of the largest trace when even the floor is too big', () => {
    const wide: IBundleTraceInput = {
      traceId: 'tr-wide',
      spans: Array.from({ length: 400 }, (_, i) => ({
        span_id: i.toString(16).padStart(16, '0'),
        name: `span ${i}`,
        start_time_unix_nano: 1,
        end_time_unix_nano: 2,
        attributes: {
          'mlflow.spanInputs': JSON.stringify([
            'x'.repeat(200),
            'y'.repeat(200)
          ])
        }
      }))
    };
    const maxBytes = 20 * 1024;
    const result = encodeTraceBundle([nested, wide], { maxBytes });
    expect(result.sizeBytes).toBeLessThanOrEqual(maxBytes);
    expect(result.bundle.traces[1]).toEqual({
      trace_id: 'tr-wide',
      truncated: { max_string: 256, spans_dropped: true }
    });
    expect(result.bundle.traces[0].spans).toEqual(nested.spans);
  });

  it('warns when even trace ids do not fit', () => {
    const result = encodeTraceBundle([nested], { maxBytes: 10 });
    expect(result.bundle.traces).toEqual([
      {
        trace_id: nested.traceId,
        truncated: { max_string: 256, spans_dropped: true }
      }
    ]);
    expect(result.warnings[0]).toMatch(/over the 10-byte budget/);
  });
});

describe('shortenSpans', () => {
  it('shortens JSON-in-string values to valid JSON and plain strings with a marker', () => {
    const span = {
      attributes: {
        json: JSON.stringify({ text: 'a'.repeat(1000), n: 1 }),
        plain: 'b'.repeat(1000),
        short: '"ok"'
      },
      events: [
        {
          name: 'exception',
          attributes: { 'exception.stacktrace': 'c'.repeat(2000) }
        }
      ]
    };
    const { spans, shortened } = shortenSpans([span], 300);
    const out = spans[0] as typeof span;
    expect(shortened).toBe(3);
    expect(JSON.parse(out.attributes.json)).toEqual({
      text: 'a'.repeat(300) + '… [truncated 700 chars]',
      n: 1
    });
    expect(out.attributes.plain).toBe(
      'b'.repeat(300) + '… [truncated 700 chars]'
    );
    expect(out.attributes.short).toBe('"ok"');
    expect(out.events[0].attributes['exception.stacktrace']).toMatch(
      /^c{300}… \[truncated 1,700 chars\]$/
    );
  });

  it('keeps an integer beyond 2^53 in a long JSON-in-string value exactly as written', () => {
    const text = `{"id": 9007199254740993, "text": "${'x'.repeat(1000)}"}`;
    const { spans, shortened } = shortenSpans([{ attributes: { text } }], 300);
    const out = (spans[0] as { attributes: { text: string } }).attributes.text;
    expect(shortened).toBe(1);
    expect(out).toBe(text.slice(0, 300) + '… [truncated 736 chars]');
  });

  it('never splits a surrogate pair (lengths count UTF-16 units)', () => {
    const { spans } = shortenSpans(['🚀'.repeat(10)], 5);
    expect(spans[0]).toBe('🚀🚀… [truncated 16 chars]');
  });
});
