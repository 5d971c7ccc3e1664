/**
 * Labelling from a trace-list output: its assessment writer (so the opened
 * trace's pane can write), the review queues of its experiments, and the
 * review in progress. Saved writes go to the list's rows, the output's
 * payload and the review, in that order.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { MlflowClient } from '../client';
import type { IReviewQueueChoice } from '../view/review';
import { AssessmentWriter, IWriteSaved } from './assessmentWriter';
import { getJupyterUser } from './jupyterServer';
import { ListConnection, TraceListModel } from './listModel';
import { ReviewModel } from './reviewModel';

/** The writer, queues and review of one trace-list output. */
export class ListReview {
  constructor(options: ListReview.IOptions) {
    this._persist = options.persist;
  }

  /** Emitted when the writer, the queues or the review changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The writer of the output; undefined until its connection is known. */
  get writer(): AssessmentWriter | undefined {
    return this._writer;
  }

  /** The review queues of the list's experiments (none when the server has none). */
  get queues(): readonly IReviewQueueChoice[] {
    return this._queues;
  }

  /** The review in progress. */
  get review(): ReviewModel | undefined {
    return this._review;
  }

  /**
   * Follow a connection of the output (once per rendering or change of
   * trust): a new writer along it, and the queues it lists.
   */
  async connect(
    connection: Promise<ListConnection>,
    model: () => TraceListModel | null
  ): Promise<void> {
    this._model = model;
    const [ready, user] = await Promise.all([
      connection,
      getJupyterUser().catch(() => undefined)
    ]);
    if (this._disposed) {
      return;
    }
    this._client = 'client' in ready ? ready.client : undefined;
    this._writer?.dispose();
    this._writer = new AssessmentWriter({
      client: () => this._client,
      user,
      disabledReason: 'problem' in ready ? ready.problem : undefined,
      infoOf: traceId => this._model()?.infoOf(traceId)
    });
    this._writer.saved.connect(this._onSaved, this);
    this._writer.changed.connect(this._emit, this);
    this._emit();
    this._queues = await this._listQueues();
    this._emit();
  }

  /** Review the list's loaded rows. */
  start(): void {
    const model = this._model();
    if (model) {
      this._begin(model.items.map(item => item.traceId));
    }
  }

  /** Review a queue's pending items, recording each labelled one as complete. */
  async startQueue(queueId: string): Promise<void> {
    const client = this._client;
    const user = this._writer?.user;
    const queue = this._queues.find(choice => choice.id === queueId);
    if (!client || !queue) {
      return;
    }
    const items = await client.listReviewQueueItems(queueId, 'PENDING');
    this._begin(
      items.map(item => item.item_id),
      {
        id: queueId,
        name: queue.name,
        markComplete: async traceId => {
          // A server without auth needs completed_by; the proxy sets it itself.
          await client.setReviewQueueItemStatus(
            queueId,
            traceId,
            'COMPLETE',
            user
          );
        }
      }
    );
  }

  /** Leave the review. */
  stop(): void {
    this._review?.dispose();
    this._review = undefined;
    this._emit();
  }

  /** Stop the review and the writer. */
  dispose(): void {
    this._disposed = true;
    this._review?.dispose();
    this._writer?.dispose();
    Signal.clearData(this);
  }

  private _begin(traceIds: string[], queue?: ReviewModel.IQueue): void {
    const model = this._model();
    const writer = this._writer;
    if (!model || !writer) {
      return;
    }
    this._review?.dispose();
    const review = new ReviewModel({
      traceIds,
      infoOf: traceId => this._model()?.infoOf(traceId),
      writer,
      open: traceId => void this._model()?.open(traceId),
      feedbackName: this._feedbackName,
      queue
    });
    review.changed.connect(() => {
      this._feedbackName = review.feedbackName;
      if (!review.active) {
        return this.stop();
      }
      this._emit();
    }, this);
    this._review = review;
    this._emit();
  }

  private async _listQueues(): Promise<IReviewQueueChoice[]> {
    const client = this._client;
    const model = this._model();
    if (!client || !model || model.list.query.sessionId !== undefined) {
      return [];
    }
    const queues: IReviewQueueChoice[] = [];
    for (const experimentId of model.list.query.experimentIds) {
      try {
        for (const queue of await client.listReviewQueues(experimentId)) {
          queues.push({ id: queue.queue_id, name: queue.name });
        }
      } catch {
        // A server without review queues (older MLflow): no queue picker.
      }
    }
    return queues;
  }

  private _onSaved(_: AssessmentWriter, saved: IWriteSaved): void {
    this._model()?.applyToInfo(saved.traceId, saved.apply);
    this._persist(saved);
    this._review?.afterSaved(saved.traceId);
    this._emit();
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private _persist: (saved: IWriteSaved) => void;
  private _model: () => TraceListModel | null = () => null;
  private _client: MlflowClient | undefined;
  private _writer: AssessmentWriter | undefined;
  private _queues: IReviewQueueChoice[] = [];
  private _review: ReviewModel | undefined;
  private _feedbackName: string | undefined;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Companion namespace of {@link ListReview}. */
export namespace ListReview {
  /** Options of a list's review. */
  export interface IOptions {
    /** Write a saved label into the output's payload. */
    persist: (saved: IWriteSaved) => void;
  }
}
