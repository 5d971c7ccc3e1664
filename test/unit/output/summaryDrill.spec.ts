/**
 * The search behind a picked bucket or span row of a summary: the summary's
 * filter AND the bucket's request times (clipped to the range), AND the
 * span name or type when a filter string can carry it.
 */
import fs from 'fs';
import path from 'path';
import { decodeTraceSummaryBundle } from '../../../src/bundle';
import {
  bucketRange,
  drillQuery,
  filterLiteral
} from '../../../src/output/summaryDrill';
import { IQuerySummary } from '../../../src/trace';

function summary(): IQuerySummary {
  const file = path.resolve(
    __dirname,
    '../../../contract/examples/trace-summary/full.json'
  );
  return decodeTraceSummaryBundle(JSON.parse(fs.readFileSync(file, 'utf8')))
    .summary!;
}

const START = 1796083200000;
const HOUR = 3600000;

describe('drillQuery', () => {
  it("narrows a bucket to its request times, after the summary's filter", () => {
    const query = drillQuery(summary(), { kind: 'bucket', index: 1 })!;
    expect(query.experimentIds).toEqual(['1']);
    expect(query.filter).toBe(
      `tags.env = 'prod' AND attributes.timestamp_ms >= ${START + HOUR} AND attributes.timestamp_ms <= ${START + 2 * HOUR - 1}`
    );
    expect(query.caption).toBe(
      'Traces of 2026-12-01 01:00 UTC + 1 h, slowest first'
    );
    expect(query.notes).toEqual([]);
  });

  it('clips a bucket to the query range, and goes without a filter when there is none', () => {
    const s = summary();
    s.query.startTimeMs = START + 30 * 60000;
    s.query.endTimeMs = START + 3 * HOUR + 60000;
    delete s.query.filter;
    expect(bucketRange(s, 0)).toEqual({
      fromMs: START + 30 * 60000,
      toMs: START + HOUR - 1
    });
    expect(drillQuery(s, { kind: 'bucket', index: 3 })!.filter).toBe(
      `attributes.timestamp_ms >= ${START + 3 * HOUR} AND attributes.timestamp_ms <= ${START + 3 * HOUR + 60000}`
    );
  });

  it('narrows a span row to the range and its span name or type', () => {
    const s = summary();
    const byName = drillQuery(s, {
      kind: 'span',
      field: 'span_name',
      key: 'retrieve'
    })!;
    expect(byName.filter).toBe(
      `tags.env = 'prod' AND attributes.timestamp_ms >= ${START} AND attributes.timestamp_ms <= ${START + 4 * HOUR - 1} AND span.name = 'retrieve'`
    );
    expect(byName.caption).toBe(
      'Traces with a span of span name retrieve, slowest first'
    );
    const byType = drillQuery(s, {
      kind: 'span',
      field: 'span_type',
      key: "it's"
    })!;
    expect(byType.filter).toMatch(/ AND span\.type = "it's"$/);
  });

  it('lists the range and says so when no quote can carry the span name', () => {
    const key = `both ' and "`;
    const query = drillQuery(summary(), {
      kind: 'span',
      field: 'span_name',
      key
    })!;
    expect(query.filter).not.toContain('span.name');
    expect(query.caption).toBe('Traces of the range, slowest first');
    expect(query.notes).toEqual([
      "A search filter cannot carry this span name (it holds both quote characters or ends in a backslash): these are all the range's traces, not only those with such a span."
    ]);
  });

  it('picks nothing for a bucket that does not exist', () => {
    expect(drillQuery(summary(), { kind: 'bucket', index: 9 })).toBeNull();
  });
});

describe('filterLiteral', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`'"`, null],
    ['ends\\', null],
    ['a\\b', "'a\\b'"]
  ])('%s → %s', (value, literal) => {
    expect(filterLiteral(value)).toBe(literal);
  });
});
