/**
 * Writing to a real tracking server: tags, assessments, deletion, and
 * paging over traces logged through the REST API into the writable
 * experiment.
 */
import { MlflowClient, NotFoundError } from '../../src/client';
import { logTraceInfo } from './post-json';

const trackingUri = (process.env.MLFLOW_TEST_TRACKING_URI ?? '').replace(
  /\/+$/,
  ''
);
const experimentId = process.env.MLFLOW_TEST_EXPERIMENT_ID ?? '';

function randomTraceId(): string {
  const hex = Array.from({ length: 32 }, () =>
    Math.floor(Math.random() * 16).toString(16)
  );
  return `tr-${hex.join('')}`;
}

/** Logs a span-less trace with `POST /api/3.0/mlflow/traces`. */
async function logTrace(
  tags: Record<string, string>,
  requestTime = new Date()
): Promise<string> {
  const traceId = randomTraceId();
  const response = await logTraceInfo(
    traceId,
    {
      request_time: requestTime.toISOString(),
      execution_duration: '0.010s',
      state: 'OK',
      tags
    },
    { trackingUri, experimentId }
  );
  expect(response.status).toBe(200);
  return traceId;
}

async function logTraces(
  count: number,
  tags: Record<string, string>
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, () =>
      logTrace(tags)
    );
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

async function exists(client: MlflowClient, traceId: string): Promise<boolean> {
  return client.getTraceInfo(traceId).then(
    () => true,
    err => {
      if (err instanceof NotFoundError) {
        return false;
      }
      throw err;
    }
  );
}

describe('MlflowClient writes', () => {
  const client = new MlflowClient({ trackingUri });

  beforeAll(() => {
    expect(trackingUri).not.toBe('');
    expect(experimentId).not.toBe('');
  });

  it('sets and deletes a tag', async () => {
    const traceId = await logTrace({ suite: 'tags' });
    await client.setTraceTag(traceId, 'reviewed by', 'a/b ✓');
    expect((await client.getTraceInfo(traceId)).tags?.['reviewed by']).toBe(
      'a/b ✓'
    );
    await client.deleteTraceTag(traceId, 'reviewed by');
    expect((await client.getTraceInfo(traceId)).tags).not.toHaveProperty(
      'reviewed by'
    );
    const again = await client
      .deleteTraceTag(traceId, 'reviewed by')
      .catch(e => e);
    expect(again).toBeInstanceOf(NotFoundError);
    expect(again.serverMessage).toContain('reviewed by');
  });

  it('logs feedback and an expectation, visible in the trace info', async () => {
    const traceId = await logTrace({ suite: 'assessments' });
    const feedback = await client.logFeedback(traceId, {
      name: 'relevance',
      value: 4,
      rationale: 'on topic',
      source: { type: 'HUMAN', id: 'tester' },
      metadata: { run: 'ci' }
    });
    expect(feedback).toMatchObject({
      assessment_name: 'relevance',
      trace_id: traceId,
      source: { source_type: 'HUMAN', source_id: 'tester' },
      feedback: { value: 4 },
      rationale: 'on topic',
      metadata: { run: 'ci' }
    });
    expect(feedback.assessment_id).toMatch(/^a-/);
    const expectation = await client.logExpectation(traceId, {
      name: 'answer',
      value: 'Paris'
    });
    expect(expectation.source?.source_type).toBe('HUMAN');
    const info = await client.getTraceInfo(traceId);
    const byName = Object.fromEntries(
      (info.assessments ?? []).map(a => [a.assessment_name, a])
    );
    expect(byName.relevance?.assessment_id).toBe(feedback.assessment_id);
    expect(byName.relevance?.feedback?.value).toBe(4);
    expect(byName.answer?.assessment_id).toBe(expectation.assessment_id);
  });

  it('deletes traces by id, exactly those', async () => {
    const [a, b, c] = await logTraces(3, { suite: 'delete-ids' });
    expect(await client.deleteTraces({ experimentId, traceIds: [a, b] })).toBe(
      2
    );
    expect(await exists(client, a)).toBe(false);
    expect(await exists(client, b)).toBe(false);
    expect(await exists(client, c)).toBe(true);
    expect(await client.deleteTraces({ experimentId, traceIds: [] })).toBe(0);
  });

  it('deletes traces strictly older than a time, only those', async () => {
    // Far in the past, so that no other trace in the experiment is older.
    const cutMs = Date.parse('2001-01-01T00:00:01.000Z');
    const older = await logTrace(
      { suite: 'delete-time' },
      new Date(cutMs - 1000)
    );
    const atCut = await logTrace({ suite: 'delete-time' }, new Date(cutMs));
    const newer = await logTrace(
      { suite: 'delete-time' },
      new Date(cutMs + 1000)
    );
    expect(
      await client.deleteTraces({ experimentId, olderThanMs: cutMs })
    ).toBe(1);
    expect(await exists(client, older)).toBe(false);
    expect(await exists(client, atCut)).toBe(true);
    expect(await exists(client, newer)).toBe(true);
  });

  it('pages past 100 traces, yielding each exactly once', async () => {
    const batch = `b${Date.now()}`;
    const ids = await logTraces(120, { client_batch: batch });
    const query = {
      experimentIds: [experimentId],
      filter: `tags.client_batch = '${batch}'`,
      orderBy: ['timestamp_ms DESC']
    };
    const first = await client.searchTraces(query);
    expect(first.traces).toHaveLength(100);
    expect(first.nextPageToken).toBeDefined();
    const seen: string[] = [];
    for await (const info of client.iterateTraces(query)) {
      seen.push(info.trace_id);
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('reports span data missing for a span-less trace', async () => {
    const traceId = await logTrace({ suite: 'no-spans' });
    const err = await client.getTraceSpans(traceId).catch(e => e);
    expect(err.name).toBe('TraceDataNotFoundError');
    expect(err.message).toContain(traceId);
  });
});
