/**
 * @jest-environment jsdom
 */
/**
 * The trace-summary widget's click-through when no request can go: a bad
 * tracking-server setting is named under the summary (never "Searching…"
 * forever), nothing is fetched, the summary still draws, and Close clears it.
 */
import './luminoDom';
import fs from 'fs';
import path from 'path';
import { act, fireEvent } from '@testing-library/react';
import { TRACE_SUMMARY_MIME_TYPE } from '../../../src/bundle';
import { updateSettings } from '../../../src/lab/config';
import { TraceSummaryWidget } from '../../../src/lab/summaryWidget';
import { fakeLayout } from '../view/helpers';
import { mimeModel, renderInto } from './outputs';

beforeAll(fakeLayout);

const FULL = JSON.parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../contract/examples/trace-summary/full.json'
    ),
    'utf8'
  )
);

let widget: TraceSummaryWidget;
const fetchMock = jest.fn(() => new Promise<Response>(() => {}));

beforeEach(() => {
  (globalThis as { fetch?: unknown }).fetch = fetchMock;
  fetchMock.mockClear();
  widget = new TraceSummaryWidget({
    mimeType: TRACE_SUMMARY_MIME_TYPE
  } as never);
});

afterEach(() => {
  act(() => widget.dispose());
  updateSettings({});
});

async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 10; i++) {
      await new Promise(resolve => setTimeout(resolve, 0));
    }
  });
}

function drill(): Element | null {
  return widget.node.querySelector('.jp-MlflowTraceSummary-drill');
}

describe('TraceSummaryWidget click-through without a route', () => {
  it('names the bad setting under the summary when a bucket is clicked', async () => {
    updateSettings({ trackingUri: 'localhost:5000' });
    await renderInto(widget, mimeModel(TRACE_SUMMARY_MIME_TYPE, FULL));
    const hit = widget.node.querySelector('figure [data-bucket="1"]')!;
    fireEvent.click(hit);
    await settle();
    expect(drill()!.textContent).toContain(
      'Traces of 2026-12-01 01:00 UTC + 1 h, slowest first'
    );
    expect(drill()!.textContent).not.toContain('Searching');
    const alert = drill()!.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('Cannot list the traces:');
    expect(alert.textContent).toContain('"localhost:5000"');
    expect(fetchMock).not.toHaveBeenCalled();
    expect(widget.node.querySelectorAll('figure')).toHaveLength(10);

    fireEvent.click(drill()!.querySelector('button')!);
    await settle();
    expect(drill()).toBeNull();
  });

  it('names the span row that was picked', async () => {
    updateSettings({ trackingUri: 'localhost:5000' });
    await renderInto(widget, mimeModel(TRACE_SUMMARY_MIME_TYPE, FULL));
    const button = Array.from(widget.node.querySelectorAll('button')).find(
      b => b.textContent === 'rerank'
    )!;
    fireEvent.click(button);
    await settle();
    expect(drill()!.textContent).toContain(
      'Traces with a span of span name rerank, slowest first'
    );
    expect(drill()!.querySelector('[role="alert"]')).not.toBeNull();
  });
});
