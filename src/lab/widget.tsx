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
import { TraceOutput } from '../view';
import { getSettings, resolveTrackingUri } from './config';
import { clientOptions, routeOf } from './connection';
import { TraceLoader } from './loader';
import { ReactOutputWidget } from './reactOutput';

// What a trace given by id says when nothing can be fetched (the notice above says why).
const SEE_ABOVE = 'see the message above.';

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
    if (this.isDisposed || data === this._lastData) {
      return;
    }
    this._lastData = data;
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
        serverProblem: route.via === 'none' ? SEE_ABOVE : undefined,
        embeddedUiBaseUrl,
        receivedAtMs,
        ...clientOptions(route, settings)
      })
    );
  }

  /** Unmount React and stop any polling. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._loader?.dispose();
    super.dispose();
  }

  protected content(): React.ReactElement | null {
    const loader = this._loader;
    if (!loader) {
      return null;
    }
    return (
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
      />
    );
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
    this._notices = [...bundle.errors];
    if (bundle.traces.length === 0) {
      this._notices.push('This MLflow trace output holds no trace.');
    }
    this._warnings = bundle.warnings;
    this._compare = bundle.compare;
  }

  private _onLoaderChanged(): void {
    this.update();
  }

  private _mimeType: string;
  private _lastData: unknown = undefined;
  private _generation = 0;
  private _loader: TraceLoader | null = null;
  private _notices: string[] = [];
  private _warnings: readonly string[] = [];
  private _notes: readonly string[] = [];
  private _compare = false;
}
