/**
 * @jest-environment jsdom
 */
import './luminoDom';
import { act } from '@testing-library/react';
import { decodeTraceBundle, TRACE_MIME_TYPE } from '../../../src/bundle';
import { updateSettings } from '../../../src/lab/config';
import { TraceOutputWidget } from '../../../src/lab/widget';
import { fakeLayout } from '../view/helpers';
import { mimeModel, recordedRaw, renderInto } from './outputs';

beforeAll(fakeLayout);

let widget: TraceOutputWidget;
const fetchMock = jest.fn(() => new Promise<Response>(() => {}));

beforeEach(() => {
  (globalThis as { fetch?: unknown }).fetch = fetchMock;
  fetchMock.mockClear();
  widget = new TraceOutputWidget({
    mimeType: TRACE_MIME_TYPE,
    sanitizer: {} as never,
    resolver: null,
    linkHandler: null,
    latexTypesetter: null
  } as never);
});

afterEach(() => {
  act(() => widget.dispose());
  updateSettings({});
});

const nested = recordedRaw('nested');
const embeddedAndFetched = {
  version: 1,
  traces: [
    { trace_id: nested.info.trace_id, info: nested.info, spans: nested.spans },
    { trace_id: 'tr-0123456789abcdef0123456789abcdef' }
  ]
};

function spanNames(): string[] {
  return Array.from(
    widget.node.querySelectorAll('[role="treeitem"] .jp-MlflowTrace-spanName')
  ).map(element => element.textContent!);
}

function alerts(): string[] {
  return Array.from(widget.node.querySelectorAll('[role="alert"]')).map(
    element => element.textContent!
  );
}

describe('TraceOutputWidget with a tracking server setting without a scheme', () => {
  for (const bad of ['localhost:5000', 'mlflow.internal']) {
    it(`renders the embedded trace and names the bad setting "${bad}"`, async () => {
      updateSettings({ trackingUri: bad });
      await renderInto(widget, mimeModel(TRACE_MIME_TYPE, embeddedAndFetched));
      expect(spanNames()).toContain('rag_agent');
      const message = alerts().find(text => text.includes('"trackingUri"'));
      expect(message).toContain(`"${bad}"`);
      expect(fetchMock).not.toHaveBeenCalled();
    });
  }
});

describe('TraceOutputWidget and the decoder warnings', () => {
  it('shows each warning of the bundle as a warning, beside the trace', async () => {
    const data = {
      ...embeddedAndFetched,
      version: 2,
      tracking_uri: 'javascript:alert(1)',
      traces: [
        {
          trace_id: 'tr-not-the-info-id',
          info: nested.info,
          spans: nested.spans
        }
      ]
    };
    const expected = decodeTraceBundle(data).warnings;
    expect(expected.length).toBe(3);
    await renderInto(widget, mimeModel(TRACE_MIME_TYPE, data));
    const shown = Array.from(
      widget.node.querySelectorAll('.jp-mod-warning li')
    ).map(element => element.textContent);
    for (const warning of expected) {
      expect(shown).toContain(warning);
    }
    expect(spanNames()).toContain('rag_agent');
  });
});
