/**
 * The pure parts of summarize(): the search-to-metrics filter translation
 * (a table, and the same answers and reasons as the Python twin), the
 * epoch-aligned grid and its 1000-bucket limit, percentiles against
 * hand-computed values, Python's round(x, 3), and the aggregation of trace
 * infos into every bucket.
 */
import { execFileSync } from 'child_process';
import {
  aggregateTraceInfos,
  durationStringMs,
  latencyPercentiles,
  parseIntervalSeconds,
  percentile,
  roundFigure,
  SummaryGrid
} from '../../../src/trace/aggregate';
import { translateMetricsFilter } from '../../../src/trace/metricsfilter';
import { ITraceInfoV3 } from '../../../src/trace';
import { metricValueKey, traceMetricsBody } from '../../../src/client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT } = require('../../../scripts/lib/paths.cjs');

/** Runs `script` with the package importable; its stdout parsed as JSON. */
function python(script: string, input: unknown): any {
  return JSON.parse(
    execFileSync(PYTHON, ['-c', script, JSON.stringify(input)], {
      cwd: ROOT,
      encoding: 'utf8'
    })
  );
}

const FILTERS: [string | undefined, string[] | null][] = [
  [undefined, []],
  ['  ', []],
  ["tags.version = 'v2'", ["trace.tag.version = 'v2'"]],
  ['tag.version = "v2"', ["trace.tag.version = 'v2'"]],
  [
    "tags.version = 'v2' AND metadata.segment = 'pro'",
    ["trace.tag.version = 'v2'", "trace.metadata.segment = 'pro'"]
  ],
  ["request_metadata.segment = 'pro'", ["trace.metadata.segment = 'pro'"]],
  [
    "metadata.`mlflow.trace.user` = 'carol' and status = 'ERROR'",
    ["trace.metadata.`mlflow.trace.user` = 'carol'", "trace.status = 'ERROR'"]
  ],
  [
    "tags.mlflow.traceName = 'agent'",
    ["trace.tag.`mlflow.traceName` = 'agent'"]
  ],
  ["attributes.status = 'OK'", ["trace.status = 'OK'"]],
  // MLflow's search_traces reads trace.status as the status too
  ["trace.status = 'ERROR'", ["trace.status = 'ERROR'"]],
  ["tags.a = 'x AND y'", ["trace.tag.a = 'x AND y'"]],
  ["tags.version != 'v2'", null],
  ["tags.version LIKE 'v%'", null],
  ["tags.version = 'v1' OR tags.version = 'v2'", null],
  ["span.type = 'TOOL'", null],
  ['attributes.timestamp_ms > 5', null],
  ['tags.a = "it\'s"', null],
  ["tags.`a b` = 'x'", null],
  ["tags.version = 'v2", null],
  // search_traces reads name and run_id, whatever the prefix and case, as the
  // trace name and the source run; QueryTraceMetrics reads these the same way
  ["name = 'agent'", ["trace.tag.`mlflow.traceName` = 'agent'"]],
  ["tags.name = 'agent'", ["trace.tag.`mlflow.traceName` = 'agent'"]],
  ["tags.NAME = 'agent'", ["trace.tag.`mlflow.traceName` = 'agent'"]],
  ["metadata.`Name` = 'agent'", ["trace.tag.`mlflow.traceName` = 'agent'"]],
  ["metadata.Run_Id = 'r1'", ["trace.metadata.`mlflow.sourceRun` = 'r1'"]],
  ["tags.run_id = 'r1'", ["trace.metadata.`mlflow.sourceRun` = 'r1'"]],
  // and these as something QueryTraceMetrics has no filter for
  ["tags.prompt = 'p/1'", null],
  ["metadata.TEXT = 'x'", null],
  ["tags.timestamp = '5'", null],
  ["tags.Execution_Time = '5'", null],
  ["attributes.end_time = '5'", null],
  // prefixes and attribute keys only as written, as search_traces takes them
  ["TAGS.x = 'v'", null],
  ["Tags.x = 'v'", null],
  ["attributes.STATUS = 'OK'", null],
  ["NAME = 'agent'", null],
  ["tags.STATUS = 'v'", ["trace.tag.STATUS = 'v'"]],
  [
    "tags.a = 'x' AnD\ttags.b = 'y'",
    ["trace.tag.a = 'x'", "trace.tag.b = 'y'"]
  ],
  // keys search_traces (sqlparse) cannot parse bare
  ["tags.a-b = 'v'", null],
  ["tags.`a-b` = 'v'", ["trace.tag.`a-b` = 'v'"]],
  ["tags.a.9 = 'v'", null],
  ["tags.1e5 = 'v'", null],
  ["tags.from = 'v'", null],
  ["tags.`from` = 'v'", ["trace.tag.`from` = 'v'"]],
  // one whitespace in both twins: space, tab, CR, LF; and no $ before a newline
  [' \t\r\n', []],
  ["tags.`a\n` = 'v'", null],
  ["tags.a = 'x'\x1cAND tags.b = 'y'", null],
  ["tags.a\x1c= 'x'", null],
  ["tags.a = 'x'\ufeff", null],
  ['\ufeff', null],
  ['\x1c', null],
  ["tags.a = 'x'\u00a0AND tags.b = 'y'", null],
  ["tags.\u00e9 = 'x'", null]
];

