/**
 * The Lumino widget of a trace-summary output and its model: the decoded
 * bundle and the bucket whose figures are read out, signalled on change.
 * Everything is in the bundle: a summary asks no server.
 */
import React from 'react';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ISignal, Signal } from '@lumino/signaling';
import { decodeTraceSummaryBundle, IDecodedTraceSummary } from '../bundle';
import { TraceSummaryOutput } from '../view';
import { ReactOutputWidget } from './reactOutput';

/** The state of a trace-summary output. */
export class TraceSummaryModel {
  constructor(decoded: IDecodedTraceSummary) {
    this.decoded = decoded;
  }

  /** The decoded bundle. */
  readonly decoded: IDecodedTraceSummary;

  /** Emitted after every change of the active bucket. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  /** The bucket whose figures are read out; null for none. */
  get active(): number | null {
    return this._active;
  }

  /** Read out bucket `index` (null: none). */
  setActive(index: number | null): void {
    if (index !== this._active) {
      this._active = index;
      this._stateChanged.emit();
    }
  }

  /** Stop signalling. */
  dispose(): void {
    Signal.clearData(this);
  }

  private _active: number | null = null;
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
    if (this._model && data === this._renderedData) {
      return;
    }
    this._renderedData = data;
    this.setFailureContext(model, []);
    this._model?.dispose();
    this._model = new TraceSummaryModel(
      decodeTraceSummaryBundle(model.data[this._mimeType])
    );
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
      />
    );
  }

  private _onModelChanged(): void {
    this.update();
  }

  private _setActive = (index: number | null): void =>
    this._model?.setActive(index);

  private _mimeType: string;
  private _model: TraceSummaryModel | null = null;
  private _renderedData = '';
}
