/**
 * summarize() of the tslab helper against the real tracking server, on
 * traces written by MLflow's Python SDK with known request times, latencies,
 * states and token usage over five hours (test/fixtures/write_summary_traces.py):
 * the server path (QueryTraceMetrics) and the search path give the same
 * payload, with and without a filter, and both equal a computation of our
 * own over the traces' infos; a filter QueryTraceMetrics cannot take, and a
 * server without the endpoint, go the search path and say why.
 */
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import * as http from 'http';
import { AddressInfo } from 'net';
import path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { ITraceSummaryBundle } from '../../src/bundle';
import { MlflowClient } from '../../src/client';
import { ITraceInfoV3 } from '../../src/trace';
import { computeSummary } from '../../src/kernel/summary';
import { violationLine } from '../../src/trace/budgets';

const {
  startMlflowServer,
  stopProcessGroup
  // eslint-disable-next-line @typescript-eslint/no-require-imports
} = require('../../scripts/lib/mlflow-server.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const uri = process.env.MLFLOW_TEST_TRACKING_URI as string;
const client = new MlflowClient({ trackingUri: uri });
const HOUR_MS = 3_600_000;
const START_MS = 1796083200000; // 2026-12-01T00:00Z, as the fixture script
const END_MS = START_MS + 5 * HOUR_MS - 1;

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(
  JSON.parse(
    fs.readFileSync(
      path.join(ROOT, 'contract', 'trace-summary.schema.json'),
      'utf8'
    )
  )
);

/** The payload without how it was computed. */
function figures(payload: ITraceSummaryBundle) {
  const rest: Partial<ITraceSummaryBundle> = { ...payload };
  delete rest.source;
  delete rest.source_note;
  return rest;
}

/** Percentile by linear interpolation, written out again for the check. */
function quantile(values: number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const position = (sorted.length - 1) * (p / 100);
  const below = sorted[Math.floor(position)];
  const above = sorted[Math.ceil(position)];
  return below + (above - below) * (position - Math.floor(position));
}

/** The options of a summary, as Python's summarize() takes them. */
interface IPythonArgs {
  experimentIds: string[];
  filter?: string;
  groupBy?: string;
  budgets?: Record<string, unknown>;
  useServer?: boolean;
}

/** The Python twin's summarize() payload, run in a subprocess on the same server. */
function pythonSummary(at: string, args: IPythonArgs): ITraceSummaryBundle {
  const script = [
    'import json, sys',
    'from jupyterlab_mlflow_traces.summary import summarize',
    'a = json.loads(sys.argv[1])',
    "s = summarize(a['experimentIds'], a.get('filter'), a['start'], a['end'], '1h', a['uri'],",
    "              group_by=a.get('groupBy'), budgets=a.get('budgets'),",
    "              use_server=a.get('useServer', True))",
    'print(json.dumps(s.payload))'
  ].join('\n');
  const out = execFileSync(
    path.join(ROOT, '.venv', 'bin', 'python'),
    [
      '-c',
      script,
      JSON.stringify({ ...args, start: START_MS, end: END_MS, uri: at })
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, MLFLOW_TRACKING_URI: at }
    }
  );
  return JSON.parse(out.trim().split('\n').pop() as string);
}

/** Our own figures of the infos in [START_MS, END_MS], by hour. */
function expectedFigures(infos: ITraceInfoV3[]) {
  const inRange = infos.filter(info => {
    const t = Date.parse(info.request_time as string);
    return t >= START_MS && t <= END_MS;
  });
  const figuresOf = (group: ITraceInfoV3[]) => {
    const latencies = group.map(
      info => parseFloat(info.execution_duration as string) * 1000
    );
    const usage = group.map(info =>
      JSON.parse(info.trace_metadata?.['mlflow.trace.tokenUsage'] ?? '{}')
    );
    const sum = (key: string) => {
      const counts = usage.map(u => u[key]).filter(v => v !== undefined);
      return counts.length ? counts.reduce((a, b) => a + b, 0) : null;
    };
    return {
      traces: group.length,
      errors: group.filter(info => info.state === 'ERROR').length,
      latency: group.length
        ? [50, 90, 99].map(p => quantile(latencies, p))
        : null,
      tokens: {
        input: sum('input_tokens'),
        output: sum('output_tokens'),
        cache_read: sum('cache_read_input_tokens'),
        cache_write: sum('cache_creation_input_tokens')
      }
    };
  };
  const buckets = [0, 1, 2, 3, 4].map(hour =>
    figuresOf(
      inRange.filter(
        info =>
          Math.floor(
            (Date.parse(info.request_time as string) - START_MS) / HOUR_MS
          ) === hour
      )
    )
  );
  return { buckets, totals: figuresOf(inRange) };
}

