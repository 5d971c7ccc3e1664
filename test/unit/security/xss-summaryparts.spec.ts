/**
 * @jest-environment jsdom
 *
 * The XSS corpus (test/fixtures/xss-payloads.json) through the trace
 * summary fallback's optional parts: each payload as the group-by key, a
 * segment value, the segments note, an assessment name and value, a span
 * name and type, a span budget and a violation's subject and segment
 * (contract/examples/trace-summary/segments-budgets.json). The text/html
 * must stay inside the writers' closed sets (SVG in the SVG namespace
 * only), hold no handler, script or fetching URL, and show each payload as
 * text; the payloads' page-side marker must stay unset.
 */
import fs from 'fs';
import path from 'path';
import {
  oneLine,
  renderTraceSummaryHtml,
  renderTraceSummaryText
} from '../../../src/bundle';
import { ellipsize } from '../../../src/bundle/util';
import { checkFallback, parse } from './fallbackInert';
import { PAYLOADS } from './hostile';

const EXAMPLE = path.resolve(
  __dirname,
  '../../../contract/examples/trace-summary/segments-budgets.json'
);

const marker = () => (window as unknown as { __xss?: number }).__xss;

afterEach(() => {
  expect(marker()).toBeUndefined();
});

/** The reference with `payload` in every string position of the optional parts. */
function hostileParts(payload: string): any {
  const data = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  data.query.group_by = { kind: 'metadata', key: payload };
  data.query.budgets.spans = [
    { span_name: payload, p90_ms: 150 },
    { span_type: payload, p90_ms: 700 }
  ];
  data.segments[0].value = payload;
  data.segments_note = payload;
  data.quality[0].name = payload;
  data.quality[1].values = { [payload]: 2, '"yes"': 3 };
  data.spans.by_name[2].key = payload;
  data.spans.by_type[1].key = payload;
  data.violations[1].subject = payload;
  data.violations[4].segment = payload;
  return data;
}

// The HTML parser's own changes to text: CR LF and CR become LF, NUL goes.
function parsedText(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\u0000').join('');
}

/** A payload as a label shows it: one line, at most 60 characters. */
function shown(payload: string, max = 60): string {
  return parsedText(ellipsize(oneLine(payload), max));
}

describe('trace summary parts on the XSS corpus', () => {
  it('has payloads to try', () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(PAYLOADS.map(p => [p.category, p.payload] as const))(
    'writes the %s payload %j as inert text in every new part',
    (_, payload) => {
      const data = hostileParts(payload);
      const html = renderTraceSummaryHtml(data);
      checkFallback(html);
      const root = parse(html);
      // count, latency, cost, 2 segment charts, 2 quality means, 2 swatches,
      // 2 span share charts
      expect(root.querySelectorAll('svg')).toHaveLength(11);
      // every SVG attribute is the writer's constant or number, not payload text
      for (const el of Array.from(root.querySelectorAll('svg, svg *'))) {
        for (const attr of Array.from(el.attributes)) {
          expect(attr.value).toMatch(/^[-\w.,:/#() ]*$/);
        }
      }
      const text = root.textContent ?? '';
      const quoted = parsedText(
        JSON.stringify(ellipsize(oneLine(payload), 60))
      );
      expect(text).toContain(`Segments by metadata ${shown(payload)}`);
      expect(text).toContain(parsedText(oneLine(payload)));
      expect(text).toContain(`span name ${quoted} p90 ≤ 150 ms`);
      expect(text).toContain(`span type ${quoted} p90 ≤ 700 ms`);
      const cells = Array.from(root.querySelectorAll('td')).map(
        td => td.textContent
      );
      expect(cells).toContain(shown(payload)); // assessment, span name and type
      expect(cells).toContain(` ${quoted}`); // the segment's row
      expect(cells).toContain(`span name ${quoted}`); // the violation's subject
      expect(cells).toContain(`whole range, segment ${quoted}`);
      expect(cells).toContain(
        `${parsedText(ellipsize(oneLine(payload), 30))} 2, "yes" 3`
      );
      const titles = Array.from(root.querySelectorAll('title')).map(
        t => t.textContent
      );
      expect(titles).toContain(quoted); // the segment's lines
      expect(titles).toContain(
        `${shown(payload)}: 17.2% of the time, 0% of the cost, p90 over its budget`
      ); // the span name's share bars
      const plain = renderTraceSummaryText(data);
      expect(plain).toContain(
        `  p90 of span name ${JSON.stringify(ellipsize(oneLine(payload), 60))} 180 ms > 150 ms`
      );
      expect(plain.split('\n').length).toBe(18);
    }
  );
});
