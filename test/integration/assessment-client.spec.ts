/**
 * The client's assessment writes and review queues against the real
 * tracking server, read back through the REST API and through MLflow's
 * Python SDK (test/fixtures/assessments_sdk.py), which also makes the
 * review queues.
 */
import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import {
  AssessmentNotFoundError,
  BadRequestError,
  MlflowClient,
  NotFoundError
} from '../../src/client';
import { IAssessment } from '../../src/trace/wire';
import { logTraceInfo } from './post-json';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, ROOT, venvEnv } = require('../../scripts/lib/paths.cjs');

const trackingUri = (process.env.MLFLOW_TEST_TRACKING_URI ?? '').replace(
  /\/+$/,
  ''
);
const client = new MlflowClient({ trackingUri });
const stamp = `${Date.now()}-${process.pid}`;

/** MLflow's Python SDK, run in a temp dir so nothing lands in the checkout. */
function sdk(...args: string[]): any {
  const out = execFileSync(
    PYTHON,
    [path.join(ROOT, 'test', 'fixtures', 'assessments_sdk.py'), ...args],
    {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      env: venvEnv({ MLFLOW_TRACKING_URI: trackingUri })
    }
  );
  return JSON.parse(out);
}

function randomTraceId(): string {
  const hex = Array.from({ length: 32 }, () =>
    Math.floor(Math.random() * 16).toString(16)
  );
  return `tr-${hex.join('')}`;
}

async function logTrace(experimentId: string): Promise<string> {
  const traceId = randomTraceId();
  const response = await logTraceInfo(
    traceId,
    { execution_duration: '0.010s', state: 'OK' },
    { trackingUri, experimentId }
  );
  expect(response.status).toBe(200);
  return traceId;
}

async function assessments(traceId: string): Promise<IAssessment[]> {
  return (await client.getTraceInfo(traceId)).assessments ?? [];
}

const byId = (list: IAssessment[], id: string | undefined) =>
  list.find(a => a.assessment_id === id);

const HUMAN = { type: 'HUMAN' as const, id: 'alice' };

