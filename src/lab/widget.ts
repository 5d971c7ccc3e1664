/**
 * The Lumino widget that shows a trace output.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

const CLASS_NAME = 'jp-MlflowTrace';

/** Renders one `application/vnd.mlflow.trace+json` output. */
export class TraceOutputWidget extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass(CLASS_NAME);
    this.node.dataset.lmSuppressShortcuts = 'true';
  }

  /** Render the output; may be called again on the same widget. */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[this._mimeType];
    this.node.textContent = '';
    const message = document.createElement('div');
    message.className = `${CLASS_NAME}-message`;
    message.textContent = `MLflow trace output (${typeof data})`;
    this.node.appendChild(message);
  }

  private _mimeType: string;
}
