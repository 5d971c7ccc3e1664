/**
 * The trace summary's text/html and text/plain fallbacks: the same bytes as
 * the Python package's `_summary_fallback.py` on the reference bundle and on
 * seeded generated payloads (empty buckets, fractional latencies, missing
 * token sums, hostile filters and notes; cost, quality, segments, spans,
 * budgets and violations with hostile strings), and inert markup.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  ITraceSummaryBundle,
  renderTraceSummaryHtml,
  renderTraceSummaryText
} from '../../../src/bundle';
import {
  FALLBACK_SVG_ATTRIBUTES,
  FALLBACK_SVG_TAGS
} from '../security/fallbackInert';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT } = require('../../../scripts/lib/paths.cjs');
const REFERENCE = path.join(
  ROOT,
  'contract',
  'examples',
  'trace-summary',
  'three-hours.json'
);

/** A seeded pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  '<script>alert(1)</script>',
  "tags.x = \"a'b\" AND \u2028 metadata.`k` = '<img src=x onerror=1>'",
  'é 日本 \u{1F600}',
  '&amp; " \' \\'
];

/** A payload of `count` buckets with figures drawn from `rnd`. */
function generated(seed: number): ITraceSummaryBundle {
  const rnd = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)];
  const interval = pick([1, 59, 60, 90, 900, 3600, 5400, 86400]);
  const count = 1 + Math.floor(rnd() * 30);
  const first = Math.floor((1796083200000 + rnd() * 1e9) / (interval * 1000));
  const token = () => (rnd() < 0.3 ? null : Math.floor(rnd() * 1e6));
  const latency = () => {
    const values = [0, 1, 2].map(() =>
      pick([rnd() * 5, rnd() * 5000, rnd() * 500000, Math.floor(rnd() * 900)])
    );
    values.sort((a, b) => a - b);
    return {
      p50: Math.round(values[0] * 1000) / 1000,
      p90: Math.round(values[1] * 1000) / 1000,
      p99: Math.round(values[2] * 1000) / 1000
    };
  };
  const buckets = Array.from({ length: count }, (_, i) => {
    const traces = rnd() < 0.25 ? 0 : Math.floor(rnd() * 5000);
    return {
      start_time_ms: (first + i) * interval * 1000,
      traces,
      errors: Math.floor(rnd() * (traces + 1)),
      latency_ms: traces === 0 ? null : latency(),
      tokens: {
        input: traces ? token() : null,
        output: traces ? token() : null,
        cache_read: traces ? token() : null,
        cache_write: traces ? token() : null
      }
    };
  });
  const traces = buckets.reduce((n, b) => n + b.traces, 0);
  const bundle: ITraceSummaryBundle = {
    version: 1,
    query: {
      experiment_ids: rnd() < 0.5 ? ['1'] : ['1', pick(HOSTILE)],
      start_time_ms: first * interval * 1000 + Math.floor(rnd() * 1000),
      end_time_ms: (first + count) * interval * 1000 - 1,
      interval_seconds: interval
    },
    source: rnd() < 0.5 ? 'server' : 'search',
    buckets,
    totals: {
      traces,
      errors: buckets.reduce((n, b) => n + b.errors, 0),
      latency_ms: traces ? latency() : null,
      tokens: {
        input: token(),
        output: token(),
        cache_read: null,
        cache_write: token()
      }
    }
  };
  if (rnd() < 0.5) {
    bundle.query = { ...bundle.query, filter: pick(HOSTILE) };
  }
  if (bundle.source === 'search' && rnd() < 0.7) {
    bundle.source_note = `computed over search results: ${pick(HOSTILE)}`;
  }
  return bundle;
}

/**
 * The optional parts on a generated payload: cost, quality, segments,
 * spans, budgets and violations, hostile strings in every string position.
 */
