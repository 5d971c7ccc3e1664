/**
 * A `fetch` that answers the loader's two reads (trace info, span data) with
 * responses recorded from a real `mlflow server`, with the trace's state set
 * by the test, and that can hold an answer back to make it arrive late.
 */
import fs from 'fs';
import path from 'path';

const RECORDED = path.resolve(__dirname, '..', '..', 'fixtures', 'recorded');

function readRecorded(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(RECORDED, file), 'utf8'));
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

/** One recorded trace served by a fake fetch. */
export class RecordedServer {
  constructor(label = 'nested') {
    const info = readRecorded(`${label}.info.json`) as {
      trace: { trace_info: Record<string, unknown> };
    };
    this._info = info.trace.trace_info;
    this._spans = readRecorded(`${label}.spans.json`);
    this.traceId = this._info.trace_id as string;
  }

  /** The recorded trace's id. */
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
    const info = { ...this._info, state: this.state };
    const held = this._held;
    this._held = null;
    if (held) {
      await held;
    }
    if (url.pathname === `/api/3.0/mlflow/traces/${this.traceId}`) {
      return answer(200, { trace: { trace_info: info } });
    }
    if (url.pathname === '/ajax-api/3.0/mlflow/get-trace-artifact') {
      return answer(200, this._spans);
    }
    return answer(404, { error_code: 'RESOURCE_DOES_NOT_EXIST' });
  };

  private _info: Record<string, unknown>;
  private _spans: Record<string, unknown>;
  private _held: Promise<void> | null = null;
}
