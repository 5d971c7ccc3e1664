/**
 * fetchTraceAttachment: one request to the client's own server, naming only
 * the trace id and the attachment id (a UUID); the bytes typed from the
 * reference when it is an image or audio type, capped in size.
 */
import {
  fetchTraceAttachment,
  MlflowClient,
  NotFoundError
} from '../../../src/client';

const TRACE = 'tr-12863ead281f73392fb5dcc8deb644cf';
const ID = '98133eb8-271a-41a7-bbfd-c331731f487d';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

function answering(
  status: number,
  body: BodyInit,
  headers: Record<string, string> = {}
) {
  return jest.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) =>
      new Response(body, { status, headers })
  );
}

describe('fetchTraceAttachment', () => {
  it('asks the configured server for (trace id, attachment id) and types the bytes from the reference', async () => {
    const fetch = answering(200, PNG, { 'Content-Type': 'text/html' });
    const blob = await fetchTraceAttachment(
      {
        trackingUri: 'http://jupyter.test/base/mlflow-traces/proxy/',
        fetch,
        auth: { token: 't' }
      },
      { id: ID, traceId: TRACE, contentType: 'image/png' }
    );
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0];
    expect(String(url)).toBe(
      `http://jupyter.test/base/mlflow-traces/proxy/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${TRACE}&path=${ID}`
    );
    expect((init?.headers as Record<string, string>).Authorization).toBe(
      'Bearer t'
    );
    expect(blob.type).toBe('image/png');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(PNG);
  });

  it('types any other content as opaque bytes', async () => {
    const blob = await fetchTraceAttachment(
      { trackingUri: 'http://mlflow.test', fetch: answering(200, PNG) },
      { id: ID, traceId: TRACE, contentType: 'image/svg+xml' }
    );
    expect(blob.type).toBe('application/octet-stream');
  });

  it('sends nothing for an id that is not a UUID', async () => {
    const fetch = answering(200, PNG);
    for (const id of ['../traces.json', 'http://evil.test/x', `${ID}/..`, '']) {
      await expect(
        fetchTraceAttachment(
          { trackingUri: 'http://mlflow.test', fetch },
          { id, traceId: TRACE, contentType: 'image/png' }
        )
      ).rejects.toThrow('not a UUID');
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses an answer over the size cap, declared or not', async () => {
    const source = { trackingUri: 'http://mlflow.test', maxBytes: 3 };
    const ref = { id: ID, traceId: TRACE, contentType: 'image/png' };
    await expect(
      fetchTraceAttachment({ ...source, fetch: answering(200, PNG) }, ref)
    ).rejects.toThrow('larger than the 3-byte limit');
    await expect(
      fetchTraceAttachment(
        { ...source, fetch: answering(200, PNG, { 'Content-Length': '4' }) },
        ref
      )
    ).rejects.toThrow('4 bytes, larger than the 3-byte limit');
  });

  it("says MLflow's not-found", async () => {
    const body = JSON.stringify({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'no attachment'
    });
    await expect(
      fetchTraceAttachment(
        { trackingUri: 'http://mlflow.test', fetch: answering(404, body) },
        { id: ID, traceId: TRACE, contentType: 'image/png' }
      )
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("is the client's getTraceAttachment, with the client's server and fetch", async () => {
    const fetch = answering(200, PNG);
    const client = new MlflowClient({
      trackingUri: 'http://mlflow.test/prefix',
      fetch
    });
    const blob = await client.getTraceAttachment({
      id: ID,
      traceId: TRACE,
      contentType: 'audio/wav'
    });
    expect(String(fetch.mock.calls[0][0])).toBe(
      `http://mlflow.test/prefix/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${TRACE}&path=${ID}`
    );
    expect(blob.type).toBe('audio/wav');
  });
});