function withParts(bundle: any, seed: number): any {
  const rnd = random(seed * 7919);
  const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)];
  const text = () => pick([...HOSTILE, 'v1', 'retrieve', 'x'.repeat(90)]);
  const money = () =>
    rnd() < 0.2 ? null : pick([0, rnd() * 1e-6, rnd() * 0.05, rnd() * 5000]);
  const cost = () => ({ input: money(), output: money(), total: money() });
  const starts: number[] = bundle.buckets.map((b: any) => b.start_time_ms);
  const out = { ...bundle, query: { ...bundle.query } };
  const figures = (traces: number) => ({
    traces,
    errors: Math.floor(rnd() * (traces + 1)),
    latency_ms:
      traces === 0
        ? null
        : { p50: rnd() * 100, p90: 100 + rnd() * 900, p99: 1000 + rnd() * 9e4 },
    tokens: { input: null, output: 3, cache_read: null, cache_write: null },
    cost: cost()
  });
  if (rnd() < 0.8) {
    out.buckets = bundle.buckets.map((b: any) => ({ ...b, cost: cost() }));
    out.totals = { ...bundle.totals, cost: cost() };
  }
  if (rnd() < 0.7) {
    out.quality = Array.from({ length: Math.floor(rnd() * 8) }, () => ({
      name: text(),
      count: Math.floor(rnd() * 50),
      mean: rnd() < 0.2 ? null : pick([rnd(), rnd() * 5, -rnd() * 3]),
      ...(rnd() < 0.5
        ? { values: { true: 3, false: 1, [text()]: 2, '7': 1 } }
        : {}),
      buckets: starts.map(start => ({
        start_time_ms: start,
        count: 1,
        mean: rnd() < 0.3 ? null : rnd() * 5
      }))
    }));
  }
  if (rnd() < 0.7) {
    out.query.group_by = { kind: pick(['tag', 'metadata']), key: text() };
    out.segments = Array.from({ length: Math.floor(rnd() * 13) }, () => ({
      value: rnd() < 0.15 ? null : text(),
      buckets: starts.map(start => ({
        start_time_ms: start,
        ...figures(Math.floor(rnd() * 4))
      })),
      totals: figures(Math.floor(rnd() * 40))
    }));
    if (rnd() < 0.8) {
      out.segments_note = `values of tag ${text()} from the newest 2,000 traces`;
    }
  }
  if (rnd() < 0.7) {
    const row = () => ({
      key: text(),
      count: Math.floor(rnd() * 100),
      errors: Math.floor(rnd() * 3),
      total_ms: Math.round(rnd() * 1e8) / 1000,
      share_time: rnd() < 0.1 ? null : Math.round(rnd() * 2e6) / 1e6,
      latency_ms: rnd() < 0.1 ? null : { p50: rnd() * 50, p90: rnd() * 5000 },
      cost: money(),
      share_cost: rnd() < 0.3 ? null : Math.round(rnd() * 1e6) / 1e6
    });
    out.spans = {
      by_name: Array.from({ length: Math.floor(rnd() * 14) }, row),
      by_type: Array.from({ length: Math.floor(rnd() * 5) }, row)
    };
  }
  if (rnd() < 0.7) {
    out.query.budgets = {
      ...(rnd() < 0.7 ? { error_rate: rnd() } : {}),
      ...(rnd() < 0.7 ? { latency_p90_ms: rnd() * 2e5 } : {}),
      ...(rnd() < 0.7 ? { cost_per_trace: rnd() * 0.01 } : {}),
      spans: [
        { span_name: text(), p90_ms: 100 },
        { span_type: text(), p90_ms: 5 }
      ]
    };
    const budget = () =>
      pick(['error_rate', 'latency_p90_ms', 'cost_per_trace', 'span_p90_ms']);
    out.violations = Array.from(
      { length: Math.floor(rnd() * (rnd() < 0.2 ? 70 : 10)) },
      () => {
        const name = budget();
        const v: any = {
          budget: name,
          subject: name === 'span_p90_ms' ? text() : 'traces',
          limit: rnd() * 10,
          value: Math.round(rnd() * 1e12) / 1e6
        };
        if (name === 'span_p90_ms') {
          v.span_field = pick(['span_name', 'span_type']);
        } else if (rnd() < 0.6) {
          v.start_time_ms = pick(starts);
        }
        if (rnd() < 0.3) {
          v.segment = rnd() < 0.2 ? null : text();
        }
        return v;
      }
    );
  }
  return out;
}

