/**
 * The pure rules of the extended summary, TypeScript side: budgets (camelCase
 * in, the schema's snake_case out, a clear error for each bad key or value),
 * violations() in its documented order and the same as the Python twin's on
 * the same payloads, group_by parsing, span rows (ranking, rounding, shares,
 * budgeted rows), quality values as MLflow maps them (Python's json.dumps
 * text), fsum and Python's round().
 */
import { execFileSync } from 'child_process';
import { fsum, roundDecimals, SummaryGrid } from '../../../src/trace/aggregate';
import {
  IBudgetedPayload,
  parseBudgets,
  violationLine,
  violations
} from '../../../src/trace/budgets';
import {
  parseGroupBy,
  segmentsNote,
  topSegmentValues
} from '../../../src/trace/groupby';
import {
  assessmentFacts,
  assessmentNumber,
  pyJsonDumps,
  QualityTallies
} from '../../../src/trace/quality';
import {
  emptyRowFigures,
  ISpanRowFigures,
  MAX_SPAN_ROWS,
  spanFacts,
  spanRowsJson
} from '../../../src/trace/spanrows';
import { ITraceInfoV3 } from '../../../src/trace';

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

const HOUR = 3_600_000;
const T0 = 1796083200000;

function figures(
  traces: number,
  errors: number,
  p90: number | null,
  cost: number | null
) {
  return {
    traces,
    errors,
    latency_ms: p90 === null ? null : { p50: 1, p90, p99: p90 },
    tokens: { input: null, output: null, cache_read: null, cache_write: null },
    cost: { input: null, output: null, total: cost }
  };
}

function row(key: string, count: number, p90: number | null) {
  return {
    key,
    count,
    errors: 0,
    total_ms: 0,
    share_time: null,
    latency_ms: p90 === null ? null : { p50: 0, p90 },
    cost: null,
    share_cost: null
  };
}

const PAYLOAD: IBudgetedPayload = {
  query: {
    budgets: {
      error_rate: 0.25,
      latency_p90_ms: 1000,
      cost_per_trace: 0.01,
      spans: [
        { span_name: 'llm', p90_ms: 500 },
        { span_type: 'TOOL', p90_ms: 100 },
        { span_name: 'absent', p90_ms: 1 }
      ]
    }
  },
  totals: figures(10, 3, 1200, 0.2),
  buckets: [
    { start_time_ms: T0, ...figures(4, 2, 900, 0.01) },
    { start_time_ms: T0 + HOUR, ...figures(0, 0, null, null) },
    { start_time_ms: T0 + 2 * HOUR, ...figures(6, 1, 1000.0000001, 0.19) }
  ],
  segments: [
    { value: 'v1', totals: figures(3, 1, 100, null) },
    { value: 'v2', totals: figures(7, 2, 1500, null) }
  ],
  spans: {
    by_name: [row('llm', 5, 500.5), row('absent', 0, null)],
    by_type: [row('TOOL', 2, 100)]
  }
};

describe('violations', () => {
  it('lists the broken budgets in order: range, buckets, spans, segments; strictly greater breaks', () => {
    expect(violations(PAYLOAD)).toEqual([
      {
        budget: 'error_rate',
        subject: 'traces',
        limit: 0.25,
        value: 0.3
      },
      { budget: 'latency_p90_ms', subject: 'traces', limit: 1000, value: 1200 },
      { budget: 'cost_per_trace', subject: 'traces', limit: 0.01, value: 0.02 },
      {
        budget: 'error_rate',
        subject: 'traces',
        start_time_ms: T0,
        limit: 0.25,
        value: 0.5
      },
      {
        budget: 'latency_p90_ms',
        subject: 'traces',
        start_time_ms: T0 + 2 * HOUR,
        limit: 1000,
        value: 1000
      },
      {
        budget: 'cost_per_trace',
        subject: 'traces',
        start_time_ms: T0 + 2 * HOUR,
        limit: 0.01,
        value: 0.031667
      },
      {
        budget: 'span_p90_ms',
        subject: 'llm',
        span_field: 'span_name',
        limit: 500,
        value: 500.5
      },
      {
        budget: 'error_rate',
        subject: 'traces',
        segment: 'v1',
        limit: 0.25,
        value: 0.333333
      },
      {
        budget: 'error_rate',
        subject: 'traces',
        segment: 'v2',
        limit: 0.25,
        value: 0.285714
      },
      {
        budget: 'latency_p90_ms',
        subject: 'traces',
        segment: 'v2',
        limit: 1000,
        value: 1500
      }
    ]);
  });

  it('equals the Python twin on the same payloads', () => {
    const payloads = [
      PAYLOAD,
      { ...PAYLOAD, query: {} },
      { ...PAYLOAD, query: { budgets: { latency_p90_ms: 0 } } },
      { ...PAYLOAD, segments: undefined, spans: undefined }
    ].map(p => JSON.parse(JSON.stringify(p)));
    const fromPython = python(
      'import json, sys\n' +
        'from jupyterlab_mlflow_traces._summary_violations import violations\n' +
        'print(json.dumps([violations(p) for p in json.loads(sys.argv[1])]))',
      payloads
    );
    expect(payloads.map(violations)).toEqual(fromPython);
  });

  it('prints a violation as one line naming the budget, the value, the limit and where', () => {
    const [range] = violations(PAYLOAD);
    const bucket = violations(PAYLOAD).find(v => v.start_time_ms === T0);
    expect(violationLine(range)).toBe(
      'budget broken: error_rate of traces 0.3 > 0.25 over the range'
    );
    expect(violationLine(bucket!)).toBe(
      'budget broken: error_rate of traces 0.5 > 0.25 in the bucket from 2026-12-01T00:00Z'
    );
    const segment = violations(PAYLOAD).find(v => v.segment === 'v1');
    expect(violationLine(segment!, { kind: 'tag', key: 'version' })).toBe(
      "budget broken: error_rate of traces 0.333333 > 0.25 where tag version = 'v1' over the range"
    );
    const span = violations(PAYLOAD).find(v => v.budget === 'span_p90_ms');
    expect(violationLine(span!)).toBe(
      "budget broken: span_p90_ms of span name 'llm' 500.5 > 500 over the range"
    );
  });
});