/** Runs `script` with test/python importable too (filter_meaning.py). */
function pythonTests(script: string, input: unknown): any {
  return python(
    ["import sys; sys.path.insert(0, 'test/python')", script].join('\n'),
    input
  );
}

describe('translateMetricsFilter', () => {
  it.each(FILTERS.map(([f, out]) => [String(f), f, out] as const))(
    '%s',
    (_, filter, expected) => {
      const translated = translateMetricsFilter(filter);
      expect(translated.filters).toEqual(expected);
      if (translated.filters === null) {
        expect((translated as { reason: string }).reason).toMatch(
          /^QueryTraceMetrics /
        );
      }
    }
  );

  it('gives the same filters and reasons as the Python twin (_summary_filter.py)', () => {
    const filters = FILTERS.map(([f]) => f ?? null);
    const script = [
      'import json, sys',
      'from jupyterlab_mlflow_traces._summary_filter import translate_filter',
      'out = [translate_filter(f) for f in json.loads(sys.argv[1])]',
      'print(json.dumps([{"filters": t.filters, "reason": t.reason} for t in out]))'
    ].join('\n');
    const expected = python(script, filters);
    const written = filters.map(f => {
      const t = translateMetricsFilter(f);
      return { filters: t.filters, reason: 'reason' in t ? t.reason : null };
    });
    expect(written).toEqual(expected);
  });

  it("means to MLflow's own parsers what the search filter means, for each translation of the table", () => {
    const translated = FILTERS.map(([f]) => [
      f ?? null,
      translateMetricsFilter(f).filters
    ]);
    const script = [
      'import json',
      'from filter_meaning import meaning_problem',
      'pairs = json.loads(sys.argv[1])',
      'print(json.dumps([p for f, t in pairs if (p := meaning_problem(f, t))]))'
    ].join('\n');
    expect(pythonTests(script, translated)).toEqual([]);
  });

  it("gives the Python twin's filters and reasons for generated filters too", () => {
    const script = [
      'import json',
      'from filter_meaning import generated_filters',
      'from jupyterlab_mlflow_traces._summary_filter import translate_filter',
      'texts = generated_filters(7, 3000)',
      'out = [{"filters": t.filters, "reason": t.reason} for t in map(translate_filter, texts)]',
      'print(json.dumps({"texts": texts, "out": out}))'
    ].join('\n');
    const { texts, out } = pythonTests(script, null);
    const written = (texts as string[]).map(f => {
      const t = translateMetricsFilter(f);
      return { filters: t.filters, reason: 'reason' in t ? t.reason : null };
    });
    expect(written).toEqual(out);
    expect(written.filter(t => t.filters !== null).length).toBeGreaterThan(80);
  });
});