/** What the Python fallbacks write of each payload. */
function pythonFallbacks(
  payloads: unknown[]
): { html: string; text: string }[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summary-fallback-'));
  const file = path.join(dir, 'payloads.json');
  fs.writeFileSync(file, JSON.stringify(payloads));
  const script = [
    'import json, sys',
    'from jupyterlab_mlflow_traces._summary_fallback import render_summary_html, render_summary_text',
    'payloads = json.load(open(sys.argv[1], encoding="utf-8"))',
    'out = [{"html": render_summary_html(p), "text": render_summary_text(p)} for p in payloads]',
    'sys.stdout.write(json.dumps(out))'
  ].join('\n');
  try {
    return JSON.parse(
      execFileSync(PYTHON, ['-c', script, file], {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024
      })
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('trace summary fallbacks', () => {
  const reference = JSON.parse(fs.readFileSync(REFERENCE, 'utf8'));
  const payloads: unknown[] = [
    reference,
    ...Array.from({ length: 60 }, (_, i) => generated(i + 1)),
    ...Array.from({ length: 60 }, (_, i) =>
      withParts(generated(i + 101), i + 1)
    )
  ];
  let python: { html: string; text: string }[];

  beforeAll(() => {
    python = pythonFallbacks(payloads);
  });

  it('writes the bytes the Python fallbacks write, on the reference and 120 generated payloads, half with every optional part', () => {
    payloads.forEach((payload, i) => {
      expect([i, renderTraceSummaryText(payload)]).toEqual([i, python[i].text]);
      expect([i, renderTraceSummaryHtml(payload)]).toEqual([i, python[i].html]);
    });
  });

  it('prints the totals and every bucket of the reference, empty ones with dashes', () => {
    const lines = renderTraceSummaryText(reference).split('\n');
    expect(lines[0]).toBe(
      'MLflow trace summary: experiments 1; filter "tags.version = \'v2\'"; ' +
        '2026-12-01 00:00:00.000 to 2026-12-01 02:59:59.999 UTC; 3 buckets of 1 h'
    );
    expect(lines).toHaveLength(1 + 2 + 3 + 1);
    expect(lines[2]).toMatch(
      /^Total\s+5\s+1 \(20%\)\s+300 ms\s+880 ms\s+988 ms\s+1,460\s+530\s+55\s+55$/
    );
    expect(lines[5]).toMatch(
      /^2026-12-01 02:00\s+0\s+0\s+–\s+–\s+–\s+–\s+–\s+–\s+–$/
    );
    expect(lines[6]).toBe(
      "computed by the tracking server's QueryTraceMetrics"
    );
  });

  it('keeps hostile strings as escaped text: only the closed sets of tags and attributes', () => {
    // The summary writer's HTML tags, the charts' SVG sets, and class.
    const tags = new Set([
      ...['div', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
      ...FALLBACK_SVG_TAGS
    ]);
    const attributes = new Set(['class', ...FALLBACK_SVG_ATTRIBUTES]);
    const problems: string[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const payload =
        seed % 2 ? generated(seed) : withParts(generated(seed), seed);
      const html = renderTraceSummaryHtml(payload).replace(
        /<style>[^<]*<\/style>/,
        ''
      );
      for (const part of html.split(/(<[^>]*>)/)) {
        if (!part.startsWith('<')) {
          if (/[<>"]/.test(part)) {
            problems.push(`${seed}: unescaped text ${part}`);
          }
          continue;
        }
        const tag = /^<\/?([a-zA-Z]+)((?: [a-zA-Z-]+="[^"<>]*")*)>$/.exec(part);
        if (tag === null || !tags.has(tag[1])) {
          problems.push(`${seed}: tag ${part}`);
        }
        for (const [, name] of (tag?.[2] ?? '').matchAll(/ ([a-zA-Z-]+)=/g)) {
          if (!attributes.has(name)) {
            problems.push(`${seed}: attribute ${name}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