describe('parseBudgets', () => {
  it('writes camelCase budgets in the schema snake_case', () => {
    expect(
      parseBudgets({
        errorRate: 0,
        latencyP90Ms: 2000,
        costPerTrace: 0.5,
        spans: [
          { spanName: 'llm', p90Ms: 800 },
          { spanType: 'TOOL', p90Ms: 0 }
        ]
      })
    ).toEqual({
      error_rate: 0,
      latency_p90_ms: 2000,
      cost_per_trace: 0.5,
      spans: [
        { span_name: 'llm', p90_ms: 800 },
        { span_type: 'TOOL', p90_ms: 0 }
      ]
    });
    expect(parseBudgets({})).toEqual({});
  });

  it.each([
    [
      null,
      /budgets must be an object such as \{ errorRate: 0\.05 \}, not null/
    ],
    [[1], /budgets must be an object/],
    [
      { error_rate: 0.1 },
      /unknown key 'error_rate'; the budgets are errorRate, latencyP90Ms, costPerTrace, spans/
    ],
    [{ errorRate: 1.5 }, /errorRate is a share of traces, at most 1, not 1.5/],
    [{ errorRate: -0.1 }, /errorRate must be a number of at least 0, not -0.1/],
    [
      { latencyP90Ms: '2s' },
      /latencyP90Ms must be a number of at least 0, not '2s'/
    ],
    [
      { costPerTrace: NaN },
      /costPerTrace must be a number of at least 0, not NaN/
    ],
    [{ latencyP90Ms: Infinity }, /latencyP90Ms must be a number/],
    [{ spans: { spanName: 'x' } }, /spans must be a list/],
    [
      { spans: [7] },
      /spans\[0\] must be \{spanName or spanType, p90Ms\}, not 7/
    ],
    [
      { spans: [{ p90Ms: 1 }] },
      /spans\[0\] must name exactly one of spanName and spanType/
    ],
    [
      { spans: [{ spanName: 'a', spanType: 'B', p90Ms: 1 }] },
      /exactly one of spanName and spanType/
    ],
    [
      { spans: [{ spanName: '', p90Ms: 1 }] },
      /spans\[0\]\.spanName must be a non-empty string, not ''/
    ],
    [
      { spans: [{ spanName: 'a' }] },
      /spans\[0\]\.p90Ms must be a number of at least 0, not undefined/
    ],
    [
      { spans: [{ span_name: 'a', p90Ms: 1 }] },
      /spans\[0\] has the unknown key 'span_name'/
    ]
  ])('rejects %j', (budgets, message) => {
    expect(() => parseBudgets(budgets)).toThrow(message);
  });
});