describe('assessment writes on the real server', () => {
  /** Traces with spans, made by the Python SDK (its get_trace needs spans). */
  let made: { trace_id: string; child_span_id: string }[];
  let nextTrace: () => Promise<string>;

  beforeAll(async () => {
    const experimentId = await client.createExperiment(`assessments-${stamp}`);
    made = sdk('traces', experimentId, '8');
    let next = 0;
    nextTrace = async () => made[next++].trace_id;
  });

  const childSpanOf = (traceId: string) =>
    made.find(m => m.trace_id === traceId)?.child_span_id;

  it('logs feedback of each value type, read back by the Python SDK as that type', async () => {
    const traceId = await nextTrace();
    const values: [string, unknown, string][] = [
      ['good', true, 'bool'],
      ['score', 4.5, 'float'],
      ['label', 'on topic', 'str']
    ];
    for (const [name, value] of values) {
      await client.logFeedback(traceId, {
        name,
        value,
        rationale: `why ${name}`,
        source: HUMAN,
        spanId: name === 'label' ? childSpanOf(traceId) : undefined
      });
    }
    const read = sdk('trace', traceId).assessments;
    for (const [name, value, type] of values) {
      const a = read.find((x: any) => x.name === name);
      expect(a).toMatchObject({
        kind: 'feedback',
        value_type: type,
        rationale: `why ${name}`,
        source_type: 'HUMAN',
        source_id: 'alice',
        valid: true
      });
      expect(JSON.parse(a.value_json)).toEqual(value);
    }
    expect(read.find((x: any) => x.name === 'label').span_id).toBe(
      childSpanOf(traceId)
    );
    expect(read.find((x: any) => x.name === 'good').span_id).toBeNull();
  });

  it('logs a JSON expectation that the SDK reads with its integers and key order', async () => {
    const traceId = await nextTrace();
    const value = { z: [1, 2], a: { nested: 'x' } };
    const created = await client.logExpectation(traceId, {
      name: 'expected',
      value,
      source: HUMAN
    });
    // The server stores the text as Python's json.dumps writes it.
    const text = created.expectation?.serialized_value?.value as string;
    expect(JSON.parse(text)).toEqual(value);
    const [read] = sdk('trace', traceId).assessments;
    expect(read.kind).toBe('expectation');
    expect(read.value_type).toBe('dict');
    expect(read.value_json).toBe('{"z": [1, 2], "a": {"nested": "x"}}');
  });

  it('overrides feedback: the old one reads valid=false, the new one names it', async () => {
    const traceId = await nextTrace();
    const judge = await client.logFeedback(traceId, {
      name: 'correct',
      value: true,
      source: { type: 'LLM_JUDGE', id: 'judge-1' },
      spanId: childSpanOf(traceId)
    });
    const human = await client.overrideFeedback(
      traceId,
      judge.assessment_id as string,
      {
        name: 'correct',
        value: false,
        rationale: 'the judge missed the date',
        source: HUMAN,
        spanId: childSpanOf(traceId)
      }
    );
    expect(human).toMatchObject({
      overrides: judge.assessment_id,
      valid: true,
      feedback: { value: false }
    });
    const list = await assessments(traceId);
    expect(byId(list, judge.assessment_id)?.valid).toBe(false);
    expect(byId(list, human.assessment_id)?.valid).toBe(true);
    const read = sdk('trace', traceId).assessments;
    const old = read.find((a: any) => a.id === judge.assessment_id);
    const now = read.find((a: any) => a.id === human.assessment_id);
    expect(old).toMatchObject({ valid: false, source_type: 'LLM_JUDGE' });
    expect(now).toMatchObject({
      valid: true,
      overrides: judge.assessment_id,
      span_id: childSpanOf(traceId),
      source_id: 'alice'
    });
  });

  it('keeps both overrides by two reviewers in the history', async () => {
    const traceId = await nextTrace();
    const judge = await client.logFeedback(traceId, {
      name: 'tone',
      value: 'rude',
      source: { type: 'LLM_JUDGE', id: 'j' }
    });
    const oldId = judge.assessment_id as string;
    const bob = await client.overrideFeedback(traceId, oldId, {
      name: 'tone',
      value: 'fine',
      source: { type: 'HUMAN', id: 'bob' }
    });
    const carol = await client.overrideFeedback(traceId, oldId, {
      name: 'tone',
      value: 'polite',
      source: { type: 'HUMAN', id: 'carol' }
    });
    const list = await assessments(traceId);
    expect(list).toHaveLength(3);
    expect(byId(list, oldId)?.valid).toBe(false);
    for (const a of [bob, carol]) {
      expect(byId(list, a.assessment_id)).toMatchObject({
        overrides: oldId,
        valid: true
      });
    }
  });

  it('updates value and rationale of feedback, and the value of an expectation', async () => {
    const traceId = await nextTrace();
    const fb = await client.logFeedback(traceId, {
      name: 'score',
      value: 2,
      rationale: 'first look',
      source: HUMAN
    });
    const updated = await client.updateAssessment(
      traceId,
      fb.assessment_id as string,
      { kind: 'feedback', value: 5, rationale: 'second look' }
    );
    expect(updated).toMatchObject({
      assessment_id: fb.assessment_id,
      feedback: { value: 5 },
      rationale: 'second look'
    });
    const onlyRationale = await client.updateAssessment(
      traceId,
      fb.assessment_id as string,
      { kind: 'feedback', rationale: 'third look' }
    );
    expect(onlyRationale.feedback?.value).toBe(5);
    const ex = await client.logExpectation(traceId, {
      name: 'facts',
      value: 'one',
      source: HUMAN
    });
    await client.updateAssessment(traceId, ex.assessment_id as string, {
      kind: 'expectation',
      value: ['one', 2]
    });
    const read = sdk('trace', traceId).assessments;
    const score = read.find((a: any) => a.id === fb.assessment_id);
    expect(JSON.parse(score.value_json)).toBe(5);
    expect(score.rationale).toBe('third look');
    const facts = read.find((a: any) => a.id === ex.assessment_id);
    expect(facts.value_json).toBe('["one", 2]');
  });

  it('deletes only the assessment asked', async () => {
    const traceId = await nextTrace();
    const made = [];
    for (const name of ['a', 'b', 'c']) {
      made.push(
        await client.logFeedback(traceId, { name, value: true, source: HUMAN })
      );
    }
    await client.deleteAssessment(traceId, made[1].assessment_id as string);
    const left = (await assessments(traceId)).map(a => a.assessment_id);
    expect(left.sort()).toEqual(
      [made[0].assessment_id, made[2].assessment_id].sort()
    );
    expect(
      sdk('trace', traceId)
        .assessments.map((a: any) => a.name)
        .sort()
    ).toEqual(['a', 'c']);
  });

  it("deleting an override makes the one it overrode valid again, as MLflow's UI shows", async () => {
    const traceId = await nextTrace();
    const first = await client.logFeedback(traceId, {
      name: 'ok',
      value: true,
      source: { type: 'HUMAN', id: 'bob' }
    });
    const second = await client.overrideFeedback(
      traceId,
      first.assessment_id as string,
      { name: 'ok', value: false, source: HUMAN }
    );
    await client.deleteAssessment(traceId, second.assessment_id as string);
    const list = await assessments(traceId);
    expect(list.map(a => a.assessment_id)).toEqual([first.assessment_id]);
    expect(list[0].valid).toBe(true);
  });

  it('names the assessment when the server refuses or does not know it', async () => {
    const traceId = await nextTrace();
    const missing = await client
      .overrideFeedback(traceId, 'a-missing', { name: 'x', value: 1 })
      .catch(e => e);
    expect(missing).toBeInstanceOf(AssessmentNotFoundError);
    expect(missing.message).toContain(
      `Assessment a-missing of trace ${traceId}`
    );
    const fb = await client.logFeedback(traceId, {
      name: 'n',
      value: 1,
      source: HUMAN
    });
    const refused = await client
      .updateAssessment(traceId, fb.assessment_id as string, {
        kind: 'expectation',
        value: 2
      })
      .catch(e => e);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect(refused.message).toContain(
      `updateAssessment of assessment ${fb.assessment_id} of trace ${traceId}`
    );
    expect(refused.serverMessage).toContain('Feedback');
    // No trace of that id: the create fails and names it.
    const noTrace = await client
      .logFeedback('tr-00000000000000000000000000000000', {
        name: 'n',
        value: 1
      })
      .catch(e => e);
    expect(noTrace).toBeInstanceOf(NotFoundError);
    expect(noTrace.message).toContain('tr-00000000000000000000000000000000');
  });
});

