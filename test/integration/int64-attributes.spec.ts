/**
 * Integers beyond 2^53 written by MLflow's Python SDK, read back through the
 * real server by our client and trace model: the digits stay exact.
 */
import { execFileSync } from 'child_process';
import { MlflowClient } from '../../src/client';
import { buildTrace } from '../../src/trace';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PYTHON, venvEnv } = require('../../scripts/lib/paths.cjs');

const trackingUri = process.env.MLFLOW_TEST_TRACKING_URI ?? '';
const experimentId = process.env.MLFLOW_TEST_EXPERIMENT_ID ?? '';

// One span: an int64 attribute, and inputs/outputs holding big integers.
const WRITER = `
import sys, mlflow
mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment(experiment_id=sys.argv[2])
with mlflow.start_span("ids") as span:
    span.set_attribute("user.id", 9223372036854775807)
    span.set_attribute("small", 42)
    span.set_inputs({"order": 12345678901234567890, "ref": "12345678901234567890"})
    span.set_outputs([-9007199254740993, 1.5])
mlflow.flush_trace_async_logging(terminate=False)
print(mlflow.get_last_active_trace_id())
`;

describe('int64 values from the Python SDK', () => {
  it('keep their exact digits in our trace model', async () => {
    const traceId = execFileSync(
      PYTHON,
      ['-c', WRITER, trackingUri, experimentId],
      { env: venvEnv({}), encoding: 'utf8' }
    )
      .trim()
      .split('\n')
      .pop()!;
    const client = new MlflowClient({ trackingUri });
    const raw = await client.getTrace(traceId);
    const [span] = buildTrace(raw.info, raw.spans).spans;
    expect(span.attributes['user.id']).toBe('9223372036854775807');
    expect(span.attributes.small).toBe(42);
    expect(span.inputs).toEqual({
      order: '12345678901234567890',
      ref: '12345678901234567890'
    });
    expect(span.outputs).toEqual(['-9007199254740993', 1.5]);
  });
});
