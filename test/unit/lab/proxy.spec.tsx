/**
 * @jest-environment jsdom
 *
 * The outputs under the default connection: every request goes to the
 * Jupyter server's `mlflow-traces/proxy/` with its XSRF header, a server an
 * output names is never asked, and the notes say which server is read.
 */
import './luminoDom';
import { TextEncoder } from 'util';
import { act, fireEvent } from '@testing-library/react';
import { TRACE_LIST_MIME_TYPE, TRACE_MIME_TYPE } from '../../../src/bundle';
import { updateSettings } from '../../../src/lab/config';
import { setServerSettings } from '../../../src/lab/jupyterServer';
import { TraceListWidget } from '../../../src/lab/listWidget';
import { TraceOutputWidget } from '../../../src/lab/widget';
import { fakeLayout } from '../view/helpers';
import {
  answer,
  BASE_URL,
  fakeJupyter,
  IFakeJupyterOptions,
  ISeenRequest,
  PROXY
} from './fakeJupyter';
import { mimeModel, recordedRaw, renderInto } from './outputs';
import { RecordedServer } from './recordedServer';

beforeAll(fakeLayout);
// jsdom has none; basic auth encodes the password as UTF-8.
(globalThis as { TextEncoder?: unknown }).TextEncoder ??= TextEncoder;

const STRANGER = 'http://127.0.0.1:9';
const JUPYTER_MLFLOW = 'http://mlflow.internal:5000';
const XSRF = 'xsrf-2|abc|def';

let widget: (TraceOutputWidget | TraceListWidget) | undefined;
const globalFetch = jest.fn(() => new Promise<Response>(() => {}));
let recorded: RecordedServer;
let requests: ISeenRequest[];

/** Use a fake Jupyter server whose extension forwards to `recorded` (search answered too). */
function useJupyter(
  config: IFakeJupyterOptions['config'] = {
    tracking_uri: JUPYTER_MLFLOW,
    problem: null
  }
): void {
  const chat = recordedRaw('chat');
  const jupyter = fakeJupyter({
    config,
    token: 'jupyter-token',
    tracking: async (input, init) => {
      if (input.endsWith('/api/3.0/mlflow/traces/search')) {
        return answer(200, { traces: [chat.info] });
      }
      return recorded.fetch(input);
    }
  });
  requests = jupyter.requests;
  setServerSettings(jupyter.settings);
}

beforeEach(() => {
  (globalThis as { fetch?: unknown }).fetch = globalFetch;
  globalFetch.mockClear();
  document.cookie = `_xsrf=${XSRF}; path=/`;
  recorded = new RecordedServer('nested', 'chat');
  updateSettings({});
  useJupyter();
});

afterEach(() => {
  act(() => widget?.dispose());
  widget = undefined;
  updateSettings({});
});

/** Let pending promises settle inside act. */
async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 20; i++) {
      await new Promise(resolve => setTimeout(resolve, 0));
    }
  });
}

function traceWidget(): TraceOutputWidget {
  const made = new TraceOutputWidget({ mimeType: TRACE_MIME_TYPE } as never);
  widget = made;
  return made;
}

function texts(selector: string): string[] {
  return Array.from(widget!.node.querySelectorAll(selector)).map(
    element => element.textContent!
  );
}

const nested = recordedRaw('nested');
const chat = recordedRaw('chat');