describe('the grid of buckets', () => {
  it('runs from the bucket holding the start to the one holding the end, aligned to the epoch', () => {
    // 00:20 to 02:59:59.999 in 90-minute buckets: 00:00 and 01:30 (5400 s)
    const grid = new SummaryGrid(1796084400000, 1796093999999, 5400);
    expect(grid.starts()).toEqual([1796083200000, 1796088600000]);
    expect(grid.index(1796088599999)).toBe(0);
    expect(grid.index(1796088600000)).toBe(1);
  });

  it('holds one bucket for a range inside one interval, the end inclusive', () => {
    expect(new SummaryGrid(3_600_000, 3_600_000, 3600).starts()).toEqual([
      3_600_000
    ]);
    expect(new SummaryGrid(0, 7_199_999, 3600).count).toBe(2);
    expect(new SummaryGrid(0, 7_200_000, 3600).count).toBe(3);
  });

  it('refuses more than 1000 buckets, naming the numbers, and a reversed range', () => {
    expect(new SummaryGrid(0, 999 * 60_000, 60).count).toBe(1000);
    expect(() => new SummaryGrid(0, 1000 * 60_000, 60)).toThrow(
      '1001 buckets of 60 s from 0 to 60000000 ms: at most 1000; ' +
        'use an interval of at least 61 s or a shorter range'
    );
    expect(() => new SummaryGrid(10, 9, 60)).toThrow(
      'the range 10..9 ms is empty or before 1970'
    );
  });

  it('reads intervals as seconds or with a unit, as the Python twin does', () => {
    expect(
      ['1h', '15m', '15min', '1d', ' 90 s ', '120', 30].map(
        parseIntervalSeconds
      )
    ).toEqual([3600, 900, 900, 86400, 90, 120, 30]);
    expect(() => parseIntervalSeconds('1.5h')).toThrow(
      "interval '1.5h': write seconds or e.g. '15m', '1h', '1d'"
    );
    expect(() => parseIntervalSeconds(0.5)).toThrow(
      'interval 0.5: a whole number of seconds, at least 1'
    );
  });
});

describe('percentiles', () => {
  it('interpolates linearly between closest ranks (hand-computed)', () => {
    const v = [100, 150, 250, 300, 500, 700, 1000];
    // index = p/100 * 6
    expect(percentile(v, 50)).toBe(300); // 3
    expect(percentile(v, 90)).toBe(820.0000000000001); // 5.4: 700 + 0.4 * 300
    expect(percentile(v, 99)).toBe(700 + (0.99 * 6 - 5) * 300); // 5.94
    expect(percentile(v, 95.5)).toBe(918.9999999999999); // the server's answer
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNull();
    // the reference bundle's second bucket: 250 and 1000
    expect(latencyPercentiles([1000, 250])).toEqual({
      p50: 625,
      p90: 925,
      p99: 992.5
    });
  });

  it('rounds as Python round(x, 3): half to even on the exact binary value', () => {
    const values = [
      820.0000000000001,
      918.9999999999999,
      1.0625,
      1.0635,
      2.5e-4,
      0.0005,
      123.4565,
      0.1 + 0.2,
      5.0005,
      1e15 + 0.25,
      7.1875
    ];
    const expected = python(
      'import json, sys\nprint(json.dumps([round(v, 3) for v in json.loads(sys.argv[1])]))',
      values
    );
    expect(values.map(roundFigure)).toEqual(expected);
    expect(roundFigure(820.0000000000001)).toBe(820);
    expect(roundFigure(1.0625)).toBe(1.062);
  });

  it('reads protobuf durations exactly', () => {
    expect(
      ['0.300s', '1s', '0.1s', '12.3456789s', '0.000001s', 'x'].map(
        durationStringMs
      )
    ).toEqual([300, 1000, 100, 12345.6789, 0.001, null]);
  });
});

