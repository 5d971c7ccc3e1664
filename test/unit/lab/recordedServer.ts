/**
 * A `fetch` that answers the two reads of a trace (info, span data) with
 * responses recorded from a real `mlflow server`, with the state set by the
 * test, and that can hold an answer back to make it arrive late.
 */
import fs from 'fs';
import path from 'path';

const RECORDED = path.resolve(__dirname, '..', '..', 'fixtures', 'recorded');

function readRecorded(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(RECORDED, file), 'utf8'));
}

/** The info and span dicts of a recorded trace. */
export function recordedRaw(label: string): {
  info: Record<string, unknown>;
  spans: unknown[];
} {
  const info = readRecorded(`${label}.info.json`) as {
    trace: { trace_info: Record<string, unknown> };
  };
  const data = readRecorded(`${label}.spans.json`) as { spans: unknown[] };
  return { info: info.trace.trace_info, spans: data.spans };
}

/** What the loader's HttpClient reads of a fetch answer. */
function answer(status: number, body: unknown): Response {
  const text = JSON.stringify(body);
  return {
    status,
    statusText: status === 200 ? 'OK' : 'Not Found',
    text: async () => text,
    headers: { get: () => null }
  } as unknown as Response;
}

/** Recorded traces served by a fake fetch. */
export class RecordedServer {
  constructor(...labels: string[]) {
    for (const label of labels.length ? labels : ['nested']) {
      const info = readRecorded(`${label}.info.json`) as {
        trace: { trace_info: Record<string, unknown> };
      };
      const traceId = info.trace.trace_info.trace_id as string;
      this._traces.set(traceId, {
        info: info.trace.trace_info,
        spans: readRecorded(`${label}.spans.json`)
      });
    }
    this.traceId = this._traces.keys().next().value as string;
  }

  /** The first recorded trace's id. */
  readonly traceId: string;

  /** The state the next info answer reports. */
  state = 'OK';

  /** Paths of the requests received, in order. */
  readonly requests: string[] = [];

  /** How many times the trace info was asked for. */
  get infoRequests(): number {
    return this.requests.filter(p => p.startsWith('/api/3.0/mlflow/traces/'))
      .length;
  }

  /** Hold the answer to the next request until the returned function is called. */
  holdNext(): () => void {
    let release = () => {};
    this._held = new Promise<void>(resolve => (release = resolve));
    return release;
  }

  /** The fake `fetch`. */
  fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(String(input));
    this.requests.push(url.pathname);
    // The answer is what the server holds when the request arrives.
    const state = this.state;
    const held = this._held;
    this._held = null;
    if (held) {
      await held;
    }
    const infoPrefix = '/api/3.0/mlflow/traces/';
    if (url.pathname.startsWith(infoPrefix)) {
      const trace = this._traces.get(url.pathname.slice(infoPrefix.length));
      if (trace) {
        return answer(200, { trace: { trace_info: { ...trace.info, state } } });
      }
    }
    if (url.pathname === '/ajax-api/3.0/mlflow/get-trace-artifact') {
      const trace = this._traces.get(url.searchParams.get('request_id') ?? '');
      if (trace) {
        return answer(200, trace.spans);
      }
    }
    return answer(404, { error_code: 'RESOURCE_DOES_NOT_EXIST' });
  };

  private _traces = new Map<
    string,
    { info: Record<string, unknown>; spans: Record<string, unknown> }
  >();
  private _held: Promise<void> | null = null;
}
