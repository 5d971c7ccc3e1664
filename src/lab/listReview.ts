/**
 * Labelling from a trace-list output: its assessment writer (so the opened
 * trace's pane can write), the review queues of its experiments, and the
 * review in progress. Saved writes go to the list's rows, the output's
 * payload and the review, in that order.
 *
 * #### Notes
 * Nothing is asked of any server until the reader acts (opens a trace,
 * starts a review, asks for the queues): an output only shown sends no
 * request of its own.
 */
import { ISignal, Signal } from '@lumino/signaling';
import type { IReviewQueueChoice } from '../view/review';
import { AssessmentWriter, IWriteSaved } from './assessmentWriter';
import { getJupyterUser } from './jupyterServer';
import { ListConnection, TraceListModel } from '../output/listModel';
import { ReviewModel } from './reviewModel';

/** The writer, queues and review of one trace-list output. */
export class ListReview {
  constructor(options: ListReview.IOptions) {
    this._persist = options.persist;
    this._model = options.model;
  }

  /** Emitted when the writer, the queues or the review changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The writer of the output; undefined until first needed. */
  get writer(): AssessmentWriter | undefined {
    return this._writer;
  }

  /** The review queues of the list's experiments; undefined until asked for. */
  get queues(): readonly IReviewQueueChoice[] | undefined {
    return this._queues;
  }

  /** True while the queues are being listed. */
  get loadingQueues(): boolean {
    return this._loadingQueues;
  }

  /** Why a review did not start or the queues could not be listed. */
  get notice(): string | undefined {
    return this._notice;
  }

  /** The review in progress. */
  get review(): ReviewModel | undefined {
    return this._review;
  }

  /**
   * Send later writes along a new connection of the output (once per
   * rendering or change of trust); a writer already made is made again.
   */
  connect(connection: Promise<ListConnection>): void {
    this._connection = connection;
    const made = this._writerMade !== undefined;
    this._writerMade = undefined;
    if (made) {
      void this.ensureWriter();
    }
  }

  /** The writer, made once the connection and the Jupyter user are known. */
  ensureWriter(): Promise<AssessmentWriter | undefined> {
    if (!this._writerMade) {
      const connection = this._connection;
      this._writerMade = this._makeWriter(connection);
    }
    return this._writerMade;
  }

  /** Review the list's loaded rows. */
  async start(): Promise<void> {
    const writer = await this.ensureWriter();
    const model = this._model();
    if (writer && model && this._canWrite(writer)) {
      this._begin(
        writer,
        model.items.map(item => item.traceId)
      );
    }
  }

  /** List the review queues of the list's experiments (for the queue picker). */
  async loadQueues(): Promise<void> {
    const writer = await this.ensureWriter();
    const model = this._model();
    const client = await this._client();
    if (!writer || !model || !client || this._loadingQueues) {
      return;
    }
    this._set(() => (this._loadingQueues = true));
    const queues: IReviewQueueChoice[] = [];
    let notice: string | undefined;
    for (const experimentId of model.list.query.experimentIds) {
      try {
        for (const queue of await client.listReviewQueues(experimentId)) {
          queues.push({ id: queue.queue_id, name: queue.name });
        }
      } catch (error) {
        notice = `Cannot list the review queues: ${messageOf(error)}`;
      }
    }
    this._set(() => {
      this._loadingQueues = false;
      this._queues = queues;
      this._notice = notice;
    });
  }

  /** Review a queue's pending items, recording each labelled one as complete. */
  async startQueue(queueId: string): Promise<void> {
    const writer = await this.ensureWriter();
    const client = await this._client();
    const queue = this._queues?.find(choice => choice.id === queueId);
    if (!writer || !client || !queue || !this._canWrite(writer)) {
      return;
    }
    let items;
    try {
      items = await client.listReviewQueueItems(queueId, 'PENDING');
    } catch (error) {
      return this._set(
        () =>
          (this._notice = `Cannot list the items of queue ${queue.name}: ${messageOf(error)}`)
      );
    }
    this._begin(
      writer,
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
            writer.user
          );
        }
      }
    );
  }

  /** Leave the review. */
  stop(): void {
    if (this._review) {
      this._review.dispose();
      this._review = undefined;
      this._emit();
    }
  }

  /** Stop the review and the writer. */
  dispose(): void {
    this._disposed = true;
    this._review?.dispose();
    this._writer?.dispose();
    Signal.clearData(this);
  }

  private async _makeWriter(
    connection: Promise<ListConnection> | undefined
  ): Promise<AssessmentWriter | undefined> {
    const ready = connection ? await connection : undefined;
    if (!ready || this._disposed || connection !== this._connection) {
      return this._writer;
    }
    const user =
      'client' in ready
        ? await getJupyterUser().catch(() => undefined)
        : undefined;
    if (this._disposed || connection !== this._connection) {
      return this._writer;
    }
    this._writer?.dispose();
    const client = 'client' in ready ? ready.client : undefined;
    const writer = new AssessmentWriter({
      client: () => client,
      user,
      disabledReason: 'problem' in ready ? ready.problem : undefined,
      infoOf: traceId => this._model()?.infoOf(traceId)
    });
    writer.saved.connect(this._onSaved, this);
    writer.changed.connect(this._emit, this);
    this._writer = writer;
    this._review?.dispose();
    this._review = undefined;
    this._emit();
    return writer;
  }

  private async _client() {
    const ready = this._connection ? await this._connection : undefined;
    return ready && 'client' in ready ? ready.client : undefined;
  }

  /** False (with the reason shown) when nothing can be written. */
  private _canWrite(writer: AssessmentWriter): boolean {
    if (writer.disabledReason) {
      this._set(
        () => (this._notice = `Cannot review: ${writer.disabledReason}`)
      );
      return false;
    }
    return true;
  }

  private _begin(
    writer: AssessmentWriter,
    traceIds: string[],
    queue?: ReviewModel.IQueue
  ): void {
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
    this._notice = undefined;
    this._emit();
  }

  private _onSaved(_: AssessmentWriter, saved: IWriteSaved): void {
    this._model()?.applyToInfo(saved.traceId, saved.apply);
    this._persist(saved);
    this._review?.afterSaved(saved.traceId);
    this._emit();
  }

  private _set(change: () => void): void {
    change();
    this._emit();
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private _persist: (saved: IWriteSaved) => void;
  private _model: () => TraceListModel | null;
  private _connection: Promise<ListConnection> | undefined;
  private _writerMade: Promise<AssessmentWriter | undefined> | undefined;
  private _writer: AssessmentWriter | undefined;
  private _queues: IReviewQueueChoice[] | undefined;
  private _loadingQueues = false;
  private _notice: string | undefined;
  private _review: ReviewModel | undefined;
  private _feedbackName: string | undefined;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Companion namespace of {@link ListReview}. */
export namespace ListReview {
  /** Options of a list's review. */
  export interface IOptions {
    /** Write a saved label into the output's payload. */
    persist: (saved: IWriteSaved) => void;
    /** The output's current list model. */
    model: () => TraceListModel | null;
  }
}