describe('aggregateTraceInfos', () => {
  const H = 3_600_000;
  const BASE = 1796083200000;
  const info = (
    offsetMs: number,
    latency: string | undefined,
    state: 'OK' | 'ERROR' | 'IN_PROGRESS',
    usage?: Record<string, unknown> | string
  ): ITraceInfoV3 => ({
    trace_id: `tr-${offsetMs}`,
    request_time: new Date(BASE + offsetMs).toISOString(),
    ...(latency ? { execution_duration: latency } : {}),
    state,
    trace_metadata:
      usage === undefined
        ? {}
        : {
            'mlflow.trace.tokenUsage':
              typeof usage === 'string' ? usage : JSON.stringify(usage)
          }
  });

  it('fills every bucket, empty ones with 0 traces and null latency and tokens', () => {
    const infos = [
      info(5 * 60_000, '0.1s', 'OK', { input_tokens: 100, output_tokens: 20 }),
      info(20 * 60_000, '0.3s', 'OK', {
        input_tokens: 200,
        output_tokens: 0,
        cache_read_input_tokens: 10
      }),
      info(40 * 60_000, '0.7s', 'ERROR', { input_tokens: 50 }),
      info(H + 10 * 60_000, undefined, 'IN_PROGRESS'),
      info(3 * H - 1, '1s', 'OK', 'not json'),
      info(3 * H, '9s', 'OK') // after the inclusive end
    ];
    const grid = new SummaryGrid(BASE, BASE + 3 * H - 1, 3600);
    const { buckets, totals } = aggregateTraceInfos(infos, grid);
    const none = {
      input: null,
      output: null,
      cache_read: null,
      cache_write: null
    };
    expect(buckets).toEqual([
      {
        start_time_ms: BASE,
        traces: 3,
        errors: 1,
        latency_ms: { p50: 300, p90: 620, p99: 692 },
        tokens: { input: 350, output: 20, cache_read: 10, cache_write: null }
      },
      {
        start_time_ms: BASE + H,
        traces: 1,
        errors: 0,
        latency_ms: null,
        tokens: none
      },
      {
        start_time_ms: BASE + 2 * H,
        traces: 1,
        errors: 0,
        latency_ms: { p50: 1000, p90: 1000, p99: 1000 },
        tokens: none
      }
    ]);
    expect(totals).toEqual({
      traces: 5,
      errors: 1,
      latency_ms: { p50: 500, p90: 910, p99: 991 }, // 100, 300, 700, 1000
      tokens: { input: 350, output: 20, cache_read: 10, cache_write: null }
    });
  });
});

describe('the QueryTraceMetrics request', () => {
  it('is written as MLflow 3.17.2 reads it: enums by name, optional fields only when given', () => {
    expect(
      traceMetricsBody({
        experimentIds: ['1'],
        viewType: 'TRACES',
        metricName: 'latency',
        aggregations: [{ type: 'PERCENTILE', percentile: 50 }, { type: 'SUM' }],
        dimensions: ['trace_status'],
        filters: ["trace.tag.version = 'v2'"],
        timeIntervalSeconds: 3600,
        startTimeMs: 0,
        endTimeMs: 7_199_999,
        maxResults: 30
      })
    ).toEqual({
      experiment_ids: ['1'],
      view_type: 'TRACES',
      metric_name: 'latency',
      aggregations: [
        { aggregation_type: 'PERCENTILE', percentile_value: 50 },
        { aggregation_type: 'SUM' }
      ],
      dimensions: ['trace_status'],
      filters: ["trace.tag.version = 'v2'"],
      time_interval_seconds: 3600,
      start_time_ms: 0,
      end_time_ms: 7_199_999,
      max_results: 30
    });
    expect(
      traceMetricsBody({
        experimentIds: ['1'],
        viewType: 'TRACES',
        metricName: 'trace_count',
        aggregations: [{ type: 'COUNT' }]
      })
    ).toEqual({
      experiment_ids: ['1'],
      view_type: 'TRACES',
      metric_name: 'trace_count',
      aggregations: [{ aggregation_type: 'COUNT' }]
    });
  });

  it("keys the answer's values as the server does: P50.0, P95.5, SUM", () => {
    expect(
      [
        { type: 'PERCENTILE', percentile: 50 } as const,
        { type: 'PERCENTILE', percentile: 95.5 } as const,
        { type: 'SUM' } as const
      ].map(metricValueKey)
    ).toEqual(['P50.0', 'P95.5', 'SUM']);
  });
});
