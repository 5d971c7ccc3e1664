/**
 * The Lumino widget of a trace-list output: renders its TraceListModel (the
 * result table, "Load more" through the server's page token, the opened or
 * compared traces) on every change the model signals.
 */
import React from 'react';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { decodeTraceListBundle, IDecodedTraceList } from '../bundle';
import {
  AttachmentFetch,
  AttachmentFetchContext,
  sessionCaption,
  TraceListOutput
} from '../view';
import type { IReviewBarProps } from '../view/review';
import { Route } from './config';
import { connectOutput } from './connection';
import type { IWriteSaved } from './assessmentWriter';
import {
  attachmentFetchOf,
  editedListData,
  listCaption,
  ListConnection,
  TraceListModel
} from '../output/listModel';
import { ListReview } from './listReview';
import { ReactOutputWidget } from './reactOutput';
import type { ReviewModel } from './reviewModel';

/** Renders `application/vnd.mlflow.trace-list+json`. */
export class TraceListWidget
  extends ReactOutputWidget
  implements IRenderMime.IRenderer
{
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass('jp-MlflowTraceList');
    this._review.changed.connect(this._onModelChanged, this);
  }

  /**
   * Render the output; may be called again on the same widget. Called again
   * with the same data (JupyterLab does so, e.g. when it has checked a
   * notebook's signature), it keeps its model, so loaded pages, an opened
   * trace and answers still in flight are not lost; only the route follows a
   * change of trust.
   */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    // The payload this widget wrote itself (a saved label) comes back here:
    // kept as its own data, so the review and the opened trace stay.
    this._mimeModel = model;
    const trusted = model.trusted;
    const data = JSON.stringify(model.data[this._mimeType]);
    if (this._model && data === this._renderedData) {
      if (trusted !== this._renderedTrusted) {
        this._renderedTrusted = trusted;
        const connection = this._connect(this._model.list, trusted);
        this._model.reconnect(() => connection);
      }
      return;
    }
    this._renderedData = data;
    this._renderedTrusted = trusted;
    const list = decodeTraceListBundle(model.data[this._mimeType]);
    this.setFailureContext(
      model,
      list.traces.map(row => row.traceId)
    );
    this._review.stop();
    this._model?.dispose();
    this._model = null;
    const connection = this._connect(list, trusted);
    const listModel = new TraceListModel({ list, connect: () => connection });
    this._model = listModel;
    listModel.stateChanged.connect(this._onModelChanged, this);
    this.render();
  }

  /** Stop applying answers, and unmount React. */
  dispose(): void {
    this._review.dispose();
    this._model?.dispose();
    super.dispose();
  }

  protected content(): React.ReactElement | null {
    const model = this._model;
    if (!model) {
      return null;
    }
    const query = model.list.query;
    const caption =
      query.sessionId !== undefined
        ? sessionCaption(query.sessionId, model.items, query.experimentIds)
        : listCaption(model.items.length, query);
    const review = this._review.review;
    const writer = this._review.writer;
    return (
      <AttachmentFetchContext.Provider value={this._attachmentFetch}>
        <TraceListOutput
          caption={caption}
          sessionId={query.sessionId}
          notices={model.list.errors}
          warnings={model.list.warnings}
          notes={this._notes}
          items={model.items}
          onLoadMore={model.nextPageToken ? this._loadMore : undefined}
          loadingMore={model.loadingMore}
          openedId={model.openedId}
          detail={model.detail}
          onOpen={this._open}
          onCompare={this._compare}
          onOpenSession={this._openSession}
          actions={writer}
          reviewStart={
            query.sessionId === undefined
              ? {
                  onReview: this._startReview,
                  queues: this._review.queues,
                  loadingQueues: this._review.loadingQueues,
                  onLoadQueues: this._loadQueues,
                  onReviewQueue: this._startQueueReview,
                  notice: this._review.notice
                }
              : undefined
          }
          review={review && reviewBarProps(review)}
        />
      </AttachmentFetchContext.Provider>
    );
  }

  /**
   * The route and client for `list` (asked once per rendering or change of
   * trust); its notes show as soon as it is known, before any action.
   */
  private _connect(
    list: IDecodedTraceList,
    trusted: boolean
  ): Promise<ListConnection & { route: Route }> {
    this._notes = [];
    const connection = connectOutput(list.trackingUri, trusted);
    this._review.connect(connection);
    // An opened trace's attachments: by id, from the list's own server.
    this._attachmentFetch = attachmentFetchOf(() => connection);
    void connection.then(({ route }) => {
      if (this._model?.list === list && !this.isDisposed) {
        this._notes = route.notes;
        this.update();
      }
    });
    return connection;
  }

  private _onModelChanged(): void {
    // An opened trace's pane writes through the writer: made when first needed.
    if (this._model?.detail.kind === 'trace' && !this._review.writer) {
      void this._review.ensureWriter();
    }
    this.update();
  }

  private _loadMore = (): void => void this._model?.loadMore();

  private _open = (traceId: string): void => void this._model?.open(traceId);

  private _compare = (leftId: string, rightId: string): void =>
    void this._model?.compare(leftId, rightId);

  private _openSession = (sessionId: string): void =>
    this._model?.openSession(sessionId);

  private _startReview = (): void => void this._review.start();

  private _loadQueues = (): void => void this._review.loadQueues();

  private _startQueueReview = (queueId: string): void =>
    void this._review.startQueue(queueId);

  /** Write a saved label into the output's payload (saved with the notebook). */
  private _persist(saved: IWriteSaved): void {
    const model = this._mimeModel;
    if (!model || this.isDisposed) {
      return;
    }
    const data = editedListData(
      model.data,
      this._mimeType,
      saved.traceId,
      saved.apply
    );
    if (data) {
      this._renderedData = JSON.stringify(data[this._mimeType]);
      model.setData({ data: data as IRenderMime.IMimeModel['data'] });
    }
  }

  private _mimeType: string;
  private _mimeModel: IRenderMime.IMimeModel | undefined;
  private _review = new ListReview({
    persist: saved => this._persist(saved),
    model: () => this._model
  });
  private _model: TraceListModel | null = null;
  private _renderedData = '';
  private _renderedTrusted = false;
  private _notes: readonly string[] = [];
  private _attachmentFetch: AttachmentFetch | undefined;
}

/** The review bar's props of a review. */
function reviewBarProps(review: ReviewModel): IReviewBarProps {
  return {
    progress: review.progress,
    position: review.position,
    queueName: review.queue?.name,
    feedbackName: review.feedbackName,
    onFeedbackName: name => review.setFeedbackName(name),
    value: review.value,
    rationale: review.rationale,
    onRationale: text => review.setRationale(text),
    onSaveRationale: () => review.saveRationale(),
    rationaleFocus: review.rationaleFocus,
    pending: review.pending,
    onRetry: id => review.retry(id),
    onRetryAll: () => review.retryAll(),
    notices: review.notices,
    atStart: review.index <= 0,
    atEnd: review.index >= review.order.length - 1,
    onAction: action => review.perform(action)
  };
}
