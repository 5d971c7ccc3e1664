/**
 * QueryTraceMetrics through the client on a fake fetch: an answer that
 * pages (a next_page_token) fails with an error naming it instead of
 * losing the rows of the pages not read.
 */
import { InvalidResponseError, MlflowClientError } from '../../../src/client';
import { fakeClient } from './fakeFetch';

const POINT = {
  metric_name: 'trace_count',
  dimensions: { time_bucket: '2026-12-01T00:00:00+00:00' },
  values: { COUNT: 3 }
};

/** A client whose every answer is `answer`; the request bodies it was sent. */
function clientAnswering(answer: unknown) {
  const bodies: unknown[] = [];
  const client = fakeClient(body => {
    bodies.push(body);
    return answer;
  });
  return { client, bodies };
}

const QUERY = {
  experimentIds: ['1'],
  viewType: 'TRACES' as const,
  metricName: 'trace_count',
  aggregations: [{ type: 'COUNT' as const }]
};

describe('MlflowClient.queryTraceMetrics', () => {
  it('resolves with the data points of an answer without a next page', async () => {
    const { client, bodies } = clientAnswering({ data_points: [POINT] });
    const points = await client.queryTraceMetrics(QUERY);
    expect(points).toEqual([
      {
        metricName: 'trace_count',
        dimensions: POINT.dimensions,
        values: { COUNT: 3 }
      }
    ]);
    expect(bodies).toHaveLength(1);
  });

  it('fails with an error naming next_page_token when the answer has one', async () => {
    const { client, bodies } = clientAnswering({
      data_points: [POINT],
      next_page_token: 'page-2'
    });
    const error = await client.queryTraceMetrics(QUERY).catch(e => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toBeInstanceOf(MlflowClientError);
    expect(error.operation).toBe('queryTraceMetrics');
    expect(error.message).toContain('next_page_token');
    expect(error.message).toContain('page-2');
    expect(error.message).toContain('http://127.0.0.1:5000');
    expect(bodies).toHaveLength(1);
  });

  it('takes an empty next_page_token as no next page', async () => {
    const { client } = clientAnswering({
      data_points: [POINT],
      next_page_token: ''
    });
    await expect(client.queryTraceMetrics(QUERY)).resolves.toHaveLength(1);
  });
});
