/**
 * POST JSON to the test server, sent once more when Node's fetch reused a
 * keep-alive socket the server had just closed ("other side closed"): a test
 * that ran a synchronous child process (a Python script writing traces) for
 * longer than the server's 5 s keep-alive meets it. Only for requests that are
 * safe to repeat: a search, or logging a trace info (an upsert).
 */
export async function postJson(url: string, body: unknown): Promise<Response> {
  const send = () =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    });
  try {
    return await send();
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') {
      return send();
    }
    throw error;
  }
}

/** Where a trace info is logged: by default the integration tests' server and experiment. */
export interface ITraceInfoTarget {
  trackingUri: string;
  experimentId: string;
}

const testTarget = (): ITraceInfoTarget => ({
  trackingUri: process.env.MLFLOW_TEST_TRACKING_URI ?? '',
  experimentId: process.env.MLFLOW_TEST_EXPERIMENT_ID ?? ''
});

/**
 * Log (or update: it is an upsert) a span-less trace info in `target`'s
 * experiment, with `fields` such as `state` or `execution_duration`.
 */
export function logTraceInfo(
  traceId: string,
  fields: Record<string, unknown>,
  target: ITraceInfoTarget = testTarget()
): Promise<Response> {
  return postJson(`${target.trackingUri}/api/3.0/mlflow/traces`, {
    trace: {
      trace_info: {
        trace_id: traceId,
        trace_location: {
          type: 'MLFLOW_EXPERIMENT',
          mlflow_experiment: { experiment_id: target.experimentId }
        },
        request_time: new Date().toISOString(),
        ...fields
      }
    }
  });
}