/** The payload's figures in the shape of expectedFigures, latencies checked to 3 decimals. */
function expectMatches(
  payload: ITraceSummaryBundle,
  expected: ReturnType<typeof expectedFigures>
): void {
  const check = (written: any, wanted: any, where: string) => {
    expect([where, written.traces, written.errors, written.tokens]).toEqual([
      where,
      wanted.traces,
      wanted.errors,
      wanted.tokens
    ]);
    if (wanted.latency === null) {
      expect([where, written.latency_ms]).toEqual([where, null]);
      return;
    }
    ['p50', 'p90', 'p99'].forEach((name, i) => {
      expect(
        Math.abs(written.latency_ms[name] - wanted.latency[i])
      ).toBeLessThanOrEqual(0.0005);
    });
  };
  expect(payload.buckets.map(b => b.start_time_ms)).toEqual(
    [0, 1, 2, 3, 4].map(h => START_MS + h * HOUR_MS)
  );
  payload.buckets.forEach((bucket, i) =>
    check(bucket, expected.buckets[i], `bucket ${i}`)
  );
  check(payload.totals, expected.totals, 'totals');
}

/** Every info of the experiment, as the search returns it. */
async function allInfos(
  experimentId: string,
  on: MlflowClient = client
): Promise<ITraceInfoV3[]> {
  const infos: ITraceInfoV3[] = [];
  for await (const info of on.iterateTraces({
    experimentIds: [experimentId],
    maxResults: 500
  })) {
    infos.push(info);
  }
  return infos;
}

/**
 * A stand-in for an older tracking server in front of the real one: every
 * request forwarded, except QueryTraceMetrics, which it does not know (404).
 */
