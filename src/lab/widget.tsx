/**
 * The Lumino widget of a trace output: decodes the bundle, hands it to a
 * TraceLoader, and renders the React view of its entries.
 */
import React from 'react';
import { createRoot, Root } from 'react-dom/client';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import {
  DATABRICKS_TRACE_MIME_TYPE,
  decodeDatabricksBundle,
  decodeTraceBundle
} from '../bundle';
import { TraceOutput } from '../view';
import { CSS } from '../view/classes';
import { getSettings, resolveTrackingUri } from './config';
import { TraceLoader } from './loader';

/** Renders `application/vnd.mlflow.trace+json` and `application/databricks.mlflow.trace`. */
export class TraceOutputWidget extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass(CSS.root);
    // Keys typed in the search box or the tree must not run notebook shortcuts.
    // Lumino honours the attribute only on nodes nearer the focused element than
    // the shortcut's selector match, and the notebook's selector matches the
    // focused element itself, so every element that takes focus carries it.
    this.node.dataset.lmSuppressShortcuts = 'true';
    this.node.addEventListener('focusin', event => {
      (event.target as HTMLElement).dataset.lmSuppressShortcuts = 'true';
    });
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
      onChange: () => this._render()
    });
    this._render();
    this._loader.start();
  }

  /** Unmount React and stop any polling. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._loader?.dispose();
    this._unmount();
    super.dispose();
  }

  protected onAfterAttach(): void {
    this._render();
  }

  protected onBeforeDetach(): void {
    // A detached widget would otherwise keep its React tree mounted.
    this._unmount();
  }

  private _render(): void {
    const loader = this._loader;
    if (!loader || this.isDisposed) {
      return;
    }
    this._root ??= createRoot(this.node);
    this._root.render(
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

  private _unmount(): void {
    this._root?.unmount();
    this._root = null;
  }

  private _mimeType: string;
  private _lastData: unknown = undefined;
  private _loader: TraceLoader | null = null;
  private _notices: string[] = [];
  private _compare = false;
  private _root: Root | null = null;
}
