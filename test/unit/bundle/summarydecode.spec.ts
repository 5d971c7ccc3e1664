/**
 * The trace-summary decoder: the reference bundle reads whole, and every
 * kind of invalid input is named by its field path, never thrown.
 */
import fs from 'fs';
import path from 'path';
import {
  decodeTraceSummaryBundle,
  TRACE_SUMMARY_MIME_TYPE
} from '../../../src/bundle';

const EXAMPLE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'contract',
  'examples',
  'trace-summary',
  'three-hours.json'
);

const MAX_BUCKETS = 1000;

function example(): any {
  return JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
}

describe('decodeTraceSummaryBundle', () => {
  it('reads the reference bundle with no problem', () => {
    const decoded = decodeTraceSummaryBundle(example());
    expect(TRACE_SUMMARY_MIME_TYPE).toBe(
      'application/vnd.mlflow.trace-summary+json'
    );
    expect(decoded.errors).toEqual([]);
    expect(decoded.warnings).toEqual([]);
    expect(decoded.version).toBe(1);
    expect(decoded.trackingUri).toBe('http://127.0.0.1:5000');
    const summary = decoded.summary!;
    expect(summary.query).toEqual({
      experimentIds: ['1'],
      filter: "tags.version = 'v2'",
      startTimeMs: 1796083200000,
      endTimeMs: 1796093999999,
      intervalSeconds: 3600
    });
    expect(summary.source).toBe('server');
    expect(summary.buckets).toHaveLength(3);
    expect(summary.buckets[0]).toEqual({
      startTimeMs: 1796083200000,
      traces: 3,
      errors: 1,
      latencyMs: { p50: 300, p90: 620, p99: 692 },
      tokens: { input: 560, output: 120, cacheRead: 55, cacheWrite: null }
    });
    expect(summary.buckets[2].latencyMs).toBeNull();
    expect(summary.totals.traces).toBe(5);
    expect(summary.totals.tokens.cacheWrite).toBe(55);
  });

  it('reads the bundle as JSON text too, and a search source with its note', () => {
    const data = { ...example(), source: 'search', source_note: 'file store' };
    const decoded = decodeTraceSummaryBundle(JSON.stringify(data));
    expect(decoded.errors).toEqual([]);
    expect(decoded.summary!.source).toBe('search');
    expect(decoded.summary!.sourceNote).toBe('file store');
  });

  // [what is wrong, how to break the example, the error expected]
  const INVALID: [string, (data: any) => unknown, string][] = [
    ['not JSON', () => '{', 'the data is not valid JSON'],
    ['not an object', () => [1], 'the bundle is not an object (got a list)'],
    ['no version', d => ({ ...d, version: undefined }), 'version is missing'],
    ['no query', d => ({ ...d, query: undefined }), 'query is missing'],
    [
      'empty experiment ids',
      d => ({ ...d, query: { ...d.query, experiment_ids: [] } }),
      'query.experiment_ids is not a non-empty list (got a list)'
    ],
    [
      'a numeric experiment id',
      d => ({ ...d, query: { ...d.query, experiment_ids: [1] } }),
      'query.experiment_ids[0] is not a string (got number)'
    ],
    [
      'a zero interval',
      d => ({ ...d, query: { ...d.query, interval_seconds: 0 } }),
      'query.interval_seconds is 0 (at least 1)'
    ],
    [
      'a fractional start time',
      d => ({ ...d, query: { ...d.query, start_time_ms: 1.5 } }),
      'query.start_time_ms is not a non-negative integer (got 1.5)'
    ],
    [
      'an end before the start',
      d => ({ ...d, query: { ...d.query, end_time_ms: 0 } }),
      'query.end_time_ms (0) is before query.start_time_ms (1796083200000)'
    ],
    [
      'a filter that is not text',
      d => ({ ...d, query: { ...d.query, filter: { $ne: 1 } } }),
      'query.filter is not a string (got object)'
    ],
    [
      'an unknown source',
      d => ({ ...d, source: '<b>db</b>' }),
      `source is not 'server' or 'search' (got "<b>db</b>")`
    ],
    ['no buckets', d => ({ ...d, buckets: undefined }), 'buckets is missing'],
    [
      'buckets not a list',
      d => ({ ...d, buckets: {} }),
      'buckets is not a list (got object)'
    ],
    ['no totals', d => ({ ...d, totals: undefined }), 'totals is missing']
  ];

  it.each(INVALID)('names %s', (_what, breakIt, error) => {
    const decoded = decodeTraceSummaryBundle(breakIt(example()));
    expect(decoded.errors.join('\n')).toContain(error);
  });

  // [what is wrong in bucket 1, the change, the error expected]
  const BAD_BUCKET: [string, (bucket: any) => unknown, string][] = [
    ['not an object', () => 'x', 'buckets[1] is not an object (got string)'],
    [
      'a negative count',
      b => ({ ...b, traces: -1 }),
      'buckets[1].traces is not a non-negative integer (got -1)'
    ],
    [
      'a missing count',
      b => ({ ...b, errors: undefined }),
      'buckets[1].errors is missing'
    ],
    [
      'a percentile that is text',
      b => ({ ...b, latency_ms: { p50: '1', p90: 2, p99: 3 } }),
      'buckets[1].latency_ms.p50 is not a non-negative number (got string)'
    ],
    [
      'a fractional token count',
      b => ({ ...b, tokens: { ...b.tokens, output: 0.5 } }),
      'buckets[1].tokens.output is not a non-negative integer or null (got 0.5)'
    ],
    [
      'a missing token count',
      b => ({ ...b, tokens: { ...b.tokens, cache_read: undefined } }),
      'buckets[1].tokens.cache_read is missing'
    ]
  ];

  it.each(BAD_BUCKET)(
    'names a bucket with %s and still draws the others',
    (_what, breakIt, error) => {
      const data = example();
      data.buckets[1] = breakIt(data.buckets[1]);
      const decoded = decodeTraceSummaryBundle(data);
      expect(decoded.errors).toContain(error);
      expect(decoded.summary!.buckets).toHaveLength(3);
      expect(decoded.summary!.buckets[0].traces).toBe(3);
    }
  );

  it('warns of inconsistencies it can draw around', () => {
    const data = example();
    data.buckets[0].errors = 4;
    data.buckets[2].start_time_ms += 1000;
    data.buckets[1].latency_ms.p50 = 2000;
    data.totals.extra = 1;
    const decoded = decodeTraceSummaryBundle(data);
    expect(decoded.errors).toEqual([]);
    expect(decoded.warnings).toEqual([
      'buckets[0].errors (4) is more than buckets[0].traces (3)',
      'buckets[1].latency_ms: the percentiles are not in order (p50 2000, p90 925, p99 992.5)',
      'buckets[2].start_time_ms (1796090401000) is not aligned to the interval',
      "buckets[2].start_time_ms (1796090401000) is not one interval after buckets[1]'s (1796086800000)",
      'totals."extra" is not part of version 1 and is ignored'
    ]);
  });

  it('draws at most the schema limit of buckets and says so', () => {
    const data = example();
    const empty = data.buckets[2];
    data.buckets = Array.from({ length: MAX_BUCKETS + 5 }, (_, i) => ({
      ...empty,
      start_time_ms: 1796083200000 + i * 3600_000
    }));
    const decoded = decodeTraceSummaryBundle(data);
    expect(decoded.summary!.buckets).toHaveLength(MAX_BUCKETS);
    expect(decoded.errors[0]).toMatch(/1005 buckets, more than 1000/);
  });

  it('never throws on hostile shapes', () => {
    const shapes = [null, 0, '', 'null', [], { version: 1, query: null }];
    for (const shape of shapes) {
      const decoded = decodeTraceSummaryBundle(shape);
      expect(decoded.summary).toBeNull();
      expect(decoded.errors.length).toBeGreaterThan(0);
    }
  });
});
