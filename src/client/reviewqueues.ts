/**
 * MLflow's review queues (3.14+): the queues of an experiment, their items
 * and each item's status, under `/api/3.0/mlflow/review-queues/`.
 *
 * #### Notes
 * Checked against `mlflow server` 3.17.2 (queues made with
 * `mlflow.genai.review_queues`): lists page with `next_page_token`, `""`
 * on the last page; `status` is sent and answered by name. On a server
 * without auth, `completed_by` is required to mark an item COMPLETE or
 * DECLINED and refused when reopening it to PENDING; behind MLflow's auth
 * app the server records the signed-in user instead. A server without
 * review queues answers 404 (NotFoundError: no route).
 */
import { IReviewQueue, IReviewQueueItem, ReviewStatus } from '../trace/wire';
import { isRecord } from '../trace/attributes';
import { InvalidResponseError } from './errors';
import { HttpClient, IRequest } from './http';
import { PageTokenTrail } from './paging';

const BASE = '/api/3.0/mlflow/review-queues';

/** Paging of a list: how many per page (the server's default otherwise). */
export interface IListPageOptions {
  pageSize?: number;
}

/**
 * Every element of a paged list: `field` of each answer to `req` with
 * `page_token` set, until a page has no token.
 */
async function allPages<T>(
  http: HttpClient,
  req: IRequest & { query: Record<string, string> },
  field: string,
  valid: (element: unknown) => boolean
): Promise<T[]> {
  const context = {
    serverUrl: http.baseUrl,
    operation: req.operation,
    subject: req.subject
  };
  const trail = new PageTokenTrail(context);
  const all: T[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const query = { ...req.query };
    if (pageToken !== undefined) {
      trail.visit(pageToken);
      query.page_token = pageToken;
    }
    const body = await http.request({ ...req, query });
    const page = body[field] ?? [];
    if (!Array.isArray(page) || !page.every(valid)) {
      throw new InvalidResponseError(`${field} is not a list of them`, context);
    }
    all.push(...(page as T[]));
    const next = body.next_page_token;
    if (typeof next !== 'string' || next === '') {
      return all;
    }
    pageToken = next;
  }
}

function pageQuery(options: IListPageOptions): Record<string, string> {
  return options.pageSize === undefined
    ? {}
    : { max_results: String(options.pageSize) };
}

const isQueue = (q: unknown) =>
  isRecord(q) && typeof q.queue_id === 'string' && typeof q.name === 'string';

const isItem = (i: unknown) =>
  isRecord(i) && typeof i.item_id === 'string' && typeof i.status === 'string';

/** Every review queue of the experiment, all pages. */
export function listReviewQueues(
  http: HttpClient,
  experimentId: string,
  options: IListPageOptions = {}
): Promise<IReviewQueue[]> {
  const req = {
    operation: 'listReviewQueues',
    subject: `experiment ${experimentId}`,
    method: 'GET' as const,
    path: `${BASE}/list`,
    query: { experiment_id: experimentId, ...pageQuery(options) }
  };
  return allPages<IReviewQueue>(http, req, 'review_queues', isQueue);
}

/** Every item of the queue, or those with `status`, all pages. */
export function listReviewQueueItems(
  http: HttpClient,
  queueId: string,
  status?: ReviewStatus,
  options: IListPageOptions = {}
): Promise<IReviewQueueItem[]> {
  const query: Record<string, string> = {
    queue_id: queueId,
    ...pageQuery(options)
  };
  if (status !== undefined) {
    query.status = status;
  }
  const req = {
    operation: 'listReviewQueueItems',
    subject: `review queue ${queueId}`,
    method: 'GET' as const,
    path: `${BASE}/items/list`,
    query
  };
  return allPages<IReviewQueueItem>(http, req, 'items', isItem);
}

/** The JSON body of `POST review-queues/items/set-status`. */
export function reviewItemStatusBody(
  queueId: string,
  itemId: string,
  status: ReviewStatus,
  completedBy: string | undefined
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    queue_id: queueId,
    item_id: itemId,
    status
  };
  // The server refuses a completed_by on a reopened (PENDING) item.
  if (completedBy !== undefined && status !== 'PENDING') {
    body.completed_by = completedBy;
  }
  return body;
}

/**
 * Sets an item's status; `completedBy` names who completed or declined it
 * (needed by a server without auth). Resolves with the item as now stored.
 */
export async function setReviewQueueItemStatus(
  http: HttpClient,
  queueId: string,
  itemId: string,
  status: ReviewStatus,
  completedBy?: string
): Promise<IReviewQueueItem> {
  const operation = 'setReviewQueueItemStatus';
  const subject = `item ${itemId} of review queue ${queueId}`;
  const body = await http.request({
    operation,
    subject,
    method: 'POST',
    path: `${BASE}/items/set-status`,
    body: reviewItemStatusBody(queueId, itemId, status, completedBy),
    // Setting a status twice leaves the same status: safe to send again.
    idempotent: true
  });
  if (!isItem(body.item)) {
    throw new InvalidResponseError('no item', {
      serverUrl: http.baseUrl,
      operation,
      subject
    });
  }
  return body.item as IReviewQueueItem;
}
