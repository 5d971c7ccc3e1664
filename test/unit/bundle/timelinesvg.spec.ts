/**
 * @jest-environment jsdom
 *
 * The trace fallback's timeline strip (src/bundle/timelinesvg.ts): a
 * well-formed, script-free SVG with one bar per span row (at most 200), the
 * critical path underlined on exactly its spans, and every payload of the
 * XSS corpus as text in titles and the caption.
 */
import { IBundleTraceInput, renderTraceHtml } from '../../../src/bundle';
import { oneLine } from '../../../src/bundle/format';
import {
  CRITICAL_FILL,
  ERROR_FILL,
  MAX_TIMELINE_BARS,
  TYPE_FILLS
} from '../../../src/bundle/timelinesvg';
import { ellipsize } from '../../../src/bundle/util';
import { ISpanDict } from '../../../src/trace';
import {
  checkFallback,
  FALLBACK_SVG_ATTRIBUTES,
  FALLBACK_SVG_TAGS,
  parse
} from '../security/fallbackInert';
import { hostileTrace, PAYLOADS } from '../security/hostile';
import { makeInfo, makeSpan } from '../trace/factory';
import { withoutTimelineStrips } from './timelinesvg-markup';

const SVG_NS = 'http://www.w3.org/2000/svg';

function html(spans: ISpanDict[], maxRowsPerTrace?: number): string {
  const input: IBundleTraceInput[] = [
    { traceId: 'tr-1', info: makeInfo(), spans }
  ];
  return renderTraceHtml(input, { maxRowsPerTrace });
}

/** The strip's markup, exactly as written. */
function svgText(page: string): string {
  const start = page.indexOf('<svg');
  const end = page.indexOf('</svg>');
  expect(start).toBeGreaterThanOrEqual(0);
  expect(page.indexOf('<svg', start + 1)).toBe(-1);
  return page.slice(start, end + '</svg>'.length);
}