describe('parseGroupBy', () => {
  it.each([
    ['tags.version', { kind: 'tag', key: 'version' }],
    ['tag.version', { kind: 'tag', key: 'version' }],
    [' metadata.segment ', { kind: 'metadata', key: 'segment' }],
    ['request_metadata.segment', { kind: 'metadata', key: 'segment' }],
    ['tags.`my key`', { kind: 'tag', key: 'my key' }],
    [
      'metadata.mlflow.trace.user',
      { kind: 'metadata', key: 'mlflow.trace.user' }
    ]
  ])('reads %j', (text, expected) => {
    expect(parseGroupBy(text)).toEqual(expected);
  });

  it.each([
    [
      'version',
      /groupBy 'version': write a tag or metadata key as in search_traces/
    ],
    [
      'attributes.status',
      /'attributes' is not a tag or metadata prefix \(tags, tag, metadata, request_metadata\)/
    ],
    ['TAGS.version', /'TAGS' is not a tag or metadata prefix/],
    ['tags.', /groupBy 'tags.': write a tag/],
    ['tags.a b', /write a tag or metadata key/],
    [42, /groupBy 42: write a tag/]
  ])('rejects %j with a clear error', (text, message) => {
    expect(() => parseGroupBy(text)).toThrow(message);
  });

  it('agrees with the Python twin on what it accepts', () => {
    const texts = [
      'tags.version',
      'tag.`a b`',
      'metadata.x.y',
      'TAGS.v',
      'tags.',
      'x'
    ];
    const fromPython = python(
      'import json, sys\n' +
        'from jupyterlab_mlflow_traces._summary_options import parse_group_by\n' +
        'out = []\n' +
        'for t in json.loads(sys.argv[1]):\n' +
        '    try: out.append(parse_group_by(t))\n' +
        '    except ValueError: out.append(None)\n' +
        'print(json.dumps(out))',
      texts
    );
    const ours = texts.map(t => {
      try {
        return parseGroupBy(t);
      } catch {
        return null;
      }
    });
    expect(ours).toEqual(fromPython);
  });
});

describe('segments', () => {
  const info = (tags: Record<string, string>) =>
    ({ trace_id: 'tr-1', tags }) as unknown as ITraceInfoV3;

  it('keeps the 12 most common values, biggest first, ties by value; traces without the key in none', () => {
    const infos = [
      ...Array.from({ length: 14 }, (_, i) => info({ v: `k${i % 14}` })),
      info({ v: 'k3' }),
      info({ v: 'k5' }),
      info({ v: 'k5' }),
      info({})
    ];
    expect(topSegmentValues(infos, { kind: 'tag', key: 'v' })).toEqual([
      'k5',
      'k3',
      'k0',
      'k1',
      'k10',
      'k11',
      'k12',
      'k13',
      'k2',
      'k4',
      'k6',
      'k7'
    ]);
  });

  it('says how the values were found and how many traces are in none', () => {
    const group = { kind: 'tag' as const, key: 'version' };
    expect(segmentsNote(group, 40, 40, 40)).toBe(
      'values of tag version from the 40 traces in range'
    );
    expect(segmentsNote(group, 2000, 5000, 4997)).toBe(
      'values of tag version from the newest 2,000 of 5,000 traces; 3 traces in no segment'
    );
  });
});

describe('span rows', () => {
  const figures = (count: number, avgMs: number | null): ISpanRowFigures => ({
    ...emptyRowFigures(),
    count,
    avgMs,
    p50Ms: avgMs,
    p90Ms: avgMs
  });

  it('ranks by total_ms then key, keeps 12, then budgeted keys in order (absent ones with count 0)', () => {
    const rows = new Map<string, ISpanRowFigures>();
    for (let i = 0; i < 15; i++) {
      rows.set(`s${String(i).padStart(2, '0')}`, figures(1, i % 5));
    }
    const json = spanRowsJson(rows, ['s00', 'nothing'], 100, null);
    expect(json.map(r => r.key)).toEqual([
      's04',
      's09',
      's14',
      's03',
      's08',
      's13',
      's02',
      's07',
      's12',
      's01',
      's06',
      's11',
      's00',
      'nothing'
    ]);
    expect(json).toHaveLength(MAX_SPAN_ROWS + 2);
    expect(json[json.length - 1]).toEqual({
      key: 'nothing',
      count: 0,
      errors: 0,
      total_ms: 0,
      share_time: 0,
      latency_ms: null,
      cost: null,
      share_cost: null
    });
  });

  it('rounds total_ms to 3, cost to 9 and shares to 6 decimals, shares from the rounded figures', () => {
    const rows = new Map([['llm', { ...figures(3, 1 / 3), cost: 0.1 + 0.2 }]]);
    const [json] = spanRowsJson(rows, [], 3, 0.9000000001);
    expect(json.total_ms).toBe(1);
    expect(json.share_time).toBe(0.333333);
    expect(json.cost).toBe(0.3);
    expect(json.share_cost).toBe(0.333333);
    // no cost in the range: no row has one
    expect(spanRowsJson(rows, [], 3, null)[0].cost).toBeNull();
    // no time known: no share of it
    expect(spanRowsJson(rows, [], null, null)[0].share_time).toBeNull();
  });

  it('reads a span dict as the server stores it: exact nanoseconds, status, type, recorded cost only', () => {
    const facts = spanFacts({
      name: 'llm',
      start_time_unix_nano: '1796083200000000001',
      end_time_unix_nano: '1796083200250000001',
      status: { code: 'STATUS_CODE_ERROR' },
      attributes: {
        'mlflow.spanType': '"LLM"',
        'mlflow.llm.cost': '{"input_cost": 0.001, "total_cost": "0.5"}'
      }
    });
    expect(facts).toEqual({
      name: 'llm',
      type: 'LLM',
      error: true,
      startMs: 1796083200000,
      latencyMs: 250,
      cost: { input: 0.001, output: null, total: null }
    });
    const open = spanFacts({
      name: 'x',
      start_time_unix_nano: 5_000_000,
      end_time_unix_nano: null,
      status: { code: 'STATUS_CODE_OK' },
      attributes: {}
    });
    expect([open.type, open.error, open.latencyMs]).toEqual([
      null,
      false,
      null
    ]);
  });
});

