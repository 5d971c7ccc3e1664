/**
 * The renderer's bridge to the extension host (src/vscode/renderer/bridge.ts)
 * wired to the host's forwarder through an in-process stand-in for VS Code's
 * messaging: the MLflow client in the renderer reads a trace from a real
 * HTTP server, the webview side never sees a credential, and an aborted
 * request is cancelled on the host.
 */
import http from 'http';
import { AddressInfo } from 'net';
import { MlflowClient } from '../../../src/client';
import { forward, ITarget } from '../../../src/vscode/host/forward';
import type {
  HostMessage,
  RendererMessage
} from '../../../src/vscode/protocol';
import { HostBridge, IMessaging } from '../../../src/vscode/renderer/bridge';

const TRACE = 'tr-0123456789abcdef0123456789abcdef';

/** VS Code's messaging between one renderer and a host serving `target`, recorded. */
function messagingTo(target: ITarget | { problem: string }) {
  const toHost: RendererMessage[] = [];
  const toRenderer: HostMessage[] = [];
  let listener: (message: HostMessage) => void = () => undefined;
  const aborts = new Map<number, AbortController>();
  const send = (message: HostMessage) => {
    toRenderer.push(message);
    setTimeout(() => listener(message), 0);
  };
  const messaging: IMessaging = {
    postMessage(message) {
      toHost.push(message);
      if (message.type === 'hello') {
        send(
          'problem' in target
            ? { type: 'config', trackingUri: null, problem: target.problem }
            : { type: 'config', trackingUri: target.baseUrl, problem: null }
        );
      } else if (message.type === 'abort') {
        aborts.get(message.id)?.abort();
      } else if (message.type === 'request' && !('problem' in target)) {
        const controller = new AbortController();
        aborts.set(message.id, controller);
        void forward(target, message, controller.signal).then(answer =>
          send({ type: 'response', id: message.id, ...answer })
        );
      }
    },
    onDidReceiveMessage(callback) {
      listener = callback;
      return { dispose: () => undefined };
    }
  };
  return { messaging, toHost, toRenderer, aborts };
}

async function mlflowServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void
) {
  const srv = http.createServer(handler);
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        srv.closeAllConnections();
        srv.close(() => resolve());
      })
  };
}

describe('HostBridge', () => {
  it("reads through the host; the renderer learns the server's URL, never its credentials", async () => {
    const seen: string[] = [];
    const mlflow = await mlflowServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error_code: 'RESOURCE_DOES_NOT_EXIST',
          message: `Trace with ID ${TRACE} not found.`
        })
      );
    });
    try {
      const { messaging, toRenderer } = messagingTo({
        baseUrl: mlflow.url,
        auth: { username: 'ann', password: 'hunter2' }
      });
      const bridge = new HostBridge(messaging);
      expect(await bridge.server).toEqual({ trackingUri: mlflow.url });
      const connection = await bridge.connect();
      expect('client' in connection).toBe(true);
      const client = (connection as { client: MlflowClient }).client;
      await expect(client.getTrace(TRACE)).rejects.toThrow(/not found/i);
      expect(seen[0]).toBe(
        `GET /api/3.0/mlflow/traces/${TRACE} Basic ${Buffer.from('ann:hunter2').toString('base64')}`
      );
      expect(JSON.stringify(toRenderer)).not.toMatch(/hunter2|Basic /);
    } finally {
      await mlflow.close();
    }
  });

  it('an abort in the renderer cancels the request on the host', async () => {
    const mlflow = await mlflowServer(() => undefined); // never answers
    try {
      const { messaging, toHost, aborts } = messagingTo({
        baseUrl: mlflow.url
      });
      const bridge = new HostBridge(messaging);
      await bridge.server;
      const controller = new AbortController();
      const request = bridge.fetch(
        `https://extension-host.invalid/api/3.0/mlflow/traces/${TRACE}`,
        { signal: controller.signal }
      );
      await new Promise(resolve => setTimeout(resolve, 20));
      controller.abort();
      await expect(request).rejects.toBeDefined();
      expect(toHost.map(m => m.type)).toEqual(['hello', 'request', 'abort']);
      expect([...aborts.values()][0].signal.aborted).toBe(true);
    } finally {
      await mlflow.close();
    }
  });

  it('refuses a URL outside the host base without posting it', async () => {
    const { messaging, toHost } = messagingTo({
      baseUrl: 'http://127.0.0.1:9'
    });
    const bridge = new HostBridge(messaging);
    await expect(
      bridge.fetch('http://evil.test/api/3.0/mlflow/traces/search')
    ).rejects.toThrow(/sends no request to http:\/\/evil.test/);
    expect(toHost.map(m => m.type)).toEqual(['hello']);
  });

  it('without messaging, or with a host that has no server, says what is missing', async () => {
    const none = new HostBridge({});
    expect(await none.connect()).toEqual({
      problem: expect.stringMatching(/no extension host/)
    });
    const { messaging } = messagingTo({
      problem: 'no MLFLOW_TRACKING_URI here'
    });
    expect(await new HostBridge(messaging).connect()).toEqual({
      problem: 'no MLFLOW_TRACKING_URI here'
    });
  });
});
