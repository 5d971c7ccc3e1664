/**
 * The mime extensions: the trace, trace-list and trace-summary renderers, for
 * the MIME types of the output contract (DESIGN.md).
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import {
  DATABRICKS_TRACE_MIME_TYPE,
  TRACE_LIST_MIME_TYPE,
  TRACE_MIME_TYPE,
  TRACE_SUMMARY_MIME_TYPE
} from '../bundle/mimetypes';
import { TraceListWidget } from './listWidget';
import { TraceSummaryWidget } from './summaryWidget';
import { TraceOutputWidget } from './widget';

/** Creates one trace renderer per output. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [TRACE_MIME_TYPE, DATABRICKS_TRACE_MIME_TYPE],
  createRenderer: options => new TraceOutputWidget(options)
};

/** Creates one trace-list renderer per output. */
export const listRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [TRACE_LIST_MIME_TYPE],
  createRenderer: options => new TraceListWidget(options)
};

/** Creates one trace-summary renderer per output. */
export const summaryRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [TRACE_SUMMARY_MIME_TYPE],
  createRenderer: options => new TraceSummaryWidget(options)
};

// Below text/html (50): the bundles' static HTML fallbacks must not win.
const RANK = 40;

const extensions: IRenderMime.IExtension[] = [
  {
    id: 'jupyterlab-mlflow-traces:mime',
    description: 'Renders MLflow trace outputs.',
    rendererFactory,
    rank: RANK,
    dataType: 'json'
  },
  {
    id: 'jupyterlab-mlflow-traces:list-mime',
    description: 'Renders MLflow trace query results.',
    rendererFactory: listRendererFactory,
    rank: RANK,
    dataType: 'json'
  },
  {
    id: 'jupyterlab-mlflow-traces:summary-mime',
    description: 'Renders MLflow trace query summaries over time.',
    rendererFactory: summaryRendererFactory,
    rank: RANK,
    dataType: 'json'
  }
];

export default extensions;
