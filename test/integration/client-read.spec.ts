/**
 * Reading traces from a real tracking server: info, spans, search, and the
 * errors the server's own answers turn into.
 */
import {
  BadRequestError,
  MlflowClient,
  NotFoundError,
  TraceNotFoundError
} from '../../src/client';

const trackingUri = process.env.MLFLOW_TEST_TRACKING_URI ?? '';
const fixturesExperimentId =
  process.env.MLFLOW_TEST_FIXTURES_EXPERIMENT_ID ?? '';

describe('MlflowClient reads', () => {
  const client = new MlflowClient({ trackingUri });
  let traceId = '';

  beforeAll(async () => {
    expect(trackingUri).not.toBe('');
    expect(fixturesExperimentId).not.toBe('');
    const page = await client.searchTraces({
      experimentIds: [fixturesExperimentId],
      orderBy: ['timestamp_ms DESC'],
      maxResults: 50
    });
    // A fixture trace with spans; the Python SDK stores span data for each.
    const withSpans = page.traces.find(
      t => t.trace_metadata?.['mlflow.trace.sizeStats'] !== undefined
    );
    traceId = (withSpans ?? page.traces[0])?.trace_id ?? '';
    expect(traceId).toMatch(/^tr-/);
  });

  it('gets trace info and spans, separately and together', async () => {
    const info = await client.getTraceInfo(traceId);
    expect(info.trace_id).toBe(traceId);
    expect(info.trace_location?.mlflow_experiment?.experiment_id).toBe(
      fixturesExperimentId
    );
    const spans = await client.getTraceSpans(traceId);
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans) {
      expect(typeof span.name).toBe('string');
    }
    const trace = await client.getTrace(traceId);
    expect(trace.info).toEqual(info);
    expect(trace.spans).toEqual(spans);
  });

  it('gets several traces in input order', async () => {
    const page = await client.searchTraces({
      experimentIds: [fixturesExperimentId],
      maxResults: 5
    });
    const ids = page.traces.map(t => t.trace_id).reverse();
    const traces = await client.getTraces(ids, { concurrency: 2 });
    expect(traces.map(t => t.info.trace_id)).toEqual(ids);
  });

  it('names the trace and the server when a trace is missing', async () => {
    const missing = 'tr-00000000000000000000000000000bad';
    for (const call of [
      () => client.getTraceInfo(missing),
      () => client.getTraceSpans(missing),
      () => client.getTrace(missing)
    ]) {
      const err = await call().catch(e => e);
      expect(err).toBeInstanceOf(TraceNotFoundError);
      expect(err.message).toBe(
        `Trace ${missing} not found on ${trackingUri.replace(/\/+$/, '')}`
      );
      expect(err.status).toBe(404);
      expect(err.errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
    }
  });

  it('searches with a filter and an order', async () => {
    const page = await client.searchTraces({
      experimentIds: [fixturesExperimentId],
      filter: "trace.status = 'OK'",
      orderBy: ['timestamp_ms ASC'],
      maxResults: 500
    });
    expect(page.traces.length).toBeGreaterThan(0);
    for (const t of page.traces) {
      expect(t.state).toBe('OK');
    }
    const times = page.traces.map(t => Date.parse(t.request_time ?? ''));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('returns an empty page when nothing matches', async () => {
    const page = await client.searchTraces({
      experimentIds: [fixturesExperimentId],
      filter: "tags.no_such_tag = 'nothing'"
    });
    expect(page).toEqual({ traces: [], nextPageToken: undefined });
  });

  it("surfaces the server's message for a malformed filter", async () => {
    const err = await client
      .searchTraces({
        experimentIds: [fixturesExperimentId],
        filter: 'trace.status = = x'
      })
      .catch(e => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.status).toBe(400);
    expect(err.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(err.serverMessage).toMatch(/filter/i);
    expect(err.message).toContain(err.serverMessage);
  });

  it('finds experiments by name, and null for a missing one', async () => {
    expect(
      await client.getExperimentByName(`missing-${Date.now()}`)
    ).toBeNull();
    const name = `client-read-${Date.now()}`;
    const id = await client.createExperiment(name);
    const experiment = await client.getExperimentByName(name);
    expect(experiment).toMatchObject({ experimentId: id, name });
    const again = await client.createExperiment(name).catch(e => e);
    expect(again.errorCode).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('builds the MLflow UI link of a trace', async () => {
    const info = await client.getTraceInfo(traceId);
    const base = trackingUri.replace(/\/+$/, '');
    expect(client.uiUrl(info)).toBe(
      `${base}/#/experiments/${fixturesExperimentId}/traces?selectedEvaluationId=${traceId}`
    );
    expect(client.uiUrl({ trace_id: traceId })).toBeUndefined();
  });

  it('reports a route the server does not have as NotFoundError', async () => {
    // A path prefix that is not where MLflow is mounted.
    const wrong = new MlflowClient({ trackingUri: `${trackingUri}/nowhere` });
    const err = await wrong.getTraceInfo(traceId).catch(e => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).not.toBeInstanceOf(TraceNotFoundError);
  });
});