describe('review queues on the real server', () => {
  let experimentId: string;
  let traces: string[];
  let queueId: string;

  beforeAll(async () => {
    experimentId = await client.createExperiment(`queues-${stamp}`);
    traces = [];
    for (let i = 0; i < 3; i++) {
      traces.push(await logTrace(experimentId));
    }
    queueId = sdk('queue', experimentId, 'first pass', ...traces).queue_id;
    sdk('queue', experimentId, 'second pass');
    sdk('queue', experimentId, 'third pass', traces[0]);
  });

  it('lists every queue of the experiment across pages', async () => {
    const queues = await client.listReviewQueues(experimentId, {
      pageSize: 1
    });
    expect(queues.map(q => q.name).sort()).toEqual([
      'first pass',
      'second pass',
      'third pass'
    ]);
    const first = queues.find(q => q.queue_id === queueId);
    expect(first).toMatchObject({
      experiment_id: experimentId,
      queue_type: 'CUSTOM',
      users: ['alice']
    });
    expect(typeof first?.creation_time_ms).toBe('number');
    expect(await client.listReviewQueues(experimentId)).toHaveLength(3);
  });

  it('lists the items of a queue across pages, and by status', async () => {
    const items = await client.listReviewQueueItems(queueId, undefined, {
      pageSize: 2
    });
    expect(items.map(i => i.item_id).sort()).toEqual([...traces].sort());
    expect(items.every(i => i.status === 'PENDING')).toBe(true);
    expect(items[0]).toMatchObject({ queue_id: queueId, item_type: 'TRACE' });
    expect(await client.listReviewQueueItems(queueId, 'COMPLETE')).toEqual([]);
  });

  it('marks an item COMPLETE, seen by the SDK, and reopens it', async () => {
    const done = await client.setReviewQueueItemStatus(
      queueId,
      traces[1],
      'COMPLETE',
      'alice'
    );
    expect(done).toMatchObject({
      item_id: traces[1],
      status: 'COMPLETE',
      completed_by: 'alice'
    });
    expect(typeof done.completed_time_ms).toBe('number');
    const complete = await client.listReviewQueueItems(queueId, 'COMPLETE');
    expect(complete.map(i => i.item_id)).toEqual([traces[1]]);
    expect(await client.listReviewQueueItems(queueId, 'PENDING')).toHaveLength(
      2
    );
    const read = sdk('items', queueId);
    expect(read.find((i: any) => i.item_id === traces[1])).toEqual({
      item_id: traces[1],
      status: 'complete',
      completed_by: 'alice'
    });
    // Reopening: completed_by is not sent (the server refuses it) and is cleared.
    const reopened = await client.setReviewQueueItemStatus(
      queueId,
      traces[1],
      'PENDING',
      'alice'
    );
    expect(reopened.status).toBe('PENDING');
    expect(reopened.completed_by).toBeUndefined();
  });

  it('names the queue and item the server does not know', async () => {
    const noQueue = await client.listReviewQueueItems('rq-nope').catch(e => e);
    expect(noQueue).toBeInstanceOf(NotFoundError);
    expect(noQueue.message).toContain('review queue rq-nope');
    const noItem = await client
      .setReviewQueueItemStatus(queueId, 'tr-nope', 'COMPLETE', 'alice')
      .catch(e => e);
    expect(noItem).toBeInstanceOf(NotFoundError);
    expect(noItem.message).toContain(`item tr-nope of review queue ${queueId}`);
    expect(noItem.serverMessage).toContain('not attached');
  });
});
