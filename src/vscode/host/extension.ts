/**
 * The extension host side of the notebook renderer: answers the renderer's
 * messages by reading from the tracking server of VS Code's environment
 * (forward.ts). The renderer learns the server's URL without credentials,
 * and nothing else about it.
 */
import * as vscode from 'vscode';
import {
  HostMessage,
  RENDERER_ID,
  RendererMessage,
  IRequestMessage
} from '../protocol';
import { forward, ITarget } from './forward';
import { targetFromEnv } from './target';

export function activate(context: vscode.ExtensionContext): void {
  const target = targetFromEnv(process.env);
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  // Requests under way, by editor and id: the renderer may cancel them.
  const pending = new Map<string, AbortController>();
  const keyOf = (editor: vscode.NotebookEditor, id: number) =>
    `${editor.notebook.uri.toString()}#${id}`;
  const reply = (editor: vscode.NotebookEditor, message: HostMessage) =>
    void messaging.postMessage(message, editor);

  context.subscriptions.push(
    messaging.onDidReceiveMessage(({ editor, message }) => {
      const received = message as RendererMessage;
      switch (received?.type) {
        case 'hello':
          reply(
            editor,
            'problem' in target
              ? { type: 'config', trackingUri: null, problem: target.problem }
              : { type: 'config', trackingUri: target.baseUrl, problem: null }
          );
          return;
        case 'abort':
          pending.get(keyOf(editor, received.id))?.abort();
          return;
        case 'request':
          void answer(editor, received);
          return;
      }
    }),
    { dispose: () => pending.forEach(controller => controller.abort()) }
  );

  async function answer(
    editor: vscode.NotebookEditor,
    request: IRequestMessage
  ): Promise<void> {
    const key = keyOf(editor, request.id);
    const controller = new AbortController();
    pending.set(key, controller);
    try {
      const answered =
        'problem' in target
          ? {
              status: 503,
              statusText: 'NO_TRACKING_SERVER',
              contentType: 'application/json',
              body: JSON.stringify({
                error_code: 'NO_TRACKING_SERVER',
                message: target.problem
              })
            }
          : await forward(target as ITarget, request, controller.signal);
      reply(editor, { type: 'response', id: request.id, ...answered });
    } finally {
      pending.delete(key);
    }
  }
}

export function deactivate(): void {
  // Nothing held outside the subscriptions.
}
