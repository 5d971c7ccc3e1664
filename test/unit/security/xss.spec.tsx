/**
 * @jest-environment jsdom
 *
 * The XSS corpus (test/fixtures/xss-payloads.json) through every path that
 * turns trace content into markup: the text/html fallbacks of the trace and
 * trace-list bundles (parsed as a browser would), and the React views (span
 * tree, every span's details, headers, switcher tabs, list rows); and the
 * trace summary's fallback (with its inline SVG charts) and view, with
 * payloads in the filter, experiment ids and source note. Nothing may
 * become an element, an attribute, a handler or a non-http(s) URL, and the
 * payloads' page-side marker must stay unset.
 */
import React from 'react';
import fs from 'fs';
import path from 'path';
import { act, render } from '@testing-library/react';
import {
  decodeTraceListBundle,
  decodeTraceSummaryBundle,
  renderTraceHtml,
  renderTraceListHtml,
  renderTraceSummaryHtml,
  renderTraceText
} from '../../../src/bundle';
import { buildTrace } from '../../../src/trace';
import {
  TraceExplorer,
  TraceOutput,
  TraceSummaryOutput
} from '../../../src/view';
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

/** The reference summary with every string a payload can be: filter, ids, note. */
function hostileSummary(payload: string): any {
  const data = JSON.parse(
    fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../contract/examples/trace-summary/three-hours.json'
      ),
      'utf8'
    )
  );
  data.query.filter = payload;
  data.query.experiment_ids = [payload, '1'];
  data.source = 'search';
  data.source_note = payload;
  return data;
}

/** The summary fallback's writer: control characters as spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
}

// The HTML parser's own changes to text: CR LF and CR become LF, NUL goes.
function parsedText(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\u0000').join('');
}

describe('trace summary on the XSS corpus', () => {
  it('writes every payload as inert text in the text/html fallback, charts included', () => {
    for (const p of PAYLOADS) {
      const html = renderTraceSummaryHtml(hostileSummary(p.payload));
      checkFallback(html);
      const root = parse(html);
      expect(root.querySelectorAll('svg')).toHaveLength(2);
      const [caption, note] = Array.from(root.querySelectorAll('p')).map(
        e => e.textContent
      );
      const filter = p.payload.length > 200 ? null : JSON.stringify(p.payload);
      expect(caption).toContain(
        parsedText(`experiments ${oneLine(p.payload)}, 1;`)
      );
      if (filter !== null) {
        expect(caption).toContain(parsedText(`filter ${filter};`));
      }
      expect(note).toBe(parsedText(oneLine(p.payload)));
    }
  });

  it('shows every payload as text in the view, with nothing of it as markup', () => {
    const shape = (container: Element) => {
      const names = new Set<string>();
      for (const el of Array.from(container.querySelectorAll('*'))) {
        names.add(`<${el.tagName}>`);
        for (const attr of Array.from(el.attributes)) {
          names.add(`<${el.tagName} ${attr.name}>`);
        }
      }
      return names;
    };
    const view = (data: unknown) => {
      const decoded = decodeTraceSummaryBundle(data);
      return render(
        <TraceSummaryOutput
          summary={decoded.summary}
          errors={decoded.errors}
          warnings={decoded.warnings}
          active={0}
          onActive={() => undefined}
        />
      );
    };
    // The view's own elements and attributes, on benign strings.
    const benign = hostileSummary('tags.version = "v2"');
    benign['an unknown key'] = 1;
    const own = view(benign);
    const allowed = shape(own.container);
    own.unmount();
    for (const p of PAYLOADS) {
      const data = hostileSummary(p.payload);
      // an unknown key (its name is in a warning), even one named __proto__
      Object.defineProperty(data, p.payload, { value: 1, enumerable: true });
      const { container, unmount } = view(data);
      expect(inertProblems(container, VIEW_TAGS)).toEqual([]);
      expect([...shape(container)].filter(n => !allowed.has(n))).toEqual([]);
      expect(
        container.querySelector('.jp-MlflowTraceSummary-filter')!.textContent
      ).toBe(p.payload);
      const text = container.textContent ?? '';
      expect(text).toContain(`Experiments ${p.payload}, 1`);
      expect(text).toContain(`Computed over search results: ${p.payload}`);
      expect(text).toContain(
        `${JSON.stringify(p.payload)} is not part of version 1`
      );
      unmount();
    }
  });
});
