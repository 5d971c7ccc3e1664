/**
 * @jest-environment jsdom
 *
 * Its own file: the settings must still be loading when the test starts.
 */
import './luminoDom';
import { act } from '@testing-library/react';
import { TRACE_MIME_TYPE } from '../../../src/bundle';
import { setServerSettings } from '../../../src/lab/jupyterServer';
import { TraceOutputWidget } from '../../../src/lab/widget';
import { Widget } from '@lumino/widgets';
import { fakeLayout } from '../view/helpers';
import { fakeJupyter } from './fakeJupyter';
import { mimeModel, recordedRaw } from './outputs';

beforeAll(fakeLayout);

// The default connection: the Jupyter server forwards to the global fetch of each test.
beforeEach(() => {
  const { settings } = fakeJupyter({
    config: { tracking_uri: 'http://127.0.0.1:5000', problem: null },
    tracking: (input, init) => globalThis.fetch(input, init)
  });
  setServerSettings(settings);
});

describe('TraceOutputWidget disposed while the settings load', () => {
  it('never starts fetching or polling', async () => {
    jest.useFakeTimers();
    const fetchMock = jest.fn(() => new Promise<Response>(() => {}));
    (globalThis as { fetch?: unknown }).fetch = fetchMock;
    const widget = new TraceOutputWidget({
      mimeType: TRACE_MIME_TYPE
    } as never);
    const rendered = widget.renderModel(
      mimeModel(
        TRACE_MIME_TYPE,
        {
          version: 1,
          tracking_uri: 'http://127.0.0.1:5000',
          traces: [{ trace_id: 'tr-0123456789abcdef0123456789abcdef' }]
        },
        { trusted: true }
      )
    );
    widget.dispose();
    // Past the settings wait, and past minutes of polling.
    await jest.advanceTimersByTimeAsync(10 * 60 * 1000);
    await rendered;
    expect(fetchMock).not.toHaveBeenCalled();
    jest.useRealTimers();
  });

  it('starts only the newest output when new data arrives while the settings load', async () => {
    jest.useFakeTimers();
    const fetchMock = jest.fn(
      (input: string) => new Promise<Response>(() => void input)
    );
    (globalThis as { fetch?: unknown }).fetch = fetchMock;
    const widget = new TraceOutputWidget({
      mimeType: TRACE_MIME_TYPE
    } as never);
    const output = (traceId: string) =>
      mimeModel(
        TRACE_MIME_TYPE,
        {
          version: 1,
          tracking_uri: 'http://127.0.0.1:5000',
          traces: [{ trace_id: traceId }]
        },
        { trusted: true }
      );
    const older = widget.renderModel(output('tr-older'));
    const newer = widget.renderModel(output('tr-newer'));
    await act(async () => {
      await jest.advanceTimersByTimeAsync(10 * 1000);
      await Promise.all([older, newer]);
    });
    const asked = fetchMock.mock.calls.map(call => String(call[0]));
    expect(asked.some(url => url.includes('tr-newer'))).toBe(true);
    expect(asked.filter(url => url.includes('tr-older'))).toEqual([]);
    act(() => widget.dispose());
    jest.useRealTimers();
  });

  it('shows the embedded traces at once, before the settings have loaded', async () => {
    jest.useFakeTimers();
    const fetchMock = jest.fn(() => new Promise<Response>(() => {}));
    (globalThis as { fetch?: unknown }).fetch = fetchMock;
    const nested = recordedRaw('nested');
    const widget = new TraceOutputWidget({
      mimeType: TRACE_MIME_TYPE
    } as never);
    Widget.attach(widget, document.body);
    let rendered: Promise<void> = Promise.resolve();
    await act(async () => {
      rendered = widget.renderModel(
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
    });
    const names = () =>
      Array.from(widget.node.querySelectorAll('.jp-MlflowTrace-spanName')).map(
        element => element.textContent
      );
    expect(names()).toContain('rag_agent');
    await act(async () => {
      await jest.advanceTimersByTimeAsync(10 * 1000);
      await rendered;
    });
    expect(names()).toContain('rag_agent');
    act(() => widget.dispose());
    jest.useRealTimers();
  });
});