describe('quality', () => {
  it('maps values as MLflow aggregates them', () => {
    expect(
      [
        true,
        false,
        0.5,
        3,
        ' Yes ',
        'NO',
        'maybe',
        null,
        { a: 1 },
        Infinity
      ].map(assessmentNumber)
    ).toEqual([1, 0, 0.5, 3, 1, 0, null, null, null, null]);
  });

  it('keys values by the text Python json.dumps writes for them', () => {
    const values = [
      true,
      4,
      0.1,
      1e-7,
      1e16,
      1e22,
      'é',
      'a"b',
      [1, 'x'],
      { k: null }
    ];
    // JSON hands Python whole numbers as ints; MLflow's server holds numbers as floats
    const fromPython = python(
      'import json, sys\n' +
        'def f(v):\n' +
        '    if isinstance(v, list): return [f(x) for x in v]\n' +
        '    if isinstance(v, int) and not isinstance(v, bool): return float(v)\n' +
        '    return v\n' +
        'print(json.dumps([json.dumps(f(v)) for v in json.loads(sys.argv[1])]))',
      values
    );
    expect(values.map(pyJsonDumps)).toEqual(fromPython);
  });

  it('counts valid assessments per name and bucket, with the mean and the values of a name with few', () => {
    const grid = new SummaryGrid(T0, T0 + 2 * HOUR - 1, 3600);
    const tallies = new QualityTallies(grid);
    const assessment = (name: string, value: unknown, valid = true) => ({
      assessment_name: name,
      feedback: { value },
      valid
    });
    tallies.add(
      T0,
      assessmentFacts({
        assessments: [
          assessment('ok', true),
          assessment('ok', 'no'),
          assessment('score', 0.5, false),
          assessment('score', 0.9)
        ]
      })
    );
    tallies.add(
      T0 + HOUR,
      assessmentFacts({
        assessments: [
          assessment('ok', 'maybe'),
          ...Array.from({ length: 11 }, (_, i) => assessment('score', i / 10))
        ]
      })
    );
    const [ok, score] = tallies.json();
    expect(ok).toEqual({
      name: 'ok',
      count: 3,
      mean: 0.5,
      values: { '"maybe"': 1, '"no"': 1, true: 1 },
      buckets: [
        { start_time_ms: T0, count: 2, mean: 0.5 },
        { start_time_ms: T0 + HOUR, count: 1, mean: null }
      ]
    });
    expect(score.count).toBe(12);
    expect(score).not.toHaveProperty('values');
    expect(score.buckets[0].mean).toBe(0.9);
  });
});

describe('Python arithmetic', () => {
  it('fsum is exactly rounded, as math.fsum', () => {
    const values = [0.1, 0.2, 0.3, 1e100, 1, -1e100, 1e-16, 0.7];
    const fromPython = python(
      'import json, math, sys\nprint(json.dumps(math.fsum(json.loads(sys.argv[1]))))',
      values
    );
    expect(fsum(values)).toBe(fromPython);
    expect(fsum([])).toBe(0);
  });

  it('roundDecimals rounds half to even on the exact binary value, as round()', () => {
    const cases: [number, number][] = [
      [2.675, 2],
      [0.1234565, 6],
      [0.0000000015, 9],
      [1.0000000005, 9],
      [123.4567895, 6]
    ];
    const fromPython = python(
      'import json, sys\nprint(json.dumps([round(v, d) for v, d in json.loads(sys.argv[1])]))',
      cases
    );
    expect(cases.map(([v, d]) => roundDecimals(v, d))).toEqual(fromPython);
  });
});
