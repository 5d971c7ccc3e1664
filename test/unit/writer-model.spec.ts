/**
 * The AssessmentWriter: each write shows as saving until the server
 * answers, a confirmed one is emitted as `saved` (with its edit of the
 * info) and leaves `pending`, a refused or failed one stays `unsaved` with
 * the error and Retry re-sends it as it was. The answers are shaped as
 * `mlflow server` 3.17.2 answers (see writer-edits.spec.ts).
 */
import { MlflowClient } from '../../src/client';
import { AssessmentWriter, IWriteSaved } from '../../src/lab/assessmentWriter';
import { IAssessment, ITraceInfoV3 } from '../../src/trace';

const TRACE = 'tr-f5a55396e05e021d61513ff251587478';
const judge: IAssessment = {
  assessment_id: 'a-37ea11e8530b4d9d8fa5517149ec79e4',
  assessment_name: 'quality',
  trace_id: TRACE,
  span_id: 'c3Bhbi0x',
  source: { source_type: 'LLM_JUDGE', source_id: 'gpt' },
  create_time: '2026-12-07T05:53:33.063Z',
  last_update_time: '2026-12-07T05:53:33.063Z',
  feedback: { value: true },
  rationale: 'ok',
  valid: true
};
const mine: IAssessment = {
  assessment_id: 'a-mine',
  assessment_name: 'correct',
  trace_id: TRACE,
  source: { source_type: 'HUMAN', source_id: 'alice' },
  create_time: '2026-12-07T05:53:33.313Z',
  last_update_time: '2026-12-07T05:53:33.313Z',
  feedback: { value: false },
  valid: true
};

interface IRequest {
  method: string;
  path: string;
  query: string;
  body: any;
}

/** The server's side: what it does with each request, and faults on demand. */
class Server {
  info: ITraceInfoV3 = {
    trace_id: TRACE,
    tags: { 'mlflow.traceName': 'f' },
    assessments: [judge, mine]
  };
  requests: IRequest[] = [];
  /** The next answers' fault: an HTTP status with MLflow's error body, or 'down' (fetch rejects), or 'hang'. */
  fault: number | 'down' | 'hang' | undefined;
  private _ids = 0;

  fetch = async (input: unknown, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    this.requests.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      body
    });
    if (this.fault === 'down') {
      throw new TypeError('Failed to fetch');
    }
    if (this.fault === 'hang') {
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError'))
        )
      );
    }
    if (typeof this.fault === 'number') {
      return answer(this.fault, {
        error_code: 'NOT_YOUR_ASSESSMENT',
        message: 'refused by the test'
      });
    }
    return answer(200, this._handle(init?.method ?? 'GET', url.pathname, body));
  };

  private _handle(method: string, path: string, body: any): unknown {
    const now = '2026-12-07T06:00:00.000Z';
    const id = path.match(/assessments\/([^/]+)$/)?.[1];
    if (path.endsWith('/tags')) {
      return {};
    }
    if (method === 'POST') {
      const { source, ...rest } = body.assessment;
      return {
        assessment: {
          assessment_id: `a-new-${++this._ids}`,
          ...rest,
          source,
          create_time: now,
          last_update_time: now,
          valid: true
        }
      };
    }
    if (method === 'PATCH') {
      const old = this.info.assessments!.find(a => a.assessment_id === id)!;
      return {
        assessment: {
          ...old,
          ...body.assessment,
          source: old.source,
          last_update_time: now
        }
      };
    }
    return {};
  }
}

function answer(status: number, body: unknown): Response {
  const text = JSON.stringify(body);
  return {
    status,
    ok: status < 300,
    statusText: status === 200 ? 'OK' : 'Refused',
    text: async () => text,
    json: async () => body,
    headers: { get: () => 'application/json' }
  } as unknown as Response;
}

let server: Server;
let writer: AssessmentWriter;
let saved: IWriteSaved[];
let changes: number;

function makeWriter(options: Partial<AssessmentWriter.IOptions> = {}) {
  const client = new MlflowClient({
    trackingUri: 'http://127.0.0.1:5000',
    fetch: server.fetch as typeof fetch,
    maxRetries: 0,
    timeoutMs: 200
  });
  writer = new AssessmentWriter({
    client: () => client,
    user: 'alice',
    infoOf: id => (id === TRACE ? server.info : undefined),
    ...options
  });
  saved = [];
  changes = 0;
  writer.saved.connect((_, write) => saved.push(write));
  writer.changed.connect(() => ++changes);
}

