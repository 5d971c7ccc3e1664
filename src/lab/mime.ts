/**
 * The mime extension: registers the trace renderer for the MIME types of the
 * output contract (DESIGN.md).
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import {
  TRACE_MIME_TYPE,
  DATABRICKS_TRACE_MIME_TYPE
} from '../bundle/mimetypes';
import { TraceOutputWidget } from './widget';

/** Creates one renderer per output. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [TRACE_MIME_TYPE, DATABRICKS_TRACE_MIME_TYPE],
  createRenderer: options => new TraceOutputWidget(options)
};

const extension: IRenderMime.IExtension = {
  id: 'jupyterlab-mlflow-traces:mime',
  description: 'Renders MLflow trace outputs.',
  rendererFactory,
  // Below text/html (50): the bundle's static HTML fallback must not win.
  rank: 40,
  dataType: 'json'
};

export default extension;