describe('a trace output, connection "jupyter-server"', () => {
  for (const trusted of [false, true]) {
    it(`fetches a trace by id through the proxy with the XSRF header, never from the server the ${trusted ? 'trusted' : 'untrusted'} output names`, async () => {
      const w = traceWidget();
      await renderInto(
        w,
        mimeModel(
          TRACE_MIME_TYPE,
          {
            version: 1,
            tracking_uri: STRANGER,
            traces: [{ trace_id: recorded.traceId }]
          },
          { trusted }
        )
      );
      await settle();
      expect(texts('.jp-MlflowTrace-spanName')).toContain('rag_agent');
      expect(globalFetch).not.toHaveBeenCalled();
      const proxied = requests.filter(r => r.url.startsWith(PROXY));
      expect(proxied.map(r => r.url.slice(PROXY.length))).toEqual(
        expect.arrayContaining([
          `api/3.0/mlflow/traces/${recorded.traceId}`,
          `ajax-api/3.0/mlflow/get-trace-artifact?request_id=${recorded.traceId}`
        ])
      );
      expect(requests.every(r => r.url.startsWith(BASE_URL))).toBe(true);
      for (const request of requests) {
        expect([request.url, request.headers['x-xsrftoken']]).toEqual([
          request.url,
          XSRF
        ]);
        expect(request.headers['authorization']).toBe('token jupyter-token');
      }
      expect(texts('[role="note"]')).toEqual([
        `This output was written against ${STRANGER}; this JupyterLab reads traces from ${JUPYTER_MLFLOW}.`
      ]);
    });
  }

  it("polls a trusted embedded running trace through the proxy, never the output's server", async () => {
    jest.useFakeTimers();
    try {
      recorded.state = 'IN_PROGRESS';
      const w = traceWidget();
      await renderInto(
        w,
        mimeModel(
          TRACE_MIME_TYPE,
          {
            version: 1,
            tracking_uri: STRANGER,
            traces: [
              {
                trace_id: nested.info.trace_id,
                info: { ...nested.info, state: 'IN_PROGRESS' },
                spans: nested.spans
              }
            ]
          },
          { trusted: true }
        )
      );
      await act(async () => {
        await jest.advanceTimersByTimeAsync(5000);
      });
      expect(recorded.infoRequests).toBeGreaterThan(0);
      expect(globalFetch).not.toHaveBeenCalled();
      expect(requests.every(r => r.url.startsWith(BASE_URL))).toBe(true);
    } finally {
      act(() => widget?.dispose());
      widget = undefined;
      jest.useRealTimers();
    }
  });

  it('shows why nothing is fetched when the server extension is missing, and still renders embedded traces', async () => {
    useJupyter(404);
    const w = traceWidget();
    await renderInto(
      w,
      mimeModel(TRACE_MIME_TYPE, {
        version: 1,
        traces: [
          {
            trace_id: nested.info.trace_id,
            info: nested.info,
            spans: nested.spans
          },
          { trace_id: 'tr-0123456789abcdef0123456789abcdef' }
        ]
      })
    );
    await settle();
    expect(texts('.jp-MlflowTrace-spanName')).toContain('rag_agent');
    const alert = texts('[role="alert"]').join('\n');
    expect(alert).toContain('no jupyterlab_mlflow_traces server extension');
    expect(alert).toContain('MLFLOW_TRACKING_URI');
    expect(alert).toContain('"connection" setting');
    expect(requests.filter(r => r.url.startsWith(PROXY))).toEqual([]);
    expect(globalFetch).not.toHaveBeenCalled();
  });

  it("shows the server's own problem (no MLFLOW_TRACKING_URI)", async () => {
    useJupyter({
      tracking_uri: null,
      problem:
        'The Jupyter server has no MLFLOW_TRACKING_URI, so it cannot fetch traces.'
    });
    const w = traceWidget();
    await renderInto(
      w,
      mimeModel(TRACE_MIME_TYPE, {
        version: 1,
        traces: [{ trace_id: recorded.traceId }]
      })
    );
    await settle();
    const alert = texts('[role="alert"]').join('\n');
    expect(alert).toContain('has no MLFLOW_TRACKING_URI');
    expect(alert).toContain('"connection" setting');
    expect(requests.filter(r => r.url.startsWith(PROXY))).toEqual([]);
  });
});

