/**
 * The trace summary's optional parts (cost, quality, segments, spans,
 * budgets, violations): the full reference bundle reads whole, and a broken
 * part is an error naming its field while the rest still decodes.
 */
import fs from 'fs';
import path from 'path';
import { decodeTraceSummaryBundle } from '../../../src/bundle';
import { violations } from '../../../src/trace/budgets';

const DIR = path.resolve(__dirname, '../../../contract/examples/trace-summary');

function full(): any {
  return JSON.parse(fs.readFileSync(path.join(DIR, 'full.json'), 'utf8'));
}

describe('decodeTraceSummaryBundle: optional parts', () => {
  it('reads every part of full.json with no problem', () => {
    const decoded = decodeTraceSummaryBundle(full());
    expect(decoded.errors).toEqual([]);
    expect(decoded.warnings).toEqual([]);
    const summary = decoded.summary!;
    expect(summary.query.groupBy).toEqual({ kind: 'tag', key: 'version' });
    expect(summary.query.budgets).toEqual({
      errorRate: 0.25,
      latencyP90Ms: 1500,
      costPerTrace: 0.007,
      spans: [
        { field: 'span_name', key: 'retrieve', p90Ms: 200 },
        { field: 'span_type', key: 'LLM', p90Ms: 1000 }
      ]
    });
    expect(summary.totals.cost).toEqual({
      input: 0.0644,
      output: 0.07945,
      total: 0.14385
    });
    expect(summary.buckets[2].cost).toEqual({
      input: 0.0056,
      output: 0.0045,
      total: 0.0101
    });
    expect(summary.quality!.map(q => q.name)).toEqual([
      'correctness',
      'relevance'
    ]);
    expect(summary.quality![0].values).toEqual([
      ['false', 5],
      ['true', 14]
    ]);
    expect(summary.quality![1].buckets[2]).toEqual({
      startTimeMs: summary.buckets[2].startTimeMs,
      count: 0,
      mean: null
    });
    expect(summary.segments!.map(s => s.value)).toEqual(['v1', 'v2']);
    expect(summary.segments![1].totals.traces).toBe(10);
    expect(summary.segmentsNote).toMatch(/1 trace is in no segment/);
    expect(summary.spans!.byName[2]).toEqual({
      key: 'retrieve',
      count: 23,
      errors: 1,
      totalMs: 3450,
      shareTime: 0.197368,
      latencyMs: { p50: 130, p90: 240 },
      cost: null,
      shareCost: 0
    });
    expect(summary.violations).toHaveLength(10);
    expect(summary.violations![5]).toEqual({
      budget: 'span_p90_ms',
      subject: 'retrieve',
      spanField: 'span_name',
      limit: 200,
      value: 240
    });
    expect(summary.violations![9]).toMatchObject({
      segment: 'v2',
      budget: 'cost_per_trace'
    });
  });

  it('a bundle without the parts decodes without them', () => {
    const bundle = full();
    for (const key of [
      'quality',
      'segments',
      'segments_note',
      'spans',
      'violations'
    ]) {
      delete bundle[key];
    }
    delete bundle.query.group_by;
    delete bundle.query.budgets;
    const decoded = decodeTraceSummaryBundle(bundle);
    expect(decoded.errors).toEqual([]);
    expect(decoded.summary!.quality).toBeUndefined();
    expect(decoded.summary!.segments).toBeUndefined();
    expect(decoded.summary!.spans).toBeUndefined();
    expect(decoded.summary!.violations).toBeUndefined();
  });

  const broken: [string, (bundle: any) => void, string][] = [
    [
      'a cost figure',
      b => (b.buckets[1].cost.total = -1),
      'buckets[1].cost.total is not a non-negative number or null (got -1)'
    ],
    ['the quality list', b => (b.quality = {}), 'quality is not a list'],
    [
      'an assessment name',
      b => (b.quality[0].name = 7),
      'quality[0].name is not a string (got number)'
    ],
    [
      'a quality mean',
      b => (b.quality[1].buckets[0].mean = 'high'),
      'quality[1].buckets[0].mean is not a number or null'
    ],
    [
      'a segment value',
      b => (b.segments[0].value = 3),
      'segments[0].value is not a string or null (got number)'
    ],
    [
      'a segment bucket',
      b => (b.segments[1].buckets[2].traces = -2),
      'segments[1].buckets[2].traces is not a non-negative integer (got -2)'
    ],
    [
      'a span row',
      b => (b.spans.by_name[1].total_ms = 'slow'),
      'spans.by_name[1].total_ms is not a non-negative number (got string)'
    ],
    [
      'the span rows by type',
      b => (b.spans.by_type = null),
      'spans.by_type is not a list (got null)'
    ],
    [
      'a budget',
      b => (b.query.budgets.error_rate = 2),
      'query.budgets.error_rate is not a number from 0 to 1 (got 2)'
    ],
    [
      'a span budget',
      b => (b.query.budgets.spans[0].span_type = 'X'),
      'query.budgets.spans[0] does not name exactly one span_name or span_type'
    ],
    [
      'group_by',
      b => (b.query.group_by = { kind: 'run', key: 'x' }),
      'query.group_by is not {kind:'
    ],
    [
      'a violation',
      b => (b.violations[3].budget = 'p99'),
      'violations[3].budget is not one of error_rate, latency_p90_ms, cost_per_trace, span_p90_ms (got "p99")'
    ]
  ];

  it.each(broken)(
    'a broken %s is an error naming it; the rest still decodes',
    (_what, breakIt, message) => {
      const bundle = full();
      breakIt(bundle);
      const decoded = decodeTraceSummaryBundle(bundle);
      expect(decoded.errors.join('\n')).toContain(message);
      const summary = decoded.summary!;
      expect(summary).not.toBeNull();
      expect(summary.buckets).toHaveLength(4);
      expect(summary.totals.traces).toBe(23);
    }
  );

  it('only the broken item of a list is left out', () => {
    const bundle = full();
    bundle.violations[3].limit = 'x';
    bundle.spans.by_name[1].count = -1;
    bundle.quality[0].name = null;
    const summary = decodeTraceSummaryBundle(bundle).summary!;
    expect(summary.violations).toHaveLength(9);
    expect(summary.spans!.byName.map(r => r.key)).toEqual([
      'agent',
      'retrieve',
      'rerank'
    ]);
    expect(summary.quality!.map(q => q.name)).toEqual(['relevance']);
  });

  it('unknown keys of a part are warned about and ignored', () => {
    const bundle = full();
    bundle.spans.by_type[0].colour = 'red';
    bundle.totals.cost.currency = 'EUR';
    const decoded = decodeTraceSummaryBundle(bundle);
    expect(decoded.errors).toEqual([]);
    expect(decoded.warnings).toEqual([
      'totals.cost."currency" is not part of version 1 and is ignored',
      'spans.by_type[0]."colour" is not part of version 1 and is ignored'
    ]);
  });
});

describe('full.json', () => {
  it("holds the violations that src/trace/budgets.ts's violations() finds in it", () => {
    const bundle = full();
    expect(violations(bundle)).toEqual(bundle.violations);
  });
});
