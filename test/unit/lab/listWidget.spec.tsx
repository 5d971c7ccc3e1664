/**
 * @jest-environment jsdom
 */
import './luminoDom';
import { act, fireEvent } from '@testing-library/react';
import {
  decodeTraceListBundle,
  TRACE_LIST_MIME_TYPE
} from '../../../src/bundle';
import { updateSettings } from '../../../src/lab/config';
import { TraceListWidget } from '../../../src/lab/listWidget';
import { fakeLayout } from '../view/helpers';
import { mimeModel, recordedRaw, renderInto } from './outputs';

beforeAll(fakeLayout);

let widget: TraceListWidget;
const fetchMock = jest.fn(() => new Promise<Response>(() => {}));

beforeEach(() => {
  (globalThis as { fetch?: unknown }).fetch = fetchMock;
  fetchMock.mockClear();
  widget = new TraceListWidget({ mimeType: TRACE_LIST_MIME_TYPE } as never);
});

afterEach(() => {
  act(() => widget.dispose());
  updateSettings({});
});

const nested = recordedRaw('nested');
const chat = recordedRaw('chat');
const list = {
  version: 1,
  query: { experiment_ids: ['1'] },
  traces: [nested.info, chat.info]
};

function row(traceId: string): HTMLElement {
  const found = widget.node.querySelector<HTMLElement>(
    `[role="row"][data-trace-id="${traceId}"]`
  );
  if (!found) {
    throw new Error(`no row for ${traceId}`);
  }
  return found;
}

/** Let the widget's pending promises settle inside act. */
async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 10; i++) {
      await new Promise(resolve => setTimeout(resolve, 0));
    }
  });
}

describe('TraceListWidget with a tracking server setting without a scheme', () => {
  for (const bad of ['localhost:5000', 'mlflow.internal']) {
    it(`says the setting "${bad}" is bad when a trace is opened, never staying on "Loading…"`, async () => {
      updateSettings({ trackingUri: bad });
      await renderInto(widget, mimeModel(TRACE_LIST_MIME_TYPE, list));
      fireEvent.click(row(nested.info.trace_id as string));
      await settle();
      const detail = widget.node.querySelector('.jp-MlflowTraceList-detail')!;
      expect(detail.textContent).not.toContain('Loading');
      const alert = detail.querySelector('[role="alert"]')!;
      expect(alert.textContent).toContain('"trackingUri"');
      expect(alert.textContent).toContain(`"${bad}"`);
      expect(fetchMock).not.toHaveBeenCalled();
    });
  }
});

describe('TraceListWidget and the decoder warnings', () => {
  it('shows each warning of the list bundle as a warning, beside the rows', async () => {
    const data = {
      ...list,
      version: 2,
      tracking_uri: 'mlflow.internal',
      query: { experiment_ids: ['1'], order_by: 'not a list' }
    };
    const expected = decodeTraceListBundle(data).warnings;
    expect(expected.length).toBe(3);
    await renderInto(widget, mimeModel(TRACE_LIST_MIME_TYPE, data));
    const shown = Array.from(
      widget.node.querySelectorAll('.jp-mod-warning li')
    ).map(element => element.textContent);
    for (const warning of expected) {
      expect(shown).toContain(warning);
    }
    expect(row(chat.info.trace_id as string)).toBeTruthy();
  });
});

describe('TraceListWidget rendered again with the same output', () => {
  it.each([
    ['the same trust', false, false],
    ['trust gained (a signature checked)', false, true]
  ])(
    'keeps its state with %s, so a "Load more" answer that arrives after the second rendering is shown',
    async (_label, trustedBefore, trustedAfter) => {
      updateSettings({ trackingUri: 'http://127.0.0.1:5000' });
      let answerSearch: (response: Response) => void = () => {};
      fetchMock.mockImplementation(
        () => new Promise<Response>(resolve => (answerSearch = resolve))
      );
      const data = {
        version: 1,
        query: { experiment_ids: ['1'], max_results: 1 },
        traces: [nested.info],
        next_page_token: 'page-2'
      };
      await renderInto(
        widget,
        mimeModel(TRACE_LIST_MIME_TYPE, data, { trusted: trustedBefore })
      );
      const loadMore = Array.from(widget.node.querySelectorAll('button')).find(
        button => button.textContent === 'Load more'
      );
      expect(loadMore).toBeDefined();
      fireEvent.click(loadMore!);
      await settle();
      expect(fetchMock).toHaveBeenCalledTimes(1);
      // JupyterLab renders an output again (a trust check, a re-layout) with the same data.
      await renderInto(
        widget,
        mimeModel(TRACE_LIST_MIME_TYPE, data, { trusted: trustedAfter })
      );
      const body = JSON.stringify({ traces: [chat.info] });
      answerSearch({
        status: 200,
        statusText: 'OK',
        text: async () => body,
        headers: { get: () => null }
      } as unknown as Response);
      await settle();
      expect(row(chat.info.trace_id as string)).toBeTruthy();
      expect(row(nested.info.trace_id as string)).toBeTruthy();
    }
  );
});
