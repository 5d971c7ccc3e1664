/**
 * The tslab helper's labels against the real tracking server, in process:
 * the notebook's user as the human source, the value-kind check before
 * anything is written, overrides, edits and deletions by id, trace tags.
 * (assessment-notebook.spec.ts runs the same from a real tslab kernel.)
 */
import * as os from 'os';
import { AssessmentNotFoundError, MlflowClient } from '../../src/client';
import {
  configure,
  deleteAssessment,
  deleteTraceTag,
  logExpectation,
  logFeedback,
  overrideFeedback,
  reviewer,
  setTraceTag,
  updateAssessment
} from '../../src/kernel';
import { IAssessment } from '../../src/trace/wire';
import { logTraceInfo } from './post-json';

const trackingUri = process.env.MLFLOW_TEST_TRACKING_URI as string;
const client = new MlflowClient({ trackingUri });
let experimentId: string;

async function newTrace(): Promise<string> {
  const hex = Array.from({ length: 32 }, () =>
    Math.floor(Math.random() * 16).toString(16)
  );
  const traceId = `tr-${hex.join('')}`;
  const response = await logTraceInfo(
    traceId,
    { execution_duration: '0.010s', state: 'OK' },
    { trackingUri, experimentId }
  );
  expect(response.status).toBe(200);
  return traceId;
}

async function stored(traceId: string): Promise<IAssessment[]> {
  return (await client.getTraceInfo(traceId)).assessments ?? [];
}

const HUB_USER = process.env.JUPYTERHUB_USER;

beforeAll(async () => {
  experimentId = await client.createExperiment(
    `assessment-kernel-${Date.now()}-${process.pid}`
  );
  await configure({ trackingUri, experimentId, autoDisplay: false });
});

afterEach(() => {
  if (HUB_USER === undefined) {
    delete process.env.JUPYTERHUB_USER;
  } else {
    process.env.JUPYTERHUB_USER = HUB_USER;
  }
});

describe('the reviewer', () => {
  it("is JupyterHub's user behind a hub, else the OS account", async () => {
    const traceId = await newTrace();
    process.env.JUPYTERHUB_USER = 'hub-reviewer';
    expect(reviewer()).toBe('hub-reviewer');
    const byHub = await logFeedback(traceId, { name: 'ok', value: true });
    expect(byHub.source).toEqual({
      source_type: 'HUMAN',
      source_id: 'hub-reviewer'
    });
    delete process.env.JUPYTERHUB_USER;
    expect(reviewer()).toBe(os.userInfo().username);
    const byOs = await logExpectation(traceId, {
      name: 'answer',
      value: 'Paris',
      source: 'HUMAN'
    });
    expect(byOs.source?.source_id).toBe(os.userInfo().username);
    // A judge keeps the id it was given, and a type alone has none.
    const judged = await logFeedback(traceId, {
      name: 'score',
      value: 0.5,
      source: { type: 'LLM_JUDGE', id: 'judge-1' }
    });
    expect(judged.source).toEqual({
      source_type: 'LLM_JUDGE',
      source_id: 'judge-1'
    });
  });
});