describe('a trace output whose tracking server the Jupyter server cannot reach', () => {
  it("shows the Jupyter server's message (502) on the fetched trace, with Retry", async () => {
    const message =
      'The Jupyter server could not reach the tracking server http://mlflow.internal:5000: URLError.';
    const jupyter = fakeJupyter({
      config: { tracking_uri: JUPYTER_MLFLOW, problem: null },
      tracking: async () =>
        answer(502, {
          error_code: 'TRACKING_SERVER_UNREACHABLE',
          message
        })
    });
    requests = jupyter.requests;
    setServerSettings(jupyter.settings);
    const w = traceWidget();
    await renderInto(
      w,
      mimeModel(TRACE_MIME_TYPE, {
        version: 1,
        traces: [{ trace_id: recorded.traceId }]
      })
    );
    await act(async () => {
      await new Promise(resolve => setTimeout(resolve, 3000));
    });
    const alert = texts('[role="alert"]').join('\n');
    expect(alert).toContain(message);
    expect(
      Array.from(w.node.querySelectorAll('button')).some(
        b => b.textContent === 'Retry'
      )
    ).toBe(true);
    expect(globalFetch).not.toHaveBeenCalled();
  });
});

describe('a trace output with a tracking server in the settings', () => {
  it('calls it from the browser with the password, and warns once that it is stored in plain text', async () => {
    globalFetch.mockImplementation(recorded.fetch as never);
    updateSettings({
      trackingUri: 'http://mlflow.invalid',
      trackingUsername: 'alice',
      trackingPassword: 'pw-SECRET'
    });
    const w = traceWidget();
    await renderInto(
      w,
      mimeModel(TRACE_MIME_TYPE, {
        version: 1,
        traces: [{ trace_id: recorded.traceId }]
      })
    );
    await settle();
    expect(texts('.jp-MlflowTrace-spanName')).toContain('rag_agent');
    const notes = texts('[role="note"]');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('password in your settings');
    expect(notes[0]).toContain('plain text');
    expect(notes[0]).not.toContain('pw-SECRET');
    expect(requests.filter(r => r.url.startsWith(PROXY))).toEqual([]);
    expect(globalFetch).toHaveBeenCalled();
    for (const [, init] of globalFetch.mock.calls as unknown as [
      string,
      RequestInit
    ][]) {
      expect((init.headers as Record<string, string>).Authorization).toMatch(
        /^Basic /
      );
    }
  });
});

describe('a trace-list output, connection "jupyter-server"', () => {
  const list = {
    version: 1,
    tracking_uri: STRANGER,
    query: { experiment_ids: ['1'] },
    traces: [nested.info],
    next_page_token: 'page-2'
  };

  function row(traceId: string): HTMLElement {
    const found = widget!.node.querySelector<HTMLElement>(
      `[role="row"][data-trace-id="${traceId}"]`
    );
    if (!found) {
      throw new Error(`no row for ${traceId}`);
    }
    return found;
  }

  it('loads more through the proxy (a POST with the XSRF header) and opens a row through it', async () => {
    const w = new TraceListWidget({ mimeType: TRACE_LIST_MIME_TYPE } as never);
    widget = w;
    await renderInto(w, mimeModel(TRACE_LIST_MIME_TYPE, list));
    await settle();
    expect(texts('[role="note"]')).toEqual([
      `This output was written against ${STRANGER}; this JupyterLab reads traces from ${JUPYTER_MLFLOW}.`
    ]);
    const loadMore = Array.from(w.node.querySelectorAll('button')).find(b =>
      /load more/i.test(b.textContent ?? '')
    );
    expect(loadMore).toBeTruthy();
    fireEvent.click(loadMore!);
    await settle();
    expect(row(chat.info.trace_id as string)).toBeTruthy();
    const search = requests.find(r =>
      r.url.endsWith('/proxy/api/3.0/mlflow/traces/search')
    );
    expect(search?.method).toBe('POST');
    expect(search?.headers['x-xsrftoken']).toBe(XSRF);
    expect(JSON.parse(search!.body!)).toMatchObject({ page_token: 'page-2' });
    fireEvent.click(row(nested.info.trace_id as string));
    await settle();
    expect(
      w.node.querySelector('.jp-MlflowTraceList-detail')!.textContent
    ).toContain('rag_agent');
    expect(requests.every(r => r.url.startsWith(BASE_URL))).toBe(true);
    expect(globalFetch).not.toHaveBeenCalled();
  });
});
