/**
 * The VS Code notebook renderer of our MIME types: the same views as in
 * JupyterLab, one React root per output item, requests through the
 * extension host. VS Code loads this module in the notebook's output
 * webview and calls `activate` once.
 */
import React from 'react';
import { createRoot, Root } from 'react-dom/client';
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import styles from 'mlflow-traces-styles';
import {
  DATABRICKS_TRACE_MIME_TYPE,
  TRACE_LIST_MIME_TYPE,
  TRACE_MIME_TYPE,
  TRACE_SUMMARY_MIME_TYPE
} from '../../bundle/mimetypes';
import { CSS } from '../../view/classes';
import { ErrorBoundary } from '../../view/ErrorBoundary';
import { HostBridge, IMessaging } from './bridge';
import { listModelOf, TraceListView } from './listOutput';
import { TraceSummaryView } from './summaryOutput';
import { mirrorTheme } from './theme';
import { TraceOutputModel, TraceOutputView } from './traceOutput';

/** One rendered output item. */
interface IRendered {
  root: Root;
  mime: string;
  dispose(): void;
  /** Show newer data of the same item; false when it must be rendered anew. */
  update(data: unknown): boolean;
}

export const activate: ActivationFunction = context => {
  const style = document.createElement('style');
  style.textContent = styles;
  document.head.appendChild(style);
  mirrorTheme(document.body);
  const bridge = new HostBridge(context as IMessaging);
  const rendered = new Map<string, IRendered>();

  const dispose = (id: string) => {
    rendered.get(id)?.dispose();
    rendered.delete(id);
  };

  return {
    renderOutputItem(item: OutputItem, element: HTMLElement): void {
      const data = dataOf(item);
      const known = rendered.get(item.id);
      if (known && known.mime === item.mime && known.update(data)) {
        return;
      }
      dispose(item.id);
      element.replaceChildren();
      const node = document.createElement('div');
      node.className = CSS.root;
      keepKeysInside(node);
      element.appendChild(node);
      rendered.set(item.id, render(node, item.mime, data, bridge));
    },
    disposeOutputItem(id?: string): void {
      if (id === undefined) {
        [...rendered.keys()].forEach(dispose);
      } else {
        dispose(id);
      }
    }
  };
};

/** The item's JSON; a value that is not JSON goes to the decoders as it is. */
function dataOf(item: OutputItem): unknown {
  try {
    return item.json();
  } catch {
    // VS Code's ipynb reader joins a list value of a non-JSON MIME type as lines.
    return item.text();
  }
}

function render(
  node: HTMLElement,
  mime: string,
  data: unknown,
  bridge: HostBridge
): IRendered {
  const root = createRoot(node);
  const show = (element: React.ReactElement) =>
    root.render(<ErrorBoundary traceIds={[]}>{element}</ErrorBoundary>);
  if (mime === TRACE_MIME_TYPE || mime === DATABRICKS_TRACE_MIME_TYPE) {
    const model = new TraceOutputModel(bridge);
    model.setData(mime, data);
    show(<TraceOutputView model={model} bridge={bridge} />);
    return {
      root,
      mime,
      update: next => {
        model.setData(mime, next);
        return true;
      },
      dispose: () => {
        root.unmount();
        model.dispose();
      }
    };
  }
  if (mime === TRACE_LIST_MIME_TYPE) {
    node.classList.add('jp-MlflowTraceList');
    const model = listModelOf(data, bridge);
    show(<TraceListView model={model} bridge={bridge} />);
    return {
      root,
      mime,
      update: () => false,
      dispose: () => {
        root.unmount();
        model.dispose();
      }
    };
  }
  if (mime === TRACE_SUMMARY_MIME_TYPE) {
    show(<TraceSummaryView data={data} />);
  } else {
    show(<p>This renderer does not know the MIME type {mime}.</p>);
  }
  return {
    root,
    mime,
    update: () => false,
    dispose: () => root.unmount()
  };
}

/**
 * Keys typed in our views stay in them: VS Code forwards every keydown that
 * reaches the webview's window to the workbench, where arrows or Enter would
 * move between cells. Shortcuts with Ctrl or ⌘ (save, the command palette)
 * still reach VS Code.
 */
function keepKeysInside(node: HTMLElement): void {
  node.addEventListener('keydown', event => {
    if (!event.ctrlKey && !event.metaKey) {
      event.stopPropagation();
    }
  });
}
