/**
 * @jest-environment jsdom
 *
 * The XSS corpus (test/fixtures/xss-payloads.json) through every path that
 * turns trace content into markup: the text/html fallbacks of the trace and
 * trace-list bundles (parsed as a browser would), and the React views (span
 * tree, every span's details, headers, switcher tabs, list rows). Nothing may
 * become an element, an attribute, a handler or a non-http(s) URL, and the
 * payloads' page-side marker must stay unset.
 */
import React from 'react';
import { act, render } from '@testing-library/react';
import {
  decodeTraceListBundle,
  renderTraceHtml,
  renderTraceListHtml,
  renderTraceText
} from '../../../src/bundle';
import { buildTrace } from '../../../src/trace';
import { TraceExplorer, TraceOutput } from '../../../src/view';
import { SpanDetails } from '../../../src/view/SpanDetails';
import { fakeLayout } from '../view/helpers';
import { hostileIdTraces, hostileTrace, PAYLOADS } from './hostile';
import { checkFallback, parse } from './fallbackInert';
import { inertProblems } from './inert';

beforeAll(fakeLayout);

// The views' own <details> sections and search box; payloads may add nothing else.
const VIEW_TAGS = ['details', 'input'];

const marker = () => (window as unknown as { __xss?: number }).__xss;

afterEach(() => {
  expect(marker()).toBeUndefined();
});

describe('XSS corpus', () => {
  it('has at least 50 payloads in every category the issue names', () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(50);
    const categories = new Set(PAYLOADS.map(p => p.category));
    for (const c of [
      'script',
      'handler',
      'url',
      'svg',
      'mathml',
      'css',
      'broken',
      'unicode'
    ]) {
      expect(categories.has(c)).toBe(true);
    }
  });
});

describe('text/html fallback on the XSS corpus', () => {
  it('escapes every payload in span names, types, statuses, tags and previews', () => {
    const trace = hostileTrace();
    const html = renderTraceHtml(
      { version: 1, tracking_uri: 'http://127.0.0.1:5000', traces: [trace] },
      { maxRowsPerTrace: 10_000 }
    );
    checkFallback(html);
    const text = parse(html).textContent ?? '';
    // The names are shown as text (ellipsized names may be cut, so check a prefix).
    for (const p of PAYLOADS) {
      const visible = p.payload.replace(/\s+/g, ' ').trim().slice(0, 12);
      if (
        visible &&
        // eslint-disable-next-line no-control-regex
        !/[\u0000-\u001f\ud800-\udfff\u2028\u2029]/.test(visible)
      ) {
        expect(text.replace(/\s+/g, ' ')).toContain(visible);
      }
    }
  });

  it('escapes payloads used as trace ids and tracking URIs', () => {
    for (const p of PAYLOADS) {
      const html = renderTraceHtml({
        version: 1,
        tracking_uri: p.payload,
        traces: hostileIdTraces([p])
      });
      checkFallback(html);
      // The text/plain fallback is one line per trace: no raw line breaks from payloads.
      const plain = renderTraceText({
        version: 1,
        traces: hostileIdTraces([p])
      });
      expect(plain.split('\n')).toHaveLength(1);
    }
  });

  it('escapes payloads in the trace-list fallback (query, filter, infos)', () => {
    const trace = hostileTrace();
    const infos = [trace.info, ...hostileIdTraces().map(t => t.info)];
    const data = {
      version: 1,
      tracking_uri: PAYLOADS[19].payload,
      query: {
        experiment_ids: PAYLOADS.slice(0, 3).map(p => p.payload),
        filter: PAYLOADS[0].payload,
        order_by: [PAYLOADS[1].payload],
        max_results: 100
      },
      traces: infos,
      next_page_token: PAYLOADS[2].payload
    };
    checkFallback(renderTraceListHtml(data));
    expect(decodeTraceListBundle(data).trackingUri).toBeUndefined();
  });
});

describe('React views on the XSS corpus', () => {
  it('renders the hostile trace as text: tree, timeline, header and every span\u2019s details', () => {
    const raw = hostileTrace();
    const trace = buildTrace(raw.info, raw.spans);
    expect(trace.nodesInOrder.length).toBe(raw.spans.length);
    const { container, unmount } = render(
      <TraceOutput
        entries={[
          {
            traceId: raw.trace_id,
            trace,
            loading: false,
            uiUrl: 'javascript:alert(1)'
          },
          ...hostileIdTraces(PAYLOADS.slice(0, 20)).map(t => ({
            traceId: t.trace_id,
            trace: buildTrace(t.info, t.spans),
            loading: false,
            uiUrl: t.trace_id
          })),
          {
            traceId: PAYLOADS[0].payload,
            loading: false,
            error: PAYLOADS[7].payload
          }
        ]}
        notices={PAYLOADS.slice(0, 5).map(p => p.payload)}
      />
    );
    expect(inertProblems(container, VIEW_TAGS)).toEqual([]);
    expect(container.textContent).toContain(PAYLOADS[0].payload);
    unmount();

    // The details pane of every span, one at a time (inputs, outputs, chat, events, attributes).
    for (const node of trace.nodesInOrder) {
      const details = render(<SpanDetails node={node} />);
      expect(inertProblems(details.container, VIEW_TAGS)).toEqual([]);
      details.unmount();
    }
  });

  it('keeps the explorer inert while every row is selected', () => {
    const raw = hostileTrace(PAYLOADS.slice(0, 30));
    const trace = buildTrace(raw.info, raw.spans);
    const { container } = render(<TraceExplorer trace={trace} />);
    const tree = container.querySelector('[role=tree]') as HTMLElement;
    tree.focus();
    for (let i = 0; i < trace.nodesInOrder.length; i++) {
      act(() => {
        tree.dispatchEvent(
          new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })
        );
      });
      expect(inertProblems(container, VIEW_TAGS)).toEqual([]);
    }
  });
});
