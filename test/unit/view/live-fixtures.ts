/**
 * Live trace payloads for the view and widget tests: span dicts as MLflow's
 * `LiveSpan.to_dict()` writes them (a running span has a null end and status
 * STATUS_CODE_UNSET), and the `live` object of the contract.
 */

/** The kernel's clock at the trace's start, Unix ms. */
export const BASE_MS = 1_733_550_000_000;
/**
 * The browser's clock when the first update arrives: not the kernel's, but
 * within the clock skew allowed before an update's own age makes it stale.
 */
export const BROWSER_MS = BASE_MS + 20 * 1000;
export const TRACE_ID = 'tr-5b7e0c1f2a3d4e5f60718293a4b5c6d7';

/** One span: times in ms from BASE_MS; `toMs` null while running. */
export interface ILiveSpanSpec {
  id: string;
  parent?: string;
  name: string;
  fromMs: number;
  toMs: number | null;
  error?: boolean;
  inputs?: unknown;
  outputs?: unknown;
}

const nanos = (ms: number) => (BASE_MS + ms) * 1e6;

/** A span dict as MLflow writes it. */
export function spanDict(spec: ILiveSpanSpec): Record<string, unknown> {
  const attributes: Record<string, string> = {
    'mlflow.traceRequestId': JSON.stringify(TRACE_ID),
    'mlflow.spanType': JSON.stringify('CHAIN')
  };
  if (spec.inputs !== undefined) {
    attributes['mlflow.spanInputs'] = JSON.stringify(spec.inputs);
  }
  if (spec.outputs !== undefined) {
    attributes['mlflow.spanOutputs'] = JSON.stringify(spec.outputs);
  }
  const code =
    spec.toMs === null
      ? 'STATUS_CODE_UNSET'
      : spec.error
        ? 'STATUS_CODE_ERROR'
        : 'STATUS_CODE_OK';
  return {
    trace_id: 'W34MHyo9Tl9gcYKTpLXG1w==',
    span_id: spec.id,
    parent_span_id: spec.parent ?? null,
    name: spec.name,
    start_time_unix_nano: nanos(spec.fromMs),
    end_time_unix_nano: spec.toMs === null ? null : nanos(spec.toMs),
    status: { code, message: spec.error ? 'boom' : '' },
    attributes,
    events: []
  };
}

/** The `live` object: running, updated `atMs` after BASE_MS. */
export function runningLive(
  atMs: number,
  sequence: number,
  updateEveryMs = 2000
): Record<string, unknown> {
  return {
    status: 'running',
    updated_unix_ms: BASE_MS + atMs,
    update_every_ms: updateEveryMs,
    sequence
  };
}

/** The `live` object of a trace interrupted `atMs` after BASE_MS. */
export function interruptedLive(
  atMs: number,
  sequence: number,
  reason: string
): Record<string, unknown> {
  return {
    status: 'interrupted',
    updated_unix_ms: BASE_MS + atMs,
    update_every_ms: 2000,
    sequence,
    interrupted_at_unix_nano: nanos(atMs),
    reason
  };
}

/** TraceInfoV3 of the live trace. */
export function liveInfo(state = 'IN_PROGRESS'): Record<string, unknown> {
  return {
    trace_id: TRACE_ID,
    trace_location: {
      type: 'MLFLOW_EXPERIMENT',
      mlflow_experiment: { experiment_id: '0' }
    },
    request_time: new Date(BASE_MS).toISOString(),
    state,
    tags: {}
  };
}

/** A trace payload (`application/vnd.mlflow.trace+json`) of `specs`. */
export function livePayload(
  specs: ILiveSpanSpec[],
  live: Record<string, unknown> | undefined,
  state = 'IN_PROGRESS'
): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    trace_id: TRACE_ID,
    info: liveInfo(state),
    spans: specs.map(spanDict)
  };
  if (live) {
    entry.live = live;
  }
  return { version: 1, traces: [entry] };
}

/**
 * A running agent, seen at `atMs`: agent (running) > plan (ended),
 * retrieve (running, with inputs); later steps as given.
 */
export function agentSpans(
  extra: ILiveSpanSpec[] = [],
  retrieveEndMs: number | null = null
): ILiveSpanSpec[] {
  return [
    { id: 'a000000000000001', name: 'agent', fromMs: 0, toMs: null },
    {
      id: 'a000000000000002',
      parent: 'a000000000000001',
      name: 'plan',
      fromMs: 100,
      toMs: 1000
    },
    {
      id: 'a000000000000003',
      parent: 'a000000000000001',
      name: 'retrieve',
      fromMs: 1200,
      toMs: retrieveEndMs,
      inputs: { query: 'what is a live trace?' },
      outputs: retrieveEndMs === null ? undefined : ['doc 1']
    },
    ...extra
  ];
}
