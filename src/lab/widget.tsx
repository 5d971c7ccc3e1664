/**
 * The Lumino widget of a trace output: decodes the bundle, hands it to a
 * TraceLoader, and renders the React view of its entries.
 */
import React from 'react';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import {
  DATABRICKS_TRACE_MIME_TYPE,
  decodeDatabricksBundle,
  decodeTraceBundle
} from '../bundle';
import { TraceOutput } from '../view';
import { getSettings, requestOptions, resolveTrackingUri } from './config';
import { TraceLoader } from './loader';
import { ReactOutputWidget } from './reactOutput';

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
    if (data === this._lastData) {
      return;
    }
    this._lastData = data;
    const bundle =
      this._mimeType === DATABRICKS_TRACE_MIME_TYPE
        ? decodeDatabricksBundle(data)
        : decodeTraceBundle(data);
    const needsServer = bundle.traces.some(
      trace => !trace.embedded && !trace.error
    );
    // Embedded traces render at once; settings are awaited only when a fetch may follow.
    const settings = needsServer ? await getSettings() : { trackingUri: '' };
    const trackingUri = resolveTrackingUri(
      settings,
      bundle.trackingUri,
      model.trusted
    );
    this._loader?.dispose();
    this._notices = [...bundle.errors];
    this._compare = bundle.compare;
    if (bundle.traces.length === 0) {
      this._notices.push('This MLflow trace output holds no trace.');
    }
    this._loader = new TraceLoader({
      bundle,
      trackingUri,
      ...requestOptions(settings, trackingUri),
      onChange: () => this.render()
    });
    this.render();
    this._loader.start();
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
        onRefresh={
          loader.canFetch ? index => void loader.refresh(index) : undefined
        }
        compare={this._compare}
      />
    );
  }

  private _mimeType: string;
  private _lastData: unknown = undefined;
  private _loader: TraceLoader | null = null;
  private _notices: string[] = [];
  private _compare = false;
}