async function withoutMetrics(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', async () => {
      if ((req.url ?? '').includes('/traces/metrics')) {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>404 Not Found</title>');
        return;
      }
      const body = Buffer.concat(chunks);
      const answer = await fetch(uri + req.url, {
        method: req.method,
        headers: { 'content-type': 'application/json' },
        body: body.length ? body.toString('utf8') : undefined
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** Writes the fixture traces to `at` in a new experiment; waits until all are searchable. */
async function writeTraces(
  at: string
): Promise<{ experimentId: string; infos: ITraceInfoV3[] }> {
  const out = execFileSync(
    path.join(ROOT, '.venv', 'bin', 'python'),
    [
      path.join(ROOT, 'test', 'fixtures', 'write_summary_traces.py'),
      at,
      `summary-ts-${Date.now()}-${process.pid}`
    ],
    { encoding: 'utf8', env: { ...process.env, MLFLOW_TRACKING_URI: at } }
  );
  const written = JSON.parse(out.trim().split('\n').pop() as string);
  const on = new MlflowClient({ trackingUri: at });
  let infos: ITraceInfoV3[] = [];
  for (let i = 0; i < 60 && infos.length !== written.traces; i++) {
    if (i > 0) {
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    infos = await allInfos(written.experiment_id, on);
  }
  expect(infos).toHaveLength(written.traces);
  return { experimentId: written.experiment_id, infos };
}

describe('summarize on the real server', () => {
  let experimentId: string;
  let infos: ITraceInfoV3[];
  const range = { start: START_MS, end: END_MS, interval: '1h' };

  beforeAll(async () => {
    ({ experimentId, infos } = await writeTraces(uri));
  });

  /** The same summary on the server path and on the search path. */
  async function bothPaths(extra: { filter?: string } = {}) {
    const query = { experimentIds: [experimentId], ...extra, ...range };
    const server = await computeSummary(client, query);
    const search = await computeSummary(client, { ...query, useServer: false });
    return { server, search };
  }

  it('the server path fills every hour (the empty one too), validates, and equals our computation over the infos', async () => {
    const { payload } = await computeSummary(client, {
      experimentIds: [experimentId],
      ...range
    });
    expect(payload.source).toBe('server');
    expect(payload).not.toHaveProperty('source_note');
    expect(validate(payload) ? [] : validate.errors).toEqual([]);
    expect(payload.query).toEqual({
      experiment_ids: [experimentId],
      start_time_ms: START_MS,
      end_time_ms: END_MS,
      interval_seconds: 3600
    });
    expect(payload.buckets[2]).toEqual({
      start_time_ms: START_MS + 2 * HOUR_MS,
      traces: 0,
      errors: 0,
      latency_ms: null,
      tokens: {
        input: null,
        output: null,
        cache_read: null,
        cache_write: null
      },
      cost: { input: null, output: null, total: null }
    });
    expectMatches(payload, expectedFigures(infos));
  });

  it('the search path gives the same payload as the server path, saying why it was used', async () => {
    const { server, search } = await bothPaths();
    expect(search.payload.source).toBe('search');
    expect(search.payload.source_note).toMatch(
      /^computed over \d+ search results, not by the tracking server: useServer: false$/
    );
    expect(validate(search.payload) ? [] : validate.errors).toEqual([]);
    expect(figures(search.payload)).toEqual(figures(server.payload));
  });

  it('with a filter QueryTraceMetrics takes, both paths agree and count only the matching traces', async () => {
    const filter = "tags.version = 'v2' AND metadata.segment = 'pro'";
    const { server, search } = await bothPaths({ filter });
    expect(server.payload.source).toBe('server');
    expect(server.payload.query.filter).toBe(filter);
    expect(figures(search.payload)).toEqual(figures(server.payload));
    const matching = infos.filter(
      info =>
        info.tags?.version === 'v2' && info.trace_metadata?.segment === 'pro'
    );
    expect(server.payload.totals.traces).toBeGreaterThan(0);
    expectMatches(server.payload, expectedFigures(matching));
  });

  it('tags.name is the trace name on both paths, as search_traces reads it, not a tag "name"', async () => {
    const filter = "tags.NAME = 'agent' AND tags.version = 'v2'";
    const { server, search } = await bothPaths({ filter });
    expect(server.payload.source).toBe('server');
    expect(figures(search.payload)).toEqual(figures(server.payload));
    const matching = infos.filter(info => info.tags?.version === 'v2');
    expect(server.payload.totals.traces).toBeGreaterThan(0);
    expectMatches(server.payload, expectedFigures(matching));
  });

  it('a filter of only whitespace is no filter on either path, and absent from the query', async () => {
    for (const useServer of [true, false]) {
      const { payload } = await computeSummary(client, {
        experimentIds: [experimentId],
        filter: ' \t\r\n',
        ...range,
        useServer
      });
      expect(payload.source).toBe(useServer ? 'server' : 'search');
      expect(payload.query).not.toHaveProperty('filter');
      expectMatches(payload, expectedFigures(infos));
    }
  });

  it('a filter QueryTraceMetrics cannot take goes the search path, naming the clause', async () => {
    const filter = "tags.version != 'v2'";
    const { payload } = await computeSummary(client, {
      experimentIds: [experimentId],
      filter,
      ...range
    });
    expect(payload.source).toBe('search');
    expect(payload.source_note).toBe(
      `computed over ${payload.totals.traces} search results, not by the tracking server: ` +
        `QueryTraceMetrics takes only '=', not '!=' in "tags.version != 'v2'"`
    );
    const matching = infos.filter(info => info.tags?.version !== 'v2');
    expectMatches(payload, expectedFigures(matching));
  });

  it('a server without QueryTraceMetrics (404) goes the search path and says so', async () => {
    const older = await withoutMetrics();
    try {
      const { payload } = await computeSummary(
        new MlflowClient({ trackingUri: older.url, maxRetries: 0 }),
        { experimentIds: [experimentId], ...range }
      );
      expect(payload.source).toBe('search');
      expect(payload.source_note).toMatch(
        /not by the tracking server: the tracking server answers HTTP 404 to QueryTraceMetrics$/
      );
      expectMatches(payload, expectedFigures(infos));
    } finally {
      older.close();
    }
  });

  it('a server over a file store (500 FEATURE_DISABLED) goes the search path at once and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summary-file-store-'));
    const server = await startMlflowServer({
      dir,
      extraArgs: ['--backend-store-uri', `file://${path.join(dir, 'mlruns')}`],
      env: { MLFLOW_ALLOW_FILE_STORE: 'true' }
    });
    try {
      const written = await writeTraces(server.url);
      const { payload } = await computeSummary(
        new MlflowClient({ trackingUri: server.url }),
        { experimentIds: [written.experimentId], ...range }
      );
      expect(payload.source).toBe('search');
      expect(payload.source_note).toBe(
        `computed over ${payload.totals.traces} search results, not by the tracking server: ` +
          'the tracking server does not support QueryTraceMetrics (FEATURE_DISABLED)'
      );
      expectMatches(payload, expectedFigures(written.infos));
    } finally {
      stopProcessGroup(server.pid);
    }
  });
});

describe('summarize: cost, quality, span rows, segments and budgets', () => {
  let experimentId: string;
  const range = { start: START_MS, end: END_MS, interval: '1h' };
  // camelCase for the TypeScript twin, the schema's snake_case for Python
  const budgets = {
    errorRate: 0.2,
    latencyP90Ms: 3000,
    costPerTrace: 0.0001,
    spans: [
      { spanName: 'llm', p90Ms: 5 },
      { spanType: 'TOOL', p90Ms: 100000 },
      { spanName: 'never_ran', p90Ms: 1 }
    ]
  };
  const pyBudgets = {
    error_rate: 0.2,
    latency_p90_ms: 3000,
    cost_per_trace: 0.0001,
    spans: [
      { span_name: 'llm', p90_ms: 5 },
      { span_type: 'TOOL', p90_ms: 100000 },
      { span_name: 'never_ran', p90_ms: 1 }
    ]
  };

  beforeAll(async () => {
    ({ experimentId } = await writeTraces(uri));
  });

  const summary = async (extra: Record<string, unknown> = {}) =>
    (
      await computeSummary(client, {
        experimentIds: [experimentId],
        ...range,
        ...extra
      })
    ).payload;

  it('the server path writes cost, quality and span rows, validates, and equals the search path and the Python twin', async () => {
    const server = await summary();
    const search = await summary({ useServer: false });
    expect(server.source).toBe('server');
    expect(validate(server) ? [] : validate.errors).toEqual([]);
    expect(validate(search) ? [] : validate.errors).toEqual([]);
    // the fixture records cost, four assessment names and four span names
    expect(server.totals.cost?.total).toBeGreaterThan(0);
    expect(server.quality?.map(q => q.name)).toEqual([
      'expected_topic',
      'grounded',
      'helpful',
      'relevance'
    ]);
    expect(server.spans?.by_name.map(r => r.key).sort()).toEqual([
      'agent',
      'llm',
      'retrieve',
      'search_web'
    ]);
    expect(server.spans?.by_type.map(r => r.key).sort()).toEqual([
      'AGENT',
      'LLM',
      'RETRIEVER',
      'TOOL'
    ]);
    expect(figures(search)).toEqual(figures(server));
    const python = pythonSummary(uri, { experimentIds: [experimentId] });
    expect(python.source).toBe('server');
    expect(server).toEqual(python);
    const pythonSearch = pythonSummary(uri, {
      experimentIds: [experimentId],
      useServer: false
    });
    // the notes name each language's option (useServer: false, use_server=False)
    expect(pythonSearch.source).toBe('search');
    expect(figures(search)).toEqual(figures(pythonSearch));
  });

  it('segments by a metadata key: the 12 biggest values, a note on the rest, the same on both paths and in Python', async () => {
    const server = await summary({ groupBy: 'metadata.customer' });
    const search = await summary({
      groupBy: 'request_metadata.customer',
      useServer: false
    });
    expect(server.source).toBe('server');
    expect(server.query.group_by).toEqual({
      kind: 'metadata',
      key: 'customer'
    });
    expect(validate(server) ? [] : validate.errors).toEqual([]);
    const segments = server.segments ?? [];
    expect(segments).toHaveLength(12);
    const sizes = segments.map(s => s.totals.traces);
    expect(sizes).toEqual(sizes.slice().sort((a, b) => b - a));
    const segmented = sizes.reduce((a, b) => a + b, 0);
    expect(server.segments_note).toBe(
      `values of metadata customer from the ${server.totals.traces} traces in range; ` +
        `${server.totals.traces - segmented} traces in no segment`
    );
    expect(figures(search)).toEqual(figures(server));
    expect(server).toEqual(
      pythonSummary(uri, {
        experimentIds: [experimentId],
        groupBy: 'metadata.customer'
      })
    );
    // each segment's figures are the whole summary's with the value as a filter
    const first = segments[0];
    const alone = await summary({
      filter: `metadata.customer = '${first.value}'`
    });
    expect(first.totals).toEqual(alone.totals);
    expect(first.buckets).toEqual(alone.buckets);
  });

  it('budgets: written in snake_case, violations as the Python twin finds them, on both paths', async () => {
    const server = await summary({ budgets, groupBy: 'tags.version' });
    const search = await summary({
      budgets,
      groupBy: 'tag.version',
      useServer: false
    });
    expect(validate(server) ? [] : validate.errors).toEqual([]);
    expect(server.query.budgets).toEqual(pyBudgets);
    const broken = server.violations ?? [];
    expect(broken.length).toBeGreaterThan(0);
    // the budgeted span name no span has still gets a row, of count 0
    expect(server.spans?.by_name.find(r => r.key === 'never_ran')).toEqual({
      key: 'never_ran',
      count: 0,
      errors: 0,
      total_ms: 0,
      share_time: 0,
      latency_ms: null,
      cost: null,
      share_cost: null
    });
    expect(broken.some(v => v.subject === 'never_ran')).toBe(false);
    expect(
      broken.some(v => v.budget === 'span_p90_ms' && v.subject === 'llm')
    ).toBe(true);
    expect(broken.some(v => v.segment !== undefined)).toBe(true);
    expect(search.violations).toEqual(broken);
    expect(figures(search)).toEqual(figures(server));
    expect(server).toEqual(
      pythonSummary(uri, {
        experimentIds: [experimentId],
        budgets: pyBudgets,
        groupBy: 'tags.version'
      })
    );
  });

  it('a span type QueryTraceMetrics cannot quote sends the whole summary the search path, saying why', async () => {
    const payload = await summary({
      budgets: { spans: [{ spanType: "it's", p90Ms: 1 }] }
    });
    expect(payload.source).toBe('search');
    expect(payload.source_note).toMatch(
      /not by the tracking server: QueryTraceMetrics cannot filter the span type "it's"$/
    );
    expect(payload.spans?.by_type.map(r => r.key)).toContain("it's");
  });
});

describe('check() in a plain node script (the built lib/node)', () => {
  let experimentId: string;
  const SCRIPT = path.join(ROOT, 'test', 'fixtures', 'check_budgets.mjs');

  beforeAll(async () => {
    if (
      !fs.existsSync(
        path.join(ROOT, 'lib', 'node', 'kernel', 'summarycheck.js')
      )
    ) {
      throw new Error('lib/node has no check(): run `npm run build:lib`');
    }
    ({ experimentId } = await writeTraces(uri));
  });

  /** Runs the script; its exit code, stdout and stderr. */
  function run(budgets: unknown, groupBy?: string) {
    const result = spawnSync(
      process.execPath,
      [
        SCRIPT,
        experimentId,
        String(START_MS),
        String(END_MS),
        JSON.stringify(budgets),
        ...(groupBy ? [groupBy] : [])
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, MLFLOW_TRACKING_URI: uri },
        timeout: 120000
      }
    );
    return {
      code: result.status,
      stdout: result.stdout,
      stderr: result.stderr
    };
  }

  it('exits 1 and prints one line per broken budget on stderr, as the payload lists them', async () => {
    const budgets = {
      errorRate: 0.1,
      latencyP90Ms: 10,
      spans: [{ spanType: 'LLM', p90Ms: 1 }]
    };
    const { payload } = await computeSummary(client, {
      experimentIds: [experimentId],
      start: START_MS,
      end: END_MS,
      interval: '1h',
      budgets,
      groupBy: 'tags.version'
    });
    const expected = (payload.violations ?? []).map(v =>
      violationLine(v, payload.query.group_by)
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(expected).toContain(
      `budget broken: span_p90_ms of span type 'LLM' ${payload.spans?.by_type.find(r => r.key === 'LLM')?.latency_ms?.p90} > 1 over the range`
    );
    const out = run(budgets, 'tags.version');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toEqual(expected);
  });

  it('exits 0 and prints "no budget broken" on stdout when every budget holds', () => {
    const out = run({
      errorRate: 1,
      latencyP90Ms: 1e9,
      costPerTrace: 1e6,
      spans: [{ spanName: 'llm', p90Ms: 1e9 }]
    });
    expect([out.code, out.stderr]).toEqual([0, '']);
    expect(out.stdout).toBe(
      'no budget broken: 40 traces from 2026-12-01T00:00:00.000000Z to ' +
        '2026-12-01T04:59:59.999000Z; budgets: error_rate, latency_p90_ms, ' +
        'cost_per_trace, span llm p90_ms\n'
    );
  });

  it('a bad budget is a clear error and a failing exit, not a silent pass', () => {
    const out = run({ errorRat: 0.1 });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(
      /budgets: unknown key 'errorRat'; the budgets are errorRate, latencyP90Ms, costPerTrace, spans/
    );
  });
});
