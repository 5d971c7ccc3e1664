/**
 * Trace queries of the tslab helper against the real tracking server:
 * search with MLflow's filters and order keys, paging, tags, assessments,
 * deletion, and the server's own message for a malformed filter.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { BadRequestError, MlflowClient } from '../../src/client';
import {
  configure,
  deleteTag,
  deleteTraces,
  logExpectation,
  logFeedback,
  searchTraces,
  setTag
} from '../../src/kernel';

const uri = process.env.MLFLOW_TEST_TRACKING_URI as string;
const client = new MlflowClient({ trackingUri: uri });
const stamp = `${Date.now()}-${process.pid}`;

const WRITER = path.join(
  __dirname,
  '..',
  'fixtures',
  'write_helper_traces.cjs'
);

interface IStep {
  name: string;
  sleepMs?: number;
  fail?: boolean;
}
interface IWritten extends IStep {
  id: string;
}

/** Writes traces through the built helper in a child process (real OTLP). */
function write(
  experimentId: string,
  steps: (IStep | { mark: true })[]
): { written: IWritten[]; marks: number[] } {
  const plan = { trackingUri: uri, experimentId, steps };
  const out = execFileSync(process.execPath, [WRITER, JSON.stringify(plan)], {
    encoding: 'utf8'
  });
  const { ids, marks } = JSON.parse(out);
  const traces = steps.filter((s): s is IStep => !('mark' in s));
  return { written: traces.map((s, i) => ({ ...s, id: ids[i] })), marks };
}

async function useExperiment(label: string): Promise<string> {
  const id = await client.createExperiment(`queries-${label}-${stamp}`);
  await configure({ trackingUri: uri, experimentId: id, autoDisplay: false });
  return id;
}

const ids = (rows: { traceId: string }[]) => rows.map(r => r.traceId).sort();

