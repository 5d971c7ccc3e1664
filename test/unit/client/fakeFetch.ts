/**
 * A client on a fake fetch: every request answers 200 with what `respond`
 * returns for the request's JSON body ({} when it has none).
 */
import { MlflowClient } from '../../../src/client';

export function fakeClient(respond: (body: any) => unknown): MlflowClient {
  const fetchFn = async (_url: unknown, init?: RequestInit) => {
    const body = JSON.stringify(
      respond(JSON.parse(String(init?.body ?? '{}')))
    );
    return {
      status: 200,
      statusText: 'OK',
      text: async () => body,
      headers: { get: () => null }
    } as unknown as Response;
  };
  return new MlflowClient({
    trackingUri: 'http://127.0.0.1:5000',
    fetch: fetchFn as typeof fetch
  });
}
