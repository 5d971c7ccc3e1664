/**
 * The trace-summary model and its scales: series with absent values kept
 * absent (gaps, not zeros), stacked tokens, domains, line paths broken at
 * gaps, and the formatting rules of its text.
 */
import {
  errorRate,
  figuresText,
  formatIntervalSeconds,
  formatPercent,
  formatUtcMs,
  formatUtcTickMs,
  IQuerySummary,
  ITimeBucket,
  summarySeries,
  tokenStack
} from '../../../src/trace';
import {
  bucketScale,
  CHART_MARGIN_PX,
  linePath,
  tickIndices,
  valueScale
} from '../../../src/view/summary/scales';

const HOUR_MS = 3_600_000;
const NO_TOKENS = {
  input: null,
  output: null,
  cacheRead: null,
  cacheWrite: null
};

function bucket(
  i: number,
  traces: number,
  errors: number,
  p50: number | null
): ITimeBucket {
  return {
    startTimeMs: i * HOUR_MS,
    traces,
    errors,
    latencyMs: p50 === null ? null : { p50, p90: p50 * 2, p99: p50 * 3 },
    tokens: traces ? { ...NO_TOKENS, input: 10 * traces, output: 5 } : NO_TOKENS
  };
}

function summaryOf(buckets: ITimeBucket[]): IQuerySummary {
  return {
    query: {
      experimentIds: ['1'],
      startTimeMs: 0,
      endTimeMs: buckets.length * HOUR_MS - 1,
      intervalSeconds: 3600
    },
    source: 'server',
    buckets,
    totals: buckets[0]
  };
}

describe('summary series', () => {
  const summary = summaryOf([
    bucket(0, 4, 1, 100),
    bucket(1, 0, 0, null),
    bucket(2, 2, 2, 300),
    bucket(3, 1, 0, 50)
  ]);
  const series = summarySeries(summary);

  it('keeps empty buckets absent: no rate, no latency, no tokens', () => {
    expect(series.errorRate).toEqual([0.25, null, 1, 0]);
    expect(series.latencyMs.p50).toEqual([100, null, 300, 50]);
    expect(series.latencyMs.p99).toEqual([300, null, 900, 150]);
    expect(series.tokenStacks[1]).toEqual([]);
    expect(series.maxTraces).toBe(4);
    expect(series.maxLatencyMs).toBe(900);
    expect(series.maxTokens).toBe(45);
  });

  it('stacks only the recorded token counts, in order', () => {
    expect(
      tokenStack({ input: 3, output: null, cacheRead: 0, cacheWrite: 2 })
    ).toEqual([
      { kind: 'input', from: 0, to: 3 },
      { kind: 'cacheRead', from: 3, to: 3 },
      { kind: 'cacheWrite', from: 3, to: 5 }
    ]);
  });

  it('has no error rate for an unknown or empty count', () => {
    expect(errorRate({ ...summary.buckets[0], traces: null })).toBeNull();
    expect(errorRate(summary.buckets[1])).toBeNull();
  });

  it('breaks a line at a gap instead of dropping to zero', () => {
    const x = bucketScale(4, 400);
    const y = valueScale(series.maxLatencyMs);
    const d = linePath(series.latencyMs.p50, x, y);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d).not.toContain(`,${y(0)}`);
    expect(linePath([null, null], x, y)).toBe('');
  });

  it('spans the plot with one band per bucket and nice value domains', () => {
    const x = bucketScale(4, 400);
    expect(x.range()).toEqual([
      CHART_MARGIN_PX.left,
      400 - CHART_MARGIN_PX.right
    ]);
    expect(x(0)!).toBeGreaterThan(CHART_MARGIN_PX.left);
    expect(x(3)! + x.bandwidth()).toBeLessThan(400 - CHART_MARGIN_PX.right);
    expect(valueScale(900).domain()).toEqual([0, 1000]);
    expect(valueScale(0).domain()).toEqual([0, 1]);
    // Narrow bands: labels are thinned so they do not overlap.
    expect(tickIndices(bucketScale(4, 400))).toEqual([0, 1, 2, 3]);
    expect(tickIndices(bucketScale(100, 400)).length).toBeLessThan(10);
  });
});

describe('summary text', () => {
  it('formats UTC times, intervals and percentages', () => {
    expect(formatUtcMs(1796083200000)).toBe('2026-12-01 00:00 UTC');
    expect(formatUtcMs(1796093999999)).toBe('2026-12-01 02:59:59.999 UTC');
    expect(formatUtcMs(null)).toBe('–');
    expect(formatUtcTickMs(1796086800000, 3600)).toBe('01:00');
    expect(formatUtcTickMs(1796086800000, 86_400)).toBe('12-01');
    expect(formatIntervalSeconds(3600)).toBe('1 h');
    expect(formatIntervalSeconds(900)).toBe('15 min');
    expect(formatIntervalSeconds(172_800)).toBe('2 d');
    expect(formatIntervalSeconds(90)).toBe('90 s');
    expect(formatPercent(1 / 3)).toBe('33.3%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('–');
  });

  it('writes a bucket figures as one line, absent ones as –', () => {
    expect(figuresText(bucket(1, 0, 0, null))).toBe(
      '0 traces, 0 errors, p50 –, p90 –, p99 –, tokens input –, output –, cache read –, cache write –'
    );
    expect(figuresText(bucket(0, 1, 1, 1500))).toBe(
      '1 trace, 1 error (100%), p50 1.5 s, p90 3 s, p99 4.5 s, tokens input 10, output 5, cache read –, cache write –'
    );
  });
});
