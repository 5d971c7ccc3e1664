/**
 * Sessions in the trace model: the search filter MLflow 3.17.2 reads (its
 * quoting checked against a real server in test/integration/session.spec.ts),
 * the turns' order and what each side of a turn says.
 */
import {
  ITraceInfoV3,
  sessionFilter,
  sessionIdOf,
  sessionOrder,
  sessionTurns,
  turnText,
  userIdOf
} from '../../../src/trace';

const info = (
  traceId: string,
  requestTime?: string,
  more: Partial<ITraceInfoV3> = {}
): ITraceInfoV3 => ({
  trace_id: traceId,
  ...(requestTime === undefined ? {} : { request_time: requestTime }),
  ...more
});

describe('sessionFilter', () => {
  it.each([
    ['s-1', "metadata.`mlflow.trace.session` = 's-1'"],
    ["it's", 'metadata.`mlflow.trace.session` = "it\'s"'],
    ['say "hi"', 'metadata.`mlflow.trace.session` = \'say "hi"\''],
    ['a\\b', "metadata.`mlflow.trace.session` = 'a\\b'"]
  ])('quotes %j as MLflow reads it', (id, filter) => {
    expect(sessionFilter(id)).toBe(filter);
  });

  it('names what cannot be a session id', () => {
    expect(() => sessionFilter('')).toThrow(
      'a session id is a non-empty string (got an empty string)'
    );
    expect(() => sessionFilter(7)).toThrow('(got number)');
    expect(() => sessionFilter(`it's "both"`)).toThrow(
      /holds both ' and ", which MLflow's search filter cannot quote/
    );
  });
});

describe('the turns of a session', () => {
  it('orders by request time; no time goes last; ties keep their order', () => {
    const infos = [
      info('c'),
      info('b', '2026-12-02T00:05:00Z'),
      info('a', '2026-12-02T00:01:00.500Z'),
      info('d', 'not a time'),
      info('e', '2026-12-02T00:05:00Z')
    ];
    expect(sessionOrder(infos)).toEqual([2, 1, 4, 0, 3]);
    const turns = sessionTurns(infos);
    expect(turns.map(t => t.traceId)).toEqual(['a', 'b', 'e', 'c', 'd']);
    expect(turns[0].requestTimeMs).toBe(1796169660500);
    expect(turns[3].requestTimeMs).toBeNull();
  });

  it('reads state, latency and both sides of a turn', () => {
    const [turn] = sessionTurns([
      info('a', '2026-12-02T00:00:00Z', {
        state: 'ERROR',
        execution_duration: '2.500s',
        request_preview: 'Book a table',
        response_preview: ''
      })
    ]);
    expect(turn).toMatchObject({
      state: 'ERROR',
      durationMs: 2500,
      user: 'Book a table',
      assistant: ''
    });
  });

  it('reads session and user from the metadata, strings only', () => {
    const meta = info('a', undefined, {
      trace_metadata: { 'mlflow.trace.session': 's', 'mlflow.trace.user': 'u' }
    });
    expect([sessionIdOf(meta), userIdOf(meta)]).toEqual(['s', 'u']);
    const odd = {
      trace_id: 'b',
      trace_metadata: { 'mlflow.trace.session': 3 }
    } as unknown as ITraceInfoV3;
    expect(sessionIdOf(odd)).toBe('');
    expect(userIdOf(undefined)).toBe('');
  });
});

describe('turnText', () => {
  const chat = JSON.stringify({
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'reply' },
      { role: 'user', content: '<b>last</b>' }
    ]
  });

  it('takes the last message of the role from a chat payload', () => {
    expect(turnText(chat, 'user')).toBe('<b>last</b>');
    expect(turnText(chat, 'assistant')).toBe('reply');
  });

  it('reads an OpenAI completion as the answer', () => {
    const completion = JSON.stringify({
      choices: [{ message: { role: 'assistant', content: 'Sunny.' } }]
    });
    expect(turnText(completion, 'assistant')).toBe('Sunny.');
  });

  it('keeps anything else as written', () => {
    expect(turnText('{"question": "x"}', 'user')).toBe('{"question": "x"}');
    const cut = '{"messages": [{"role": "user", "content": "cut';
    expect(turnText(cut, 'user')).toBe(cut);
    expect(turnText('plain words', 'user')).toBe('plain words');
    expect(turnText(chat, 'tool')).toBe(chat);
    expect(turnText(undefined, 'user')).toBe('');
    expect(turnText(42, 'user')).toBe('');
  });
});
