/**
 * The Lumino widget of a trace-summary output and its model: the decoded
 * bundle, the bucket whose figures are read out, and the traces behind a
 * picked bucket or span row, listed under the summary by the trace-list
 * model; each change is signalled.
 */
import React from 'react';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ISignal, Signal } from '@lumino/signaling';
import {
  decodeTraceSummaryBundle,
  IDecodedTraceList,
  IDecodedTraceSummary
} from '../bundle';
import { CSS } from '../view/classes';
import { SUMMARY_CSS } from '../view/summary/classes';
import {
  AttachmentFetch,
  AttachmentFetchContext,
  SummaryPick,
  TraceListOutput,
  TraceSummaryOutput
} from '../view';
import { connectOutput } from './connection';
import {
  attachmentFetchOf,
  ListConnection,
  TraceListModel
} from '../output/listModel';
import { ReactOutputWidget } from './reactOutput';
import {
  DRILL_ORDER_BY,
  DRILL_PAGE_SIZE,
  drillQuery
} from '../output/summaryDrill';

/** The traces behind a pick, as shown under the summary. */
export type SummaryDrill =
  | { kind: 'loading'; caption: string }
  | { kind: 'error'; caption: string; message: string }
  | { kind: 'list'; caption: string; notes: string[]; list: TraceListModel };

/** The state of a trace-summary output. */
export class TraceSummaryModel {
  constructor(
    decoded: IDecodedTraceSummary,
    connect?: () => Promise<ListConnection>
  ) {
    this.decoded = decoded;
    this._connect = connect;
  }

  /** The decoded bundle. */
  readonly decoded: IDecodedTraceSummary;

  /** Emitted after every change of the state below. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  /** The bucket whose figures are read out; null for none. */
  get active(): number | null {
    return this._active;
  }

  /** The traces behind the last pick; null when none was picked. */
  get drill(): SummaryDrill | null {
    return this._drill;
  }

  /** True when picks can list traces (there is a way to ask a server). */
  get canPick(): boolean {
    return this._connect !== undefined && this.decoded.summary !== null;
  }

  /** Read out bucket `index` (null: none). */
  setActive(index: number | null): void {
    if (index !== this._active) {
      this._active = index;
      this._stateChanged.emit();
    }
  }

  /**
   * List the traces behind `pick` under the summary, the slowest first; a
   * later pick or `closeDrill` drops the answer to this one.
   */
  async pick(pick: SummaryPick): Promise<void> {
    const summary = this.decoded.summary;
    const query = summary && drillQuery(summary, pick);
    if (!query || !this._connect) {
      return;
    }
    const generation = ++this._generation;
    const { caption, notes } = query;
    this._setDrill({ kind: 'loading', caption });
    let drill: SummaryDrill;
    try {
      const connection = await this._connect();
      if (!('client' in connection)) {
        throw new Error(connection.problem);
      }
      const search = {
        experimentIds: query.experimentIds,
        filter: query.filter,
        orderBy: DRILL_ORDER_BY,
        maxResults: DRILL_PAGE_SIZE
      };
      const page = await connection.client.searchTraces(search);
      const list: IDecodedTraceList = {
        version: 1,
        trackingUri: this.decoded.trackingUri,
        query: search,
        traces: page.traces.map(info => ({ traceId: info.trace_id, info })),
        nextPageToken: page.nextPageToken,
        errors: [],
        warnings: []
      };
      const model = new TraceListModel({ list, connect: this._connect });
      drill = { kind: 'list', caption, notes, list: model };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      drill = { kind: 'error', caption, message };
    }
    if (generation !== this._generation || this._disposed) {
      if (drill.kind === 'list') {
        drill.list.dispose();
      }
      return;
    }
    this._setDrill(drill);
  }

  /** Close the list under the summary. */
  closeDrill(): void {
    this._generation++;
    this._setDrill(null);
  }

  /** Stop signalling. */
  dispose(): void {
    this._disposed = true;
    this._setDrill(null);
    Signal.clearData(this);
  }

  private _setDrill(drill: SummaryDrill | null): void {
    const previous = this._drill;
    if (previous?.kind === 'list') {
      previous.list.dispose();
    }
    this._drill = drill;
    if (drill?.kind === 'list') {
      drill.list.stateChanged.connect(this._onListChanged, this);
    }
    if (!this._disposed) {
      this._stateChanged.emit();
    }
  }