/** The strip parsed as a standalone SVG document (XML: must be well-formed). */
function svgDocument(page: string): Element {
  const doc = new DOMParser().parseFromString(svgText(page), 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  expect(doc.documentElement.namespaceURI).toBe(SVG_NS);
  expect(doc.documentElement.tagName).toBe('svg');
  return doc.documentElement;
}

interface IBar {
  title: string;
  x: number;
  width: number;
  fill: string;
  /** The underline below the bar, when the span is on the critical path. */
  line: { x: number; width: number } | null;
}

/** Each bar with its title and underline, in row order. */
function bars(svg: Element): IBar[] {
  const out: IBar[] = [];
  for (const rect of Array.from(svg.getElementsByTagName('rect'))) {
    const title = rect.getElementsByTagName('title')[0];
    const x = Number(rect.getAttribute('x'));
    const width = Number(rect.getAttribute('width'));
    if (title) {
      const fill = rect.getAttribute('fill') ?? '';
      out.push({ title: title.textContent ?? '', x, width, fill, line: null });
    } else {
      expect(rect.getAttribute('fill')).toBe(CRITICAL_FILL);
      expect(out[out.length - 1].line).toBeNull();
      out[out.length - 1].line = { x, width };
    }
  }
  return out;
}

const nameOf = (bar: IBar) => bar.title.split(' ')[0];
const onPath = (list: IBar[]) => list.filter(b => b.line).map(nameOf);

describe('timeline strip', () => {
  //  root [0, 100]
  //  ├─ a [10, 60]   parallel with b, ends first: not on the path
  //  └─ b [10, 90]
  //     └─ c [20, 50]
  const parallel = [
    makeSpan({ id: 'root', startMs: 0, endMs: 100, type: 'AGENT' }),
    makeSpan({ id: 'a', parent: 'root', startMs: 10, endMs: 60, type: 'TOOL' }),
    makeSpan({ id: 'b', parent: 'root', startMs: 10, endMs: 90, type: 'LLM' }),
    makeSpan({
      id: 'c',
      parent: 'b',
      startMs: 20,
      endMs: 50,
      type: 'custom',
      status: 'STATUS_CODE_ERROR'
    })
  ];

  it('is a well-formed SVG of the writers closed sets, with no script, handler, link or style', () => {
    const page = html(parallel);
    const svg = svgDocument(page);
    for (const el of [svg, ...Array.from(svg.getElementsByTagName('*'))]) {
      expect(el.namespaceURI).toBe(SVG_NS);
      expect(FALLBACK_SVG_TAGS.has(el.tagName)).toBe(true);
      for (const attr of Array.from(el.attributes)) {
        expect(FALLBACK_SVG_ATTRIBUTES.has(attr.name)).toBe(true);
      }
    }
    const markup = svgText(page);
    expect(markup).not.toMatch(
      /<script|<style|<foreignObject|<a[\s>]|<image|<use/i
    );
    expect(markup).not.toMatch(/\son\w+=|href|class=|style=|url\(/i);
    checkFallback(page);
  });

  it('draws one bar per span in tree order, x by time on a 632-wide plot', () => {
    const list = bars(svgDocument(html(parallel)));
    expect(list.map(nameOf)).toEqual(['root', 'a', 'b', 'c']);
    // 4 + round(ms * 632 / 100)
    expect(list.map(b => [b.x, b.width])).toEqual([
      [4, 632],
      [67, 316],
      [67, 506],
      [130, 190]
    ]);
  });

  it('underlines exactly the critical path, over each span window on it', () => {
    const list = bars(svgDocument(html(parallel)));
    expect(onPath(list)).toEqual(['root', 'b', 'c']);
    expect(list[0].line).toEqual({ x: 4, width: 632 });
    expect(list[2].line).toEqual({ x: 67, width: 506 });
    expect(list[3].line).toEqual({ x: 130, width: 190 });
    expect(list[1].title).toBe('a (TOOL) 50 ms');
    expect(list[2].title).toBe(
      'b (LLM) 80 ms, on the critical path (50% of it)'
    );
    expect(list[3].title).toBe(
      'c (custom) 30 ms, error, on the critical path (30% of it)'
    );
  });

  it('names the top contributors in its caption', () => {
    const svg = svgDocument(html(parallel));
    expect(svg.getElementsByTagName('text')[0].textContent).toBe(
      'Timeline, 100 ms; critical path (underlined): b 50%, c 30%, root 20%'
    );
  });

  it('colours bars by span type, failed spans red', () => {
    const list = bars(svgDocument(html(parallel)));
    expect(list.map(b => b.fill)).toEqual([
      TYPE_FILLS.AGENT,
      TYPE_FILLS.TOOL,
      TYPE_FILLS.LLM,
      ERROR_FILL
    ]);
    const other = bars(
      svgDocument(html([makeSpan({ id: 'x', endMs: 5, type: '__proto__' })]))
    );
    expect(other[0].fill).toBe(TYPE_FILLS.UNKNOWN);
  });

  it('a child running past its parent is underlined only within the parent', () => {
    const list = bars(
      svgDocument(
        html([
          makeSpan({ id: 'root', startMs: 0, endMs: 50 }),
          makeSpan({ id: 'late', parent: 'root', startMs: 25, endMs: 100 })
        ])
      )
    );
    // The scale runs to the latest end (100 ms); the path to the root's end
    expect(list[1]).toMatchObject({ x: 162, width: 474 });
    expect(list[1].line).toEqual({ x: 162, width: 158 });
  });

  it('marks a still running span in its title', () => {
    const list = bars(
      svgDocument(
        html([
          makeSpan({ id: 'root', startMs: 0, endMs: null }),
          makeSpan({ id: 'done', parent: 'root', startMs: 0, endMs: 40 })
        ])
      )
    );
    expect(list[0].title).toMatch(
      /^root \(UNKNOWN\) 40 ms, in progress, on the/
    );
  });

  it('draws at most 200 bars and counts the other spans', () => {
    const spans = [makeSpan({ id: 'root', startMs: 0, endMs: 1000 })];
    for (let i = 1; i < 250; i++) {
      const startMs = i * 3;
      spans.push(
        makeSpan({ id: `s${i}`, parent: 'root', startMs, endMs: startMs + 2 })
      );
    }
    const svg = svgDocument(html(spans, 10_000));
    expect(bars(svg)).toHaveLength(MAX_TIMELINE_BARS);
    const texts = Array.from(svg.getElementsByTagName('text'));
    expect(texts[texts.length - 1].textContent).toBe('+50 more spans');
    expect(svg.getAttribute('height')).toBe(String(16 + 200 * 7 + 14));
    // Fewer rows written: fewer bars, the rest counted
    const few = svgDocument(html(spans, 10));
    expect(bars(few)).toHaveLength(10);
    expect(few.textContent).toContain('+240 more spans');
  });

  it('is left out for a trace with no spans or spans not embedded', () => {
    expect(html([])).not.toContain('<svg');
    const fetched = renderTraceHtml([{ traceId: 'tr-1' }]);
    expect(fetched).not.toContain('<svg');
  });

  it('sits between the header and the span tree, in <code> so MathJax leaves a $ in names alone', () => {
    const page = html(parallel);
    expect(page).toContain('<div><code><svg ');
    expect(page).toContain('</svg></code></div>');
    expect(page.indexOf('<svg')).toBeGreaterThan(
      page.indexOf('jp-MlflowTraceFallback-header')
    );
    expect(page.indexOf('</svg>')).toBeLessThan(
      page.indexOf('class="jp-MlflowTraceFallback-tree"')
    );
  });
});

describe('timeline strip on the XSS corpus', () => {
  it('writes every payload span as a bar whose title holds the payload as text', () => {
    const entry = hostileTrace();
    const page = renderTraceHtml(
      { version: 1, traces: [entry] },
      { maxRowsPerTrace: 10_000 }
    );
    checkFallback(page);
    // Every tag of the strip is of its closed grammar: no payload reaches an attribute
    expect(withoutTimelineStrips(page)).not.toContain('<svg');
    const root = parse(page);
    const svg = root.querySelector('svg');
    expect(svg?.namespaceURI).toBe(SVG_NS);
    // Parsed as the page parses it: only the strip's own elements
    for (const el of Array.from(svg!.querySelectorAll('*'))) {
      expect(el.namespaceURI).toBe(SVG_NS);
      expect(FALLBACK_SVG_TAGS.has(el.tagName)).toBe(true);
    }
    const titles = Array.from(svg!.querySelectorAll('rect > title')).map(
      t => t.textContent ?? ''
    );
    expect(titles).toHaveLength(
      Math.min(entry.spans.length, MAX_TIMELINE_BARS)
    );
    const shown = (name: string) =>
      ellipsize(oneLine(name), 120) || '(unnamed)';
    const payloadNames = new Set(PAYLOADS.map(p => shown(p.payload)));
    const otherNames = new Set(entry.spans.map(s => shown(String(s.name))));
    let payloadBars = 0;
    for (const title of titles) {
      const name = [...payloadNames, ...otherNames].find(n =>
        title.startsWith(`${n} (`)
      );
      expect(name).toBeDefined();
      payloadBars += payloadNames.has(name!) ? 1 : 0;
    }
    const recorded = entry.spans.length - PAYLOADS.length;
    expect(payloadBars).toBeGreaterThanOrEqual(
      Math.min(PAYLOADS.length, MAX_TIMELINE_BARS - recorded)
    );
  });

  it('keeps payloads on the critical path as text in the caption and titles', () => {
    // Each payload a step of a sequential chain: all on the path
    const spans = [
      makeSpan({ id: 'root', startMs: 0, endMs: 10 * PAYLOADS.length + 10 })
    ];
    PAYLOADS.forEach((p, i) => {
      spans.push(
        makeSpan({
          id: `p${i}`,
          parent: 'root',
          name: p.payload,
          type: p.payload,
          startMs: 10 * i + 5,
          endMs: 10 * i + 5 + (i % 7) + 1
        })
      );
    });
    const page = html(spans, 10_000);
    checkFallback(page);
    // Also well-formed XML: an SVG viewer that reads it on its own sees the same
    expect(bars(svgDocument(page))).toHaveLength(PAYLOADS.length + 1);
    const svg = parse(page).querySelector('svg')!;
    for (const el of Array.from(svg.querySelectorAll('*'))) {
      expect(FALLBACK_SVG_TAGS.has(el.tagName)).toBe(true);
      for (const attr of Array.from(el.attributes)) {
        expect(FALLBACK_SVG_ATTRIBUTES.has(attr.name)).toBe(true);
      }
    }
    const list = Array.from(svg.querySelectorAll('rect > title'));
    expect(list.length).toBe(PAYLOADS.length + 1);
    PAYLOADS.forEach((p, i) => {
      const name = ellipsize(oneLine(p.payload), 120) || '(unnamed)';
      const type = ellipsize(oneLine(p.payload), 40);
      expect(list[i + 1].textContent).toMatch(/on the critical path/);
      expect(list[i + 1].textContent!.startsWith(`${name} (${type}) `)).toBe(
        true
      );
    });
    const caption = svg.querySelector('text')!.textContent!;
    expect(caption).toMatch(/^Timeline, .*; critical path \(underlined\): /);
  });
});

describe('the strip grammar of the other fallback specs', () => {
  it('rejects a tag of any other shape', () => {
    for (const strip of [
      '<svg onload="alert(1)"></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="9" viewBox="0 0 640 9" role="img" aria-label="Timeline of the spans, the critical path underlined"><rect x="1" y="1" width="1" height="1" fill="url(#x)"></rect></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="9" viewBox="0 0 640 9" role="img" aria-label="Timeline of the spans, the critical path underlined"><a href="http://x"></a></svg>'
    ]) {
      expect(() => withoutTimelineStrips(`<p>${strip}</p>`)).toThrow(
        /not a timeline strip tag/
      );
    }
  });
});
