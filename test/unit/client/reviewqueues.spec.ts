/**
 * Review queues without a server: every page is read, the status filter
 * and `completed_by` are sent as the server wants them, and broken answers
 * or cycling page tokens fail with an error instead of a wrong list.
 */
import {
  InvalidResponseError,
  NotFoundError,
  PageTokenCycleError,
  reviewItemStatusBody
} from '../../../src/client';
import { scriptedClient } from './scriptedFetch';

const queue = (id: string) => ({
  queue_id: id,
  experiment_id: '1',
  name: `q-${id}`,
  queue_type: 'CUSTOM'
});
const item = (id: string, status = 'PENDING') => ({
  queue_id: 'rq-1',
  item_type: 'TRACE',
  item_id: id,
  status
});

describe('listReviewQueues', () => {
  it('reads every page, in order, until the token is empty', async () => {
    const { client, sent } = scriptedClient([
      {
        body: { review_queues: [queue('a'), queue('b')], next_page_token: 'T1' }
      },
      { body: { review_queues: [queue('c')], next_page_token: '' } }
    ]);
    const queues = await client.listReviewQueues('1', { pageSize: 2 });
    expect(queues.map(q => q.queue_id)).toEqual(['a', 'b', 'c']);
    expect(sent.map(s => s.url.search)).toEqual([
      '?experiment_id=1&max_results=2',
      '?experiment_id=1&max_results=2&page_token=T1'
    ]);
    expect(sent.every(s => s.method === 'GET')).toBe(true);
  });

  it('answers [] for an experiment without queues', async () => {
    const { client } = scriptedClient([{ body: { next_page_token: '' } }]);
    expect(await client.listReviewQueues('1')).toEqual([]);
  });

  it('fails on page tokens that cycle and on malformed queues', async () => {
    const cycling = scriptedClient([
      { body: { review_queues: [queue('a')], next_page_token: 'T1' } },
      { body: { review_queues: [queue('b')], next_page_token: 'T1' } }
    ]);
    await expect(cycling.client.listReviewQueues('1')).rejects.toBeInstanceOf(
      PageTokenCycleError
    );
    const broken = scriptedClient([{ body: { review_queues: [{ name: 1 }] } }]);
    const err = await broken.client.listReviewQueues('1').catch(e => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.message).toContain('listReviewQueues of experiment 1');
  });

  it('says a server without review queues has no such route', async () => {
    const { client } = scriptedClient([{ status: 404, body: 'Not Found' }]);
    const err = await client.listReviewQueues('1').catch(e => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toContain(
      'no route GET /api/3.0/mlflow/review-queues/list'
    );
  });
});

describe('listReviewQueueItems', () => {
  it('sends the status filter by name and reads every page', async () => {
    const { client, sent } = scriptedClient([
      { body: { items: [item('tr-1')], next_page_token: 'P' } },
      { body: { items: [item('tr-2')], next_page_token: '' } }
    ]);
    const items = await client.listReviewQueueItems('rq-1', 'PENDING');
    expect(items.map(i => i.item_id)).toEqual(['tr-1', 'tr-2']);
    expect(sent[0].url.searchParams.get('status')).toBe('PENDING');
    expect(sent[1].url.searchParams.get('page_token')).toBe('P');
  });
});

describe('setReviewQueueItemStatus', () => {
  it('sends completed_by for COMPLETE and DECLINED, never for PENDING', () => {
    expect(reviewItemStatusBody('q', 'i', 'COMPLETE', 'alice')).toEqual({
      queue_id: 'q',
      item_id: 'i',
      status: 'COMPLETE',
      completed_by: 'alice'
    });
    expect(reviewItemStatusBody('q', 'i', 'DECLINED', 'alice')).toHaveProperty(
      'completed_by',
      'alice'
    );
    expect(reviewItemStatusBody('q', 'i', 'PENDING', 'alice')).toEqual({
      queue_id: 'q',
      item_id: 'i',
      status: 'PENDING'
    });
    expect(
      reviewItemStatusBody('q', 'i', 'COMPLETE', undefined)
    ).not.toHaveProperty('completed_by');
  });

  it('POSTs and resolves with the stored item, sent again after a 502', async () => {
    const stored = { ...item('tr-1', 'COMPLETE'), completed_by: 'alice' };
    const { client, sent } = scriptedClient([
      { status: 502, body: {} },
      { body: { item: stored } }
    ]);
    const answer = await client.setReviewQueueItemStatus(
      'rq-1',
      'tr-1',
      'COMPLETE',
      'alice'
    );
    expect(answer).toEqual(stored);
    expect(sent).toHaveLength(2);
    expect(sent[1].method).toBe('POST');
    expect(sent[1].url.pathname).toBe(
      '/api/3.0/mlflow/review-queues/items/set-status'
    );
  });

  it('names the item and queue of a malformed answer', async () => {
    const { client } = scriptedClient([{ body: {} }]);
    const err = await client
      .setReviewQueueItemStatus('rq-1', 'tr-1', 'PENDING')
      .catch(e => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.message).toContain(
      'setReviewQueueItemStatus of item tr-1 of review queue rq-1'
    );
  });
});
