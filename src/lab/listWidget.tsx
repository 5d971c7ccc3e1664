/**
 * The Lumino widget of a trace-list output: the result table, "Load more"
 * through the server's page token, and opening or comparing traces.
 */
import React from 'react';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { decodeTraceListBundle, IDecodedTraceList } from '../bundle';
import { MlflowClient } from '../client';
import { buildTrace } from '../trace';
import {
  ITraceListItem,
  ListDetail,
  toListItem,
  TraceListOutput
} from '../view';
import { getSettings, requestOptions, resolveTrackingUri } from './config';
import { ReactOutputWidget } from './reactOutput';

/** Renders `application/vnd.mlflow.trace-list+json`. */
export class TraceListWidget
  extends ReactOutputWidget
  implements IRenderMime.IRenderer
{
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass('jp-MlflowTraceList');
  }

  /** Render the output; may be called again on the same widget. */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this._list = decodeTraceListBundle(model.data[this._mimeType]);
    this._trusted = model.trusted;
    this._items = this._list.traces
      .filter(row => row.info)
      .map(row => toListItem(row.info!));
    this._notices = [...this._list.errors];
    this._nextPageToken = this._list.nextPageToken;
    this._detail = { kind: 'none' };
    this.render();
  }

  /** The client of the configured (or, when trusted, the output's) server. */
  private async _client(): Promise<MlflowClient | undefined> {
    const settings = await getSettings();
    const trackingUri = resolveTrackingUri(
      settings,
      this._list?.trackingUri,
      this._trusted
    );
    return trackingUri
      ? new MlflowClient({
          trackingUri,
          ...requestOptions(settings, trackingUri)
        })
      : undefined;
  }

  private async _withClient(
    what: string,
    action: (client: MlflowClient) => Promise<void>
  ): Promise<void> {
    const client = await this._client();
    if (!client) {
      this._detail = {
        kind: 'error',
        message: `Cannot ${what}: no tracking server is known. Set "Tracking server URI" in Settings › MLflow traces.`
      };
      this.render();
      return;
    }
    try {
      await action(client);
    } catch (error) {
      this._detail = {
        kind: 'error',
        message: error instanceof Error ? error.message : String(error)
      };
    }
    this.render();
  }

  private _loadMore = (): void => {
    const list = this._list;
    if (!list || !this._nextPageToken) {
      return;
    }
    this._loadingMore = true;
    this.render();
    void this._withClient('load more traces', async client => {
      try {
        const page = await client.searchTraces({
          experimentIds: list.query.experimentIds,
          filter: list.query.filter,
          orderBy: list.query.orderBy,
          maxResults: list.query.maxResults,
          pageToken: this._nextPageToken
        });
        const known = new Set(this._items.map(item => item.traceId));
        this._items = [
          ...this._items,
          ...page.traces
            .filter(info => !known.has(info.trace_id))
            .map(toListItem)
        ];
        this._nextPageToken = page.nextPageToken;
      } finally {
        this._loadingMore = false;
      }
    });
  };

  private _open = (traceId: string): void => {
    this._openedId = traceId;
    this._detail = { kind: 'loading', what: `trace ${traceId}` };
    this.render();
    void this._withClient(`open trace ${traceId}`, async client => {
      const raw = await client.getTrace(traceId);
      if (this._openedId === traceId) {
        this._detail = {
          kind: 'trace',
          trace: buildTrace(raw.info, raw.spans),
          uiUrl: client.uiUrl(raw.info)
        };
      }
    });
  };

  private _compare = (leftId: string, rightId: string): void => {
    this._openedId = undefined;
    this._detail = { kind: 'loading', what: `traces ${leftId} and ${rightId}` };
    this.render();
    void this._withClient('compare traces', async client => {
      const [left, right] = await client.getTraces([leftId, rightId]);
      this._detail = {
        kind: 'compare',
        left: buildTrace(left.info, left.spans),
        right: buildTrace(right.info, right.spans)
      };
    });
  };

  protected content(): React.ReactElement | null {
    const list = this._list;
    if (!list) {
      return null;
    }
    const query = list.query;
    const caption =
      `${this._items.length} traces from experiment ${query.experimentIds.join(', ')}` +
      (query.filter ? ` matching ${query.filter}` : '') +
      (query.orderBy.length ? `, ordered by ${query.orderBy.join(', ')}` : '');
    return (
      <TraceListOutput
        caption={caption}
        notices={this._notices}
        items={this._items}
        onLoadMore={this._nextPageToken ? this._loadMore : undefined}
        loadingMore={this._loadingMore}
        openedId={this._openedId}
        detail={this._detail}
        onOpen={this._open}
        onCompare={this._compare}
      />
    );
  }

  private _mimeType: string;
  private _list: IDecodedTraceList | null = null;
  private _trusted = false;
  private _items: ITraceListItem[] = [];
  private _notices: string[] = [];
  private _nextPageToken: string | undefined;
  private _loadingMore = false;
  private _openedId: string | undefined;
  private _detail: ListDetail = { kind: 'none' };
}