describe('the value-kind check', () => {
  it('refuses a string for boolean feedback before sending anything', async () => {
    const traceId = await newTrace();
    await logFeedback(traceId, { name: 'correct', value: true });
    const before = await stored(traceId);
    const err = await logFeedback(traceId, {
      name: 'correct',
      value: 'yes'
    }).catch(e => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain(`logFeedback on trace ${traceId}`);
    expect(err.message).toContain('"correct"');
    expect(err.message).toContain('boolean');
    expect(err.message).toContain('string');
    expect(await stored(traceId)).toEqual(before);
    // the same name as an expectation is another assessment: allowed
    await logExpectation(traceId, { name: 'correct', value: 'yes' });
    expect(await stored(traceId)).toHaveLength(2);
  });

  it('refuses a string where an expectation holds JSON, and keeps the JSON', async () => {
    const traceId = await newTrace();
    const facts = { facts: ['inputs', 'outputs'], count: 2 };
    const made = await logExpectation(traceId, { name: 'facts', value: facts });
    const text = made.expectation?.serialized_value?.value as string;
    expect(JSON.parse(text)).toEqual(facts);
    await expect(
      logExpectation(traceId, { name: 'facts', value: 'inputs' })
    ).rejects.toThrow(/"facts".*JSON.*string/);
    expect(await stored(traceId)).toHaveLength(1);
    // MLflow keeps no rationale on an expectation: refused, not dropped.
    await expect(
      logExpectation(traceId, { name: 'other', value: 'x', rationale: 'r' })
    ).rejects.toThrow('an expectation has no rationale in MLflow');
    expect(await stored(traceId)).toHaveLength(1);
  });
});

describe('overrides, edits and deletions by id', () => {
  it("overrides a judge's feedback with its name and span", async () => {
    const traceId = await newTrace();
    const judged = await logFeedback(traceId, {
      name: 'relevance',
      value: 0.4,
      spanId: '5199d0c09cd2fbef',
      source: { type: 'LLM_JUDGE', id: 'judge' }
    });
    const id = judged.assessment_id as string;
    // The overridden one does not count; another judge's number does.
    await logFeedback(traceId, {
      name: 'relevance',
      value: 0.6,
      source: { type: 'LLM_JUDGE', id: 'judge-2' }
    });
    await expect(
      overrideFeedback(traceId, id, { value: 'high' })
    ).rejects.toThrow(/"relevance".*number.*string/);
    expect(await stored(traceId)).toHaveLength(2);
    const human = await overrideFeedback(traceId, id, {
      value: 1,
      rationale: 'enough'
    });
    expect(human).toMatchObject({
      assessment_name: 'relevance',
      span_id: '5199d0c09cd2fbef',
      overrides: id,
      rationale: 'enough',
      source: { source_type: 'HUMAN', source_id: reviewer() }
    });
    const list = await stored(traceId);
    expect(list.find(a => a.assessment_id === id)?.valid).toBe(false);
  });

  it('refuses to override an expectation or an unknown id, sending nothing', async () => {
    const traceId = await newTrace();
    const ex = await logExpectation(traceId, { name: 'answer', value: 'x' });
    await expect(
      overrideFeedback(traceId, ex.assessment_id as string, { value: 'y' })
    ).rejects.toThrow('is an expectation, not feedback');
    const missing = await overrideFeedback(traceId, 'a-missing', {
      value: 1
    }).catch(e => e);
    expect(missing).toBeInstanceOf(AssessmentNotFoundError);
    expect(await stored(traceId)).toHaveLength(1);
  });

  it('updates value and rationale in place, checking the kind', async () => {
    const traceId = await newTrace();
    const mine = await logFeedback(traceId, {
      name: 'score',
      value: 2,
      rationale: 'meh'
    });
    await logFeedback(traceId, { name: 'score', value: 3 });
    const id = mine.assessment_id as string;
    await expect(
      updateAssessment(traceId, id, { value: 'five' })
    ).rejects.toThrow(/"score".*number.*string/);
    await expect(
      updateAssessment(traceId, id, { kind: 'expectation', value: 5 })
    ).rejects.toThrow('is feedback, not expectation');
    const updated = await updateAssessment(traceId, id, {
      kind: 'feedback',
      value: 5,
      rationale: 'better'
    });
    expect(updated).toMatchObject({
      assessment_id: id,
      feedback: { value: 5 },
      rationale: 'better'
    });
    const list = await stored(traceId);
    expect(list).toHaveLength(2);
    expect(list.find(a => a.assessment_id === id)?.feedback?.value).toBe(5);
  });

  it('deletes only the one asked; an unknown id is an error', async () => {
    const traceId = await newTrace();
    const a = await logFeedback(traceId, { name: 'a', value: true });
    const b = await logFeedback(traceId, { name: 'b', value: true });
    await deleteAssessment(traceId, a.assessment_id as string);
    expect((await stored(traceId)).map(x => x.assessment_id)).toEqual([
      b.assessment_id
    ]);
    await expect(
      deleteAssessment(traceId, a.assessment_id as string)
    ).rejects.toBeInstanceOf(AssessmentNotFoundError);
  });

  it('sets and deletes trace tags, resolving with the tags now held', async () => {
    const traceId = await newTrace();
    expect(await setTraceTag(traceId, 'review', 'done')).toMatchObject({
      review: 'done'
    });
    const after = await deleteTraceTag(traceId, 'review');
    expect(after).not.toHaveProperty('review');
  });
});
