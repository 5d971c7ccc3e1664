/**
 * @jest-environment jsdom
 *
 * The XSS corpus (test/fixtures/xss-payloads.json) as LLM models and
 * providers, and inside malformed costs: through the trace's text/html and
 * text/plain fallbacks, the explorer (header, rows, details) and the
 * comparison. Nothing may become markup.
 */
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { renderTraceHtml, renderTraceText } from '../../../src/bundle';
import { buildTrace, ISpanDict, ITraceInfoV3 } from '../../../src/trace';
import { CompareView, TraceExplorer } from '../../../src/view';
import { fakeLayout } from '../view/helpers';
import { checkFallback } from './fallbackInert';
import { PAYLOADS } from './hostile';
import { inertProblems } from './inert';

beforeAll(fakeLayout);

/** Elements the views make themselves: collapsible sections and checkboxes. */
const VIEW_TAGS = ['details', 'input'];

afterEach(() => {
  expect((window as unknown as { __xss?: number }).__xss).toBeUndefined();
});

const BASE_NS = 1_795_464_932_477_000_000;

/** A root and one chat span per payload: the payload as model and provider. */
function hostileSpans(): ISpanDict[] {
  const spans: ISpanDict[] = [
    {
      span_id: 'root',
      name: 'agent',
      start_time_unix_nano: BASE_NS,
      end_time_unix_nano: BASE_NS + 1e9,
      attributes: {}
    }
  ];
  PAYLOADS.forEach((p, i) => {
    spans.push({
      span_id: `s${i}`,
      parent_span_id: 'root',
      name: `chat ${i}`,
      start_time_unix_nano: BASE_NS + i * 1000,
      end_time_unix_nano: BASE_NS + i * 1000 + 500,
      attributes: {
        'mlflow.spanType': '"CHAT_MODEL"',
        'mlflow.llm.model': JSON.stringify(p.payload),
        'mlflow.llm.provider': JSON.stringify(p.payload),
        // Every third cost is malformed, with the payload inside
        'mlflow.llm.cost':
          i % 3 === 0
            ? `{"total_cost": ${JSON.stringify(p.payload)}`
            : JSON.stringify({ total_cost: i / 1000 })
      }
    });
  });
  return spans;
}

function hostileInfo(i: number): ITraceInfoV3 {
  return {
    trace_id: `tr-${i}`,
    state: 'OK',
    trace_metadata: { 'mlflow.trace.cost': PAYLOADS[i].payload },
    tags: {}
  };
}

describe('LLM models, providers and costs on the XSS corpus', () => {
  const spans = hostileSpans();

  it('the trace fallbacks write them as inert text', () => {
    for (const i of [0, 1, 2]) {
      const traces = [{ traceId: `tr-${i}`, info: hostileInfo(i), spans }];
      checkFallback(renderTraceHtml(traces));
      expect(renderTraceText(traces).split('\n')).toHaveLength(1);
    }
  });

  it('the explorer shows them as text in the header, the rows and the details', () => {
    const trace = buildTrace(hostileInfo(0), spans);
    const { container } = render(<TraceExplorer trace={trace} />);
    const rows = screen.getAllByRole('treeitem');
    for (const row of rows.slice(1, 6)) {
      fireEvent.click(row);
      expect(inertProblems(container, VIEW_TAGS)).toEqual([]);
    }
    expect(
      container.querySelector('.jp-MlflowTrace-models')!.textContent
    ).toContain(PAYLOADS[0].payload);
    expect(inertProblems(container, VIEW_TAGS)).toEqual([]);
  });

  it('the comparison shows them as text', () => {
    const left = buildTrace(hostileInfo(1), spans);
    const right = buildTrace(hostileInfo(2), spans.slice(0, 10));
    const { container } = render(<CompareView left={left} right={right} />);
    expect(screen.getByLabelText('Models').textContent).toContain(
      PAYLOADS[0].payload
    );
    expect(inertProblems(container, VIEW_TAGS)).toEqual([]);
  });
});
