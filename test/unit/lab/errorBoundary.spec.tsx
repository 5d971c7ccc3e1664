/**
 * @jest-environment jsdom
 *
 * A view that throws: the explorer is replaced by one that throws on render.
 */
import './luminoDom';
import { act } from '@testing-library/react';
import { TRACE_MIME_TYPE } from '../../../src/bundle';
import { TraceOutputWidget } from '../../../src/lab/widget';
import { mimeModel, recordedRaw, renderInto } from './outputs';
import { allowOnlyCaughtError } from '../caughtErrors';

jest.mock('../../../src/view/TraceExplorer', () => ({
  TraceExplorer: () => {
    throw new Error('the view exploded');
  }
}));

const nested = recordedRaw('nested');
const FALLBACK = 'MLflow trace rag_agent · OK · 125 ms · 10 spans';

allowOnlyCaughtError('the view exploded');

describe('An output whose view throws', () => {
  it('shows the error, the trace id and the text/plain fallback, and renderModel does not throw', async () => {
    const widget = new TraceOutputWidget({
      mimeType: TRACE_MIME_TYPE
    } as never);
    await renderInto(
      widget,
      mimeModel(
        TRACE_MIME_TYPE,
        {
          version: 1,
          traces: [
            {
              trace_id: nested.info.trace_id,
              info: nested.info,
              spans: nested.spans
            }
          ]
        },
        { text: FALLBACK }
      )
    );
    const text = widget.node.textContent!;
    expect(text).toContain('the view exploded');
    expect(text).toContain(nested.info.trace_id as string);
    expect(text).toContain(FALLBACK);
    expect(widget.node.querySelector('[role="alert"]')).not.toBeNull();
    act(() => widget.dispose());
  });
});
