/**
 * Page-token cycles in the client's iterateTraces, on search answers made
 * of trace infos recorded from a real server, and a tracking URI whose
 * credentials do not decode.
 */
import {
  MlflowClient,
  MlflowClientError,
  normalizeTrackingUri,
  PageTokenCycleError
} from '../../../src/client';
import { loadRecorded } from '../recorded';
import { fakeClient } from './fakeFetch';

const infos = ['nested', 'chat', 'error'].map(
  label => loadRecorded(label).info
);

/**
 * A client whose search answers are recorded infos, one per page, keyed by
 * the request's page token ('' for the first page).
 */
function clientOver(pages: Record<string, { trace: number; next?: string }>) {
  const asked: string[] = [];
  const client = fakeClient(body => {
    const token = body.page_token ?? '';
    asked.push(token);
    const page = pages[token];
    return {
      traces: [infos[page.trace]],
      ...(page.next ? { next_page_token: page.next } : {})
    };
  });
  return { client, asked };
}

async function collect(client: MlflowClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of client.iterateTraces({ experimentIds: ['1'] })) {
    ids.push(info.trace_id);
    if (ids.length > 50) {
      throw new Error('iterateTraces did not stop');
    }
  }
  return ids;
}

describe('MlflowClient.iterateTraces', () => {
  it('fails with a typed error naming the cycle when tokens go A → B → A', async () => {
    const { client, asked } = clientOver({
      '': { trace: 0, next: 'A' },
      A: { trace: 1, next: 'B' },
      B: { trace: 2, next: 'A' }
    });
    const error = await collect(client).catch(e => e);
    expect(error).toBeInstanceOf(PageTokenCycleError);
    expect(error).toBeInstanceOf(MlflowClientError);
    expect(error.tokens).toEqual(['A', 'B', 'A']);
    expect(error.message).toContain('A → B → A');
    expect(error.operation).toBe('iterateTraces');
    expect(asked).toEqual(['', 'A', 'B']);
  });

  it('still fails at once on the same token twice', async () => {
    const { client } = clientOver({
      '': { trace: 0, next: 'A' },
      A: { trace: 1, next: 'A' }
    });
    const error = await collect(client).catch(e => e);
    expect(error).toBeInstanceOf(PageTokenCycleError);
    expect(error.tokens).toEqual(['A', 'A']);
  });

  it('reads every page of a chain without a cycle', async () => {
    const { client } = clientOver({
      '': { trace: 0, next: 'A' },
      A: { trace: 1, next: 'B' },
      B: { trace: 2 }
    });
    expect(await collect(client)).toEqual(infos.map(info => info.trace_id));
  });
});

describe('normalizeTrackingUri', () => {
  it.each([
    ['a password', 'http://user:%E0%A4%A@127.0.0.1:5000'],
    ['a user name', 'http://%FF@127.0.0.1:5000']
  ])(
    'turns %s that does not decode into the client\u2019s typed error, without echoing it',
    (_, uri) => {
      let error: unknown;
      try {
        normalizeTrackingUri(uri);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MlflowClientError);
      expect((error as Error).message).toMatch(/credentials/);
      expect((error as Error).message).not.toMatch(/%E0|%FF|user:/);
      expect(() => new MlflowClient({ trackingUri: uri })).toThrow(
        MlflowClientError
      );
    }
  );
});