/** Let the client's requests and answers run. */
async function settle(ms = 0): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms));
  for (let i = 0; i < 5; i++) {
    await new Promise(resolve => setImmediate(resolve));
  }
}

function applied(): ITraceInfoV3 {
  return saved.reduce((info, write) => write.apply(info), server.info);
}

beforeEach(() => {
  server = new Server();
  makeWriter();
});

afterEach(() => writer.dispose());

describe('AssessmentWriter: confirmed writes', () => {
  it('adds feedback on a span: saving, then saved with the server answer, as HUMAN alice', async () => {
    writer.addFeedback(TRACE, {
      name: 'helpful',
      value: true,
      rationale: 'clear',
      spanId: 'c3Bhbi0x'
    });
    expect(writer.pending).toEqual([
      expect.objectContaining({
        traceId: TRACE,
        status: 'saving',
        label: 'feedback helpful = true'
      })
    ]);
    await settle();
    expect(writer.pending).toEqual([]);
    expect(changes).toBeGreaterThanOrEqual(2);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/api/3.0/mlflow/traces/${TRACE}/assessments`);
    expect(request.body.assessment).toMatchObject({
      assessment_name: 'helpful',
      span_id: 'c3Bhbi0x',
      rationale: 'clear',
      source: { source_type: 'HUMAN', source_id: 'alice' },
      feedback: { value: true }
    });
    expect(saved.map(s => s.traceId)).toEqual([TRACE]);
    expect(applied().assessments?.map(a => a.assessment_name)).toEqual([
      'quality',
      'correct',
      'helpful'
    ]);
  });

  it('labels a long value with whole code points (an emoji is never cut)', () => {
    writer.addFeedback(TRACE, { name: 'mood', value: '😀'.repeat(41) });
    expect(writer.pending[0].label).toBe(`feedback mood = ${'😀'.repeat(39)}…`);
    writer.addFeedback(TRACE, { name: 'mood', value: '😀'.repeat(40) });
    expect(writer.pending[1].label).toBe(`feedback mood = ${'😀'.repeat(40)}`);
  });

  it('adds an expectation with a JSON value', async () => {
    writer.addExpectation(TRACE, { name: 'facts', value: { a: [1, 2] } });
    await settle();
    // As MLflow's SDK sends a structured expectation: serialized JSON.
    const sent = server.requests[0].body.assessment.expectation;
    expect(JSON.parse(sent.value ?? sent.serialized_value.value)).toEqual({
      a: [1, 2]
    });
    expect(applied().assessments).toHaveLength(3);
  });

  it('edits its own: PATCH with an update mask, the answer replaces it', async () => {
    writer.edit(TRACE, 'a-mine', { value: true, rationale: 'on reflection' });
    await settle();
    const [request] = server.requests;
    expect(request.method).toBe('PATCH');
    expect(request.path).toBe(
      `/api/3.0/mlflow/traces/${TRACE}/assessments/a-mine`
    );
    expect(JSON.stringify(request.body)).toContain('feedback');
    const edited = applied().assessments!.find(
      a => a.assessment_id === 'a-mine'
    )!;
    expect(edited.feedback?.value).toBe(true);
    expect(applied().assessments).toHaveLength(2);
  });

  it('edits its own expectation without a rationale (MLflow keeps none on one)', async () => {
    server.info = {
      ...server.info,
      assessments: [
        ...server.info.assessments!,
        {
          ...mine,
          assessment_id: 'a-exp',
          assessment_name: 'facts',
          feedback: undefined,
          expectation: { value: 'paris' }
        }
      ]
    };
    writer.edit(TRACE, 'a-exp', { value: 'lyon', rationale: 'ignored' });
    await settle();
    const [request] = server.requests;
    expect(request.method).toBe('PATCH');
    expect(JSON.stringify(request.body)).not.toContain('ignored');
    expect(writer.pending).toEqual([]);
    expect(
      applied().assessments!.find(a => a.assessment_id === 'a-exp')?.expectation
        ?.value
    ).toBe('lyon');
  });

  it("overrides the judge's: a new assessment on the same span; the judge's is superseded", async () => {
    writer.override(TRACE, judge.assessment_id!, { value: false });
    await settle();
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.body.assessment).toMatchObject({
      assessment_name: 'quality',
      overrides: judge.assessment_id,
      span_id: 'c3Bhbi0x',
      feedback: { value: false }
    });
    const after = applied().assessments!;
    expect(
      after.find(a => a.assessment_id === judge.assessment_id)?.valid
    ).toBe(false);
    expect(after).toHaveLength(3);
  });

  it('deletes its own, and sets and removes a tag', async () => {
    writer.remove(TRACE, 'a-mine');
    writer.setTag(TRACE, 'reviewed', 'yes');
    writer.removeTag(TRACE, 'mlflow.traceName');
    await settle();
    expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `DELETE /api/3.0/mlflow/traces/${TRACE}/assessments/a-mine`,
      `PATCH /api/3.0/mlflow/traces/${TRACE}/tags`,
      `DELETE /api/3.0/mlflow/traces/${TRACE}/tags`
    ]);
    const after = applied();
    expect(after.assessments).toEqual([judge]);
    expect(after.tags).toEqual({ reviewed: 'yes' });
    expect(writer.pending).toEqual([]);
  });
});

describe('AssessmentWriter: refused, failed and bad writes', () => {
  it('a value of the wrong kind for an existing name is not sent', async () => {
    writer.addFeedback(TRACE, { name: 'quality', value: 'great' });
    await settle();
    expect(server.requests).toEqual([]);
    expect(writer.pending).toEqual([
      expect.objectContaining({ status: 'unsaved' })
    ]);
    expect(writer.pending[0].error).toMatch(/"quality".*boolean/);
  });

  it.each([
    ['403', 403, /NOT_YOUR_ASSESSMENT|refused|403/],
    ['server down', 'down' as const, /./],
    ['timeout', 'hang' as const, /./]
  ])(
    '%s: unsaved with the error; Retry sends the same write; later writes still go',
    async (_, fault, message) => {
      server.fault = fault;
      writer.addFeedback(TRACE, {
        name: 'helpful',
        value: true,
        rationale: 'r'
      });
      await settle(fault === 'hang' ? 400 : 0);
      expect(writer.pending).toEqual([
        expect.objectContaining({
          status: 'unsaved',
          label: 'feedback helpful = true'
        })
      ]);
      expect(writer.pending[0].error).toMatch(message);
      expect(saved).toEqual([]);
      const first = server.requests[0].body;
      server.fault = undefined;
      writer.setTag(TRACE, 'k', 'v');
      await settle();
      expect(saved).toHaveLength(1);
      expect(writer.pending).toHaveLength(1);
      writer.retry(writer.pending[0].id);
      expect(writer.pending[0].status).toBe('saving');
      await settle();
      expect(server.requests[2].body).toEqual(first);
      expect(writer.pending).toEqual([]);
      expect(saved).toHaveLength(2);
    }
  );

  it('retryAll sends every unsaved write', async () => {
    server.fault = 'down';
    writer.setTag(TRACE, 'a', '1');
    writer.setTag(TRACE, 'b', '2');
    await settle();
    expect(writer.pending.map(p => p.status)).toEqual(['unsaved', 'unsaved']);
    server.fault = undefined;
    writer.retryAll();
    await settle();
    expect(writer.pending).toEqual([]);
    expect(applied().tags).toMatchObject({ a: '1', b: '2' });
  });

  it('without a server nothing is sent: the reason is kept', async () => {
    makeWriter({ client: () => undefined, disabledReason: 'No server.' });
    writer.setTag(TRACE, 'a', '1');
    await settle();
    expect(server.requests).toEqual([]);
    expect(writer.pending[0]).toMatchObject({
      status: 'unsaved',
      error: 'No server.'
    });
  });

  it('after dispose an answer is dropped and nothing is signalled', async () => {
    writer.setTag(TRACE, 'a', '1');
    writer.dispose();
    await settle();
    expect(saved).toEqual([]);
  });
});
