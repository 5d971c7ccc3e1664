/**
 * A client on a scripted fetch: each request takes the next answer
 * (status and JSON body) and is recorded with its method, URL and body.
 */
import { MlflowClient } from '../../../src/client';

export interface ISent {
  method: string;
  url: URL;
  body: any;
}

export interface IScripted {
  client: MlflowClient;
  sent: ISent[];
}

/** `answers` in order; the last one repeats. */
export function scriptedClient(
  answers: { status?: number; body: unknown }[]
): IScripted {
  const sent: ISent[] = [];
  const fetchFn = async (url: unknown, init?: RequestInit) => {
    sent.push({
      method: String(init?.method),
      url: new URL(String(url)),
      body: init?.body === undefined ? undefined : JSON.parse(String(init.body))
    });
    const answer = answers[Math.min(sent.length, answers.length) - 1];
    const status = answer.status ?? 200;
    return {
      status,
      statusText: status === 200 ? 'OK' : 'Error',
      text: async () => JSON.stringify(answer.body),
      headers: { get: () => null }
    } as unknown as Response;
  };
  const client = new MlflowClient({
    trackingUri: 'http://127.0.0.1:5000',
    fetch: fetchFn as typeof fetch,
    retryBaseMs: 1
  });
  return { client, sent };
}