describe('searchTraces on the real server', () => {
  let experimentId: string;
  let written: IWritten[];
  let boundaryMs: number;

  beforeAll(async () => {
    experimentId = await useExperiment('search');
    const steps: (IStep | { mark: true })[] = [];
    for (let i = 0; i < 6; i++) {
      steps.push({ name: 'v1', sleepMs: i % 3 === 0 ? 250 : 0, fail: i === 4 });
    }
    steps.push({ mark: true });
    for (let i = 0; i < 6; i++) {
      steps.push({ name: 'v2', sleepMs: i === 1 ? 400 : 0, fail: i % 2 === 0 });
    }
    ({
      written,
      marks: [boundaryMs]
    } = write(experimentId, steps));
  });

  it('finds every trace of the configured experiment, typed', async () => {
    const all = await searchTraces();
    expect(all.query.experimentIds).toEqual([experimentId]);
    expect(ids(all)).toEqual(written.map(w => w.id).sort());
    const row = all.find(r => r.traceId === written[0].id);
    expect(row?.name).toBe('v1');
    expect(row?.state).toBe('OK');
    expect(row?.requestTime).toBeInstanceOf(Date);
    expect(row?.durationMs).toBeGreaterThanOrEqual(240);
    expect(row?.requestPreview).toContain('v1 after 250 ms');
    expect(row?.info.trace_id).toBe(written[0].id);
    expect(all.nextPageToken).toBeUndefined();
  });

  it('resolves experiment names, and names a missing one', async () => {
    const byName = await searchTraces({
      experimentNames: [`queries-search-${stamp}`]
    });
    expect(byName).toHaveLength(written.length);
    await expect(
      searchTraces({ experimentNames: [`nope-${stamp}`] })
    ).rejects.toThrow(`no experiment named "nope-${stamp}"`);
  });

  it("filters on status: trace.status = 'ERROR'", async () => {
    const failed = await searchTraces({ filter: "trace.status = 'ERROR'" });
    expect(ids(failed)).toEqual(
      written
        .filter(w => w.fail)
        .map(w => w.id)
        .sort()
    );
    expect(failed.every(r => r.state === 'ERROR')).toBe(true);
  });

  it("filters on name (trace.name = 'v2') and combines with AND", async () => {
    const v2 = await searchTraces({ filter: "trace.name = 'v2'" });
    const want = written.filter(w => w.name === 'v2');
    expect(ids(v2)).toEqual(want.map(w => w.id).sort());
    const v2ok = await searchTraces({
      filter: "trace.name = 'v2' AND trace.status = 'OK'"
    });
    expect(ids(v2ok)).toEqual(
      want
        .filter(w => !w.fail)
        .map(w => w.id)
        .sort()
    );
  });

  it('filters on timestamp: trace.timestamp_ms > boundary', async () => {
    const late = await searchTraces({
      filter: `trace.timestamp_ms > ${boundaryMs}`
    });
    expect(ids(late)).toEqual(
      written
        .filter(w => w.name === 'v2')
        .map(w => w.id)
        .sort()
    );
  });

  it('filters on execution time: attributes.execution_time_ms > 200', async () => {
    const slow = await searchTraces({
      filter: 'attributes.execution_time_ms > 200'
    });
    expect(ids(slow)).toEqual(
      written
        .filter(w => (w.sleepMs ?? 0) > 0)
        .map(w => w.id)
        .sort()
    );
  });

  it('filters on a tag after setTag, and deleteTag removes it', async () => {
    const target = written[1].id;
    const tags = await setTag(target, 'reviewed', 'yes');
    expect(tags.reviewed).toBe('yes');
    const tagged = await searchTraces({ filter: "tags.reviewed = 'yes'" });
    expect(ids(tagged)).toEqual([target]);
    const after = await deleteTag(target, 'reviewed');
    expect(after.reviewed).toBeUndefined();
    expect(
      await searchTraces({ filter: "tags.reviewed = 'yes'" })
    ).toHaveLength(0);
  });

  it('orders by time (timestamp_ms ASC/DESC)', async () => {
    const asc = await searchTraces({ orderBy: 'timestamp_ms ASC' });
    const times = asc.map(r => r.requestTimeMs as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBeGreaterThan(1);
    const desc = await searchTraces({ orderBy: ['timestamp_ms DESC'] });
    // Traces started in the same millisecond tie, and ties keep the server's
    // own order both ways: compare the times, and the ids as a set.
    expect(desc.map(r => r.requestTimeMs)).toEqual([...times].reverse());
    expect(desc.map(r => r.traceId).sort()).toEqual(
      asc.map(r => r.traceId).sort()
    );
  });

  it('orders by duration (execution_time_ms DESC), slowest first', async () => {
    const slowest = await searchTraces({
      orderBy: 'execution_time_ms DESC',
      maxResults: 3
    });
    const durations = slowest.map(r => r.durationMs as number);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    expect(slowest[0].traceId).toBe(written.find(w => w.sleepMs === 400)?.id);
    expect(slowest.nextPageToken).toBeDefined();
  });

  it("rejects a malformed filter with the server's message", async () => {
    let caught: unknown;
    try {
      await searchTraces({ filter: "trace.status === 'OK'" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    const error = caught as BadRequestError;
    expect(error.serverMessage).toBeTruthy();
    expect(error.message).toContain(error.serverMessage as string);
    console.log(`malformed filter -> ${error.message}`);
  });

  it('logs feedback and an expectation, visible in the trace info', async () => {
    const target = written[2].id;
    const feedback = await logFeedback(target, {
      name: 'correct',
      value: false,
      rationale: 'wrong answer',
      source: { type: 'HUMAN', id: 'reviewer@example.com' }
    });
    expect(feedback.assessment_id).toBeTruthy();
    expect(feedback.feedback?.value).toBe(false);
    const expectation = await logExpectation(target, {
      name: 'expected_answer',
      value: 'ok',
      source: 'HUMAN'
    });
    expect(expectation.assessment_id).toBeTruthy();
    const [row] = await searchTraces({
      filter: `trace.request_id = '${target}'`
    });
    const byName = Object.fromEntries(
      row.assessments.map(a => [a.assessment_name, a])
    );
    expect(byName.correct.feedback?.value).toBe(false);
    expect(byName.correct.rationale).toBe('wrong answer');
    expect(byName.correct.source?.source_id).toBe('reviewer@example.com');
    expect(byName.expected_answer.expectation?.value).toBe('ok');
  });
});

describe('paging across more than 100 traces', () => {
  it('next() pages and all() returns each trace exactly once', async () => {
    const experimentId = await useExperiment('paging');
    const steps = Array.from({ length: 130 }, (_, i) => ({
      name: `bulk-${i % 5}`
    }));
    const written = new Set(write(experimentId, steps).written.map(w => w.id));
    const first = await searchTraces({ orderBy: 'timestamp_ms DESC' });
    expect(first).toHaveLength(100);
    expect(first.nextPageToken).toBeDefined();
    const second = await first.next();
    expect(second).toHaveLength(30);
    expect(second?.nextPageToken).toBeUndefined();
    const small = await searchTraces({ maxResults: 7 });
    const all = await small.all();
    expect(all).toHaveLength(130);
    expect(new Set(all.map(r => r.traceId))).toEqual(written);
    const resumed = await searchTraces({
      maxResults: 100,
      pageToken: first.nextPageToken
    });
    expect(resumed).toHaveLength(30);
  });
});

describe('deleteTraces', () => {
  let experimentId: string;
  let old: string[];
  let fresh: string[];
  let boundaryMs: number;

  beforeAll(async () => {
    experimentId = await useExperiment('delete');
    const steps = [
      ...Array.from({ length: 4 }, () => ({ name: 'old' })),
      { mark: true as const },
      ...Array.from({ length: 5 }, () => ({ name: 'fresh' }))
    ];
    const { written, marks } = write(experimentId, steps);
    old = written.filter(w => w.name === 'old').map(w => w.id);
    fresh = written.filter(w => w.name === 'fresh').map(w => w.id);
    boundaryMs = marks[0];
  });

  it('by ids removes exactly those', async () => {
    const gone = [fresh[0], fresh[1]];
    expect(await deleteTraces({ experimentId, traceIds: gone })).toBe(2);
    const left = await searchTraces({ experimentIds: [experimentId] });
    expect(ids(left)).toEqual([...old, ...fresh.slice(2)].sort());
  });

  it('by timestamp removes only the older ones', async () => {
    const deleted = await deleteTraces({
      experimentId,
      olderThan: new Date(boundaryMs)
    });
    expect(deleted).toBe(old.length);
    const left = await searchTraces({ experimentIds: [experimentId] });
    expect(ids(left)).toEqual(fresh.slice(2).sort());
  });
});