  private _onListChanged(): void {
    this._stateChanged.emit();
  }

  private _active: number | null = null;
  private _connect: (() => Promise<ListConnection>) | undefined;
  private _drill: SummaryDrill | null = null;
  private _generation = 0;
  private _disposed = false;
  private _stateChanged = new Signal<this, void>(this);
}

/** Renders `application/vnd.mlflow.trace-summary+json`. */
export class TraceSummaryWidget
  extends ReactOutputWidget
  implements IRenderMime.IRenderer
{
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass('jp-MlflowTraceSummaryOutput');
  }

  /** Render the output; called again with the same data, it keeps its state. */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = JSON.stringify(model.data[this._mimeType]);
    // A change of trust changes the route of later picks (config.ts).
    this._trusted = model.trusted;
    if (this._model && data === this._renderedData) {
      return;
    }
    this._renderedData = data;
    this.setFailureContext(model, []);
    this._model?.dispose();
    const decoded = decodeTraceSummaryBundle(model.data[this._mimeType]);
    // Asked only when a pick needs a server, once per trust.
    const connections = new Map<boolean, Promise<ListConnection>>();
    const connect = () => {
      const trusted = this._trusted;
      if (!connections.has(trusted)) {
        connections.set(trusted, connectOutput(decoded.trackingUri, trusted));
      }
      return connections.get(trusted)!;
    };
    this._model = new TraceSummaryModel(decoded, connect);
    // A listed trace opened under the summary shows its attachments
    this._attachmentFetch = attachmentFetchOf(connect);
    this._model.stateChanged.connect(this._onModelChanged, this);
    this.render();
  }

  /** Stop listening to the model, and unmount React. */
  dispose(): void {
    this._model?.dispose();
    super.dispose();
  }

  protected content(): React.ReactElement | null {
    const model = this._model;
    if (!model) {
      return null;
    }
    const { summary, errors, warnings } = model.decoded;
    return (
      <TraceSummaryOutput
        summary={summary}
        errors={errors}
        warnings={warnings}
        active={model.active}
        onActive={this._setActive}
        onPick={model.canPick ? this._pick : undefined}
        below={this._drillView(model.drill)}
      />
    );
  }

  private _drillView(drill: SummaryDrill | null): React.ReactElement | null {
    if (!drill) {
      return null;
    }
    const list = drill.kind === 'list' ? drill.list : null;
    return (
      <section className={SUMMARY_CSS.drill} aria-label={drill.caption}>
        <div className={SUMMARY_CSS.drillHeader}>
          <span>{drill.caption}</span>
          <button
            type="button"
            className={SUMMARY_CSS.rowButton}
            onClick={this._closeDrill}
          >
            Close
          </button>
        </div>
        {drill.kind === 'loading' && (
          <div className={CSS.notice} role="status">
            Searching…
          </div>
        )}
        {drill.kind === 'error' && (
          <div className={CSS.notice} role="alert">
            Cannot list the traces: {drill.message}
          </div>
        )}
        {list && (
          <AttachmentFetchContext.Provider value={this._attachmentFetch}>
            <TraceListOutput
              caption={`${list.items.length} traces${list.nextPageToken ? ' loaded' : ''}`}
              notices={drill.kind === 'list' ? drill.notes : []}
              items={list.items}
              onLoadMore={
                list.nextPageToken ? () => void list.loadMore() : undefined
              }
              loadingMore={list.loadingMore}
              openedId={list.openedId}
              detail={list.detail}
              onOpen={traceId => void list.open(traceId)}
              onCompare={(left, right) => void list.compare(left, right)}
              initialSort={{ column: 'durationMs', descending: true }}
            />
          </AttachmentFetchContext.Provider>
        )}
      </section>
    );
  }

  private _onModelChanged(): void {
    this.update();
  }

  private _setActive = (index: number | null): void =>
    this._model?.setActive(index);

  private _pick = (pick: SummaryPick): void => void this._model?.pick(pick);

  private _closeDrill = (): void => this._model?.closeDrill();

  private _mimeType: string;
  private _model: TraceSummaryModel | null = null;
  private _attachmentFetch: AttachmentFetch | undefined;
  private _renderedData = '';
  private _trusted = false;
}
