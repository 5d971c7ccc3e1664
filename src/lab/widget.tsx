/**
 * The Lumino widget of a trace output: decodes the bundle, hands it to a
 * TraceLoader (its model), and renders the React view of its entries on
 * every change the loader signals.
 */
import React from 'react';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import {
  DATABRICKS_TRACE_MIME_TYPE,
  decodeDatabricksBundle,
  decodeTraceBundle,
  IDecodedBundle
} from '../bundle';
import { MlflowClient } from '../client';
import { AttachmentFetch, AttachmentFetchContext, TraceOutput } from '../view';
import { AssessmentWriter, IWriteSaved } from './assessmentWriter';
import { getSettings, resolveTrackingUri, Route } from './config';
import { clientOptions, routeOf } from './connection';
import { getJupyterUser } from './jupyterServer';
import { bundleNotices, SEE_NOTICE_ABOVE, TraceLoader } from '../output/loader';
import { ReactOutputWidget } from './reactOutput';
import { withSavedInfo } from './tracePayload';

/** Renders `application/vnd.mlflow.trace+json` and `application/databricks.mlflow.trace`. */
export class TraceOutputWidget
  extends ReactOutputWidget
  implements IRenderMime.IRenderer
{
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
  }

  /** Render the output; the output area may call this again on the same widget. */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[this._mimeType];
    this._model = model;
    if (this.isDisposed || data === this._lastData || this._isOwnWrite(data)) {
      // Our own write of a label, given back: the view stays as it is.
      this._lastData = data;
      return;
    }
    this._lastData = data;
    this._written = undefined;
    const receivedAtMs = Date.now();
    const bundle =
      this._mimeType === DATABRICKS_TRACE_MIME_TYPE
        ? decodeDatabricksBundle(data)
        : decodeTraceBundle(data);
    this.setFailureContext(
      model,
      bundle.traces.map(trace => trace.traceId)
    );
    // A newer payload of the same traces (a live trace's update_display_data)
    // updates the model in place: the view keeps its selection, expanded
    // rows, search, zoom and scroll position.
    if (this._loader?.update(bundle, receivedAtMs)) {
      this._setBundleNotices(bundle);
      this.render();
      return;
    }
    const generation = ++this._generation;
    const needsServer = bundle.traces.some(
      trace => !trace.embedded && !trace.error
    );
    this._setBundleNotices(bundle);
    this._notes = [];
    // Links of embedded traces point at the server a trusted output names.
    const embeddedUiBaseUrl = resolveTrackingUri(
      { trackingUri: '' },
      bundle.trackingUri,
      model.trusted
    );
    // Embedded traces show at once; the others wait for the settings and the route.
    const first = new TraceLoader({
      bundle,
      trackingUri: undefined,
      awaitingServer: needsServer,
      embeddedUiBaseUrl,
      receivedAtMs
    });
    this._setLoader(first);
    const settings = await getSettings();
    const output = { trackingUri: bundle.trackingUri, trusted: model.trusted };
    if (!needsServer) {
      // Everything is embedded: the route serves Refresh and the polls of running traces.
      const route = await routeOf(settings, output);
      const options = clientOptions(route, settings);
      if (options && this._loader === first) {
        first.connect(options);
      }
      if (this._loader === first) {
        await this._makeWriter(route);
      }
      return;
    }
    const route = await routeOf(settings, output);
    // Disposed, or given newer data, while the settings loaded: nothing to start.
    if (this.isDisposed || generation !== this._generation) {
      return;
    }
    if (route.via === 'none') {
      this._notices = [...this._notices, route.problem];
    }
    this._notes = route.notes;
    this._setLoader(
      new TraceLoader({
        bundle,
        trackingUri: undefined,
        serverProblem: route.via === 'none' ? SEE_NOTICE_ABOVE : undefined,
        embeddedUiBaseUrl,
        receivedAtMs,
        ...clientOptions(route, settings)
      })
    );
    await this._makeWriter(route);
  }

  /** Unmount React and stop any polling. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._loader?.dispose();
    this._writer?.dispose();
    super.dispose();
  }

  protected content(): React.ReactElement | null {
    const loader = this._loader;
    if (!loader) {
      return null;
    }
    return (
      <AttachmentFetchContext.Provider
        value={this._attachmentFetchOf(loader.client)}
      >
        <TraceOutput
          entries={loader.entries}
          notices={this._notices}
          warnings={this._warnings}
          notes={this._notes}
          fallbackText={this.fallbackText}
          onRefresh={
            loader.canFetch ? index => void loader.refresh(index) : undefined
          }
          compare={this._compare}
          actions={this._writer ?? undefined}
        />
      </AttachmentFetchContext.Provider>
    );
  }

  /**
   * How the views fetch a trace's attachments: by trace id and attachment id
   * from the output's own server; undefined without one (they show a
   * placeholder). One function per client, so views keep what they loaded.
   */
  private _attachmentFetchOf(
    client: MlflowClient | undefined
  ): AttachmentFetch | undefined {
    if (client !== this._attachmentClient) {
      this._attachmentClient = client;
      this._attachmentFetch = client
        ? (ref, signal) => client.getTraceAttachment(ref, signal)
        : undefined;
    }
    return this._attachmentFetch;
  }

  /** Replace the loader, render its entries and start its fetches. */
  private _setLoader(loader: TraceLoader): void {
    this._loader?.dispose();
    this._loader = loader;
    loader.stateChanged.connect(this._onLoaderChanged, this);
    this.render();
    loader.start();
  }

  /** The bundle's own problems, shown above its traces. */
  private _setBundleNotices(bundle: IDecodedBundle): void {
    this._notices = bundleNotices(bundle);
    this._warnings = bundle.warnings;
    this._compare = bundle.compare;
  }

  private _onLoaderChanged(): void {
    this.update();
  }

  /**
   * The writer of the output's labels, once its route is known; one per
   * widget while its server stays the same, so a newer payload of the
   * kernel loses no write under way. Without a server it says why.
   */
  private async _makeWriter(route: Route): Promise<void> {
    const loader = this._loader;
    const disabledReason = loader?.canFetch
      ? undefined
      : route.via === 'none'
        ? route.problem
        : 'No tracking server is known, so labels cannot be written.';
    if (this._writer && this._writer.disabledReason === disabledReason) {
      return;
    }
    const user = await getJupyterUser().catch(() => undefined);
    if (this.isDisposed || loader !== this._loader) {
      return;
    }
    this._writer?.dispose();
    this._writer = new AssessmentWriter({
      client: () => this._loader?.client,
      user,
      disabledReason,
      infoOf: traceId => this._loader?.infoOf(traceId)
    });
    this._writer.changed.connect(this._onLoaderChanged, this);
    this._writer.saved.connect(this._onSaved, this);
    this.update();
  }

  /** A confirmed write: shown at once, and saved in the output's payload. */
  private _onSaved(_: AssessmentWriter, write: IWriteSaved): void {
    const loader = this._loader;
    const model = this._model;
    if (!loader || !model) {
      return;
    }
    loader.applyEdit(write.traceId, write.apply);
    const data = withSavedInfo(
      model.data,
      this._mimeType,
      write.traceId,
      loader.infoOf(write.traceId),
      write.apply
    );
    if (!data) {
      return;
    }
    // Recognised in renderModel by identity, or by content after a round trip.
    this._lastData = data[this._mimeType];
    this._written = JSON.stringify(this._lastData);
    model.setData({ data });
    this.setFailureContext(
      model,
      loader.entries.map(entry => entry.traceId)
    );
  }

  private _isOwnWrite(data: unknown): boolean {
    return (
      this._written !== undefined && JSON.stringify(data) === this._written
    );
  }

  private _mimeType: string;
  private _lastData: unknown = undefined;
  private _generation = 0;
  private _loader: TraceLoader | null = null;
  private _writer: AssessmentWriter | null = null;
  private _model: IRenderMime.IMimeModel | null = null;
  private _written: string | undefined;
  private _notices: string[] = [];
  private _warnings: readonly string[] = [];
  private _notes: readonly string[] = [];
  private _compare = false;
  private _attachmentClient: MlflowClient | undefined;
  private _attachmentFetch: AttachmentFetch | undefined;
}
