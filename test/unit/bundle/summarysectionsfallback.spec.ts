/**
 * @jest-environment jsdom
 *
 * The trace summary fallback's optional parts, read back as a browser parses
 * them (contract/examples/trace-summary/segments-budgets.json): the budgets
 * and their violations, the latency budget as a line at its y, a band under
 * each bucket that broke a budget, every segment drawn side by side, quality
 * per assessment name, span rows as ranked, and the text/plain table.
 */
import fs from 'fs';
import path from 'path';
import {
  renderTraceSummaryHtml,
  renderTraceSummaryText
} from '../../../src/bundle';

const EXAMPLE = path.resolve(
  __dirname,
  '../../../contract/examples/trace-summary/segments-budgets.json'
);
// The charts' geometry (summarychart.ts): plot from x 56 to 632, y 16 to 140.
const LEFT = 56;
const PLOT_W = 576;
const TOP = 16;
const PLOT_H = 124;

function example(): any {
  return JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
}

function parse(html: string): HTMLElement {
  const template = document.createElement('template');
  template.innerHTML = html;
  const div = document.createElement('div');
  div.appendChild(template.content.cloneNode(true));
  return div;
}

/** The chart whose aria-label is `label`. */
function chart(root: HTMLElement, label: string): Element {
  const found = Array.from(root.querySelectorAll('svg')).filter(
    svg => svg.getAttribute('aria-label') === label
  );
  expect(found).toHaveLength(1);
  return found[0];
}

/** The `g` elements of a chart by their title's text. */
function groups(svg: Element): Map<string, Element> {
  const out = new Map<string, Element>();
  for (const g of Array.from(svg.children).filter(e => e.tagName === 'g')) {
    const title = g.querySelector('title')?.textContent ?? '';
    out.set(title, g);
  }
  return out;
}

/** The x of bucket i's left edge of n. */
function slot(i: number, n: number): number {
  return LEFT + Math.floor((i * PLOT_W) / n);
}

/** The rows of the `nth` table after the paragraph `heading`. */
function tableAfter(root: HTMLElement, heading: string, nth = 0): string[][] {
  const p = Array.from(root.querySelectorAll('p')).find(
    e => e.textContent === heading
  );
  expect(p).toBeDefined();
  let el = p!.nextElementSibling;
  for (let seen = -1; el !== null; el = el.nextElementSibling) {
    if (el.tagName === 'TABLE' && ++seen === nth) {
      break;
    }
  }
  expect(el).not.toBeNull();
  return Array.from(el!.querySelectorAll('tbody tr')).map(tr =>
    Array.from(tr.querySelectorAll('td')).map(td => td.textContent ?? '')
  );
}

describe('the summary fallback of budgets, segments, quality and spans', () => {
  const data = example();
  const root = parse(renderTraceSummaryHtml(data));

  it('lists the budgets, then each violation in the payload order, marked as an error', () => {
    const budgets = Array.from(root.querySelectorAll('p')).find(p =>
      p.textContent!.startsWith('Budgets: ')
    )!;
    expect(budgets.className).toBe('jp-mod-error');
    expect(budgets.textContent).toBe(
      'Budgets: error rate ≤ 25%, latency p90 ≤ 800 ms, cost per trace ≤ $0.002, ' +
        'span name "retrieve" p90 ≤ 150 ms, span type "LLM" p90 ≤ 700 ms: 6 violations'
    );
    const rows = Array.from(
      budgets.nextElementSibling!.querySelectorAll('tbody tr')
    ).map(tr => Array.from(tr.children).map(td => td.textContent));
    expect(rows).toEqual([
      ['latency p90', 'traces', '880 ms', '800 ms', 'whole range'],
      ['p90', 'span name "retrieve"', '180 ms', '150 ms', 'whole range'],
      ['error rate', 'traces', '33.3%', '25%', '2026-12-01 00:00'],
      ['latency p90', 'traces', '925 ms', '800 ms', '2026-12-01 01:00'],
      ['error rate', 'traces', '33.3%', '25%', 'whole range, segment "v2"'],
      ['latency p90', 'traces', '925 ms', '800 ms', 'whole range, segment "v1"']
    ]);
  });

  it('says no budget broke when the violations are empty', () => {
    const html = renderTraceSummaryHtml({ ...example(), violations: [] });
    const p = Array.from(parse(html).querySelectorAll('p')).find(e =>
      e.textContent!.startsWith('Budgets: ')
    )!;
    expect(p.textContent).toMatch(/: no budget broken$/);
    expect(p.className).toBe('jp-MlflowTraceFallback-note');
    expect(p.nextElementSibling!.tagName).not.toBe('TABLE');
  });

  it('lists at most 50 violations in the table and 10 in text/plain, and counts the rest', () => {
    const many = example();
    many.violations = Array.from({ length: 61 }, (_, i) => ({
      budget: 'latency_p90_ms',
      subject: 'traces',
      limit: 800,
      value: 801 + i
    }));
    const html = parse(renderTraceSummaryHtml(many));
    const budgets = Array.from(html.querySelectorAll('p')).find(p =>
      p.textContent!.startsWith('Budgets: ')
    )!;
    expect(budgets.textContent).toMatch(/: 61 violations$/);
    const table = budgets.nextElementSibling!;
    const rows = Array.from(table.querySelectorAll('tbody tr'));
    expect(rows).toHaveLength(50);
    expect(rows[49].children[2].textContent).toBe('850 ms');
    expect(table.nextElementSibling!.textContent).toBe(
      '… and 11 more violations'
    );
    const lines = renderTraceSummaryText(many).split('\n');
    const at = lines.findIndex(l => l.startsWith('Budgets: '));
    expect(lines[at + 10]).toBe(
      '  latency p90 of traces 810 ms > 800 ms (whole range)'
    );
    expect(lines[at + 11]).toBe('  … and 51 more violations');
    expect(lines[at + 12]).toBe(
      "computed by the tracking server's QueryTraceMetrics"
    );
  });

  it('draws the latency budget as a line at its y, inside the plot', () => {
    const svg = chart(root, 'Latency p50, p90 and p99 per time bucket');
    const line = groups(svg).get('budget: latency p90 ≤ 800 ms');
    expect(line).toBeDefined();
    // the scale's top is the largest p99 (992.5 ms): 800 ms sits at y 40
    const top = 992.5;
    const y = TOP + PLOT_H - Math.round((800 * PLOT_H) / top);
    expect(y).toBe(40);
    expect(line!.querySelector('polyline')!.getAttribute('points')).toBe(
      `56,${y} 632,${y}`
    );
    // a budget above every latency raises the scale to it: the line is the top
    const high = { ...example() };
    high.query = { ...high.query, budgets: { latency_p90_ms: 5000 } };
    const highSvg = chart(
      parse(renderTraceSummaryHtml(high)),
      'Latency p50, p90 and p99 per time bucket'
    );
    const highLine = groups(highSvg).get('budget: latency p90 ≤ 5 s');
    expect(highLine!.querySelector('polyline')!.getAttribute('points')).toBe(
      `56,${TOP} 632,${TOP}`
    );
  });

  it("draws the error-rate and cost-per-trace budgets as steps: the limit times each bucket's traces", () => {
    const n = data.buckets.length;
    const xs = [0, 1, 2, 3].map(i => slot(i, n));
    const step = (values: number[], top: number) =>
      values
        .map(v => TOP + PLOT_H - Math.round((v * PLOT_H) / top))
        .flatMap((y, i) => [`${xs[i]},${y}`, `${xs[i + 1]},${y}`])
        .join(' ');
    const counts = groups(chart(root, 'Traces and errors per time bucket'));
    const errors = counts.get(
      "budget: error rate ≤ 25% of each bucket's traces"
    );
    // 25% of 3, 2 and 0 traces on the count scale (3 at the top)
    expect(errors!.querySelector('polyline')!.getAttribute('points')).toBe(
      step([0.75, 0.5, 0], 3)
    );
    expect(step([0.75, 0.5, 0], 3)).toBe(
      '56,109 248,109 248,119 440,119 440,140 632,140'
    );
    const cost = groups(chart(root, 'Cost per time bucket'));
    const limit = cost.get(
      "budget: cost per trace ≤ $0.002 times each bucket's traces"
    );
    // $0.002 of 3 traces ($0.006) tops the $0.0048 bar
    expect(limit!.querySelector('polyline')!.getAttribute('points')).toBe(
      step([0.002 * 3, 0.002 * 2, 0], 0.002 * 3)
    );
  });

  it('marks each bucket that broke a budget under its chart, the violation as the title', () => {
    const n = data.buckets.length;
    const band = (g: Element | undefined) => {
      const rect = g!.querySelector('rect')!;
      return ['x', 'y', 'height', 'fill'].map(a => rect.getAttribute(a));
    };
    const counts = groups(chart(root, 'Traces and errors per time bucket'));
    const errorMark = counts.get(
      'error rate of traces 33.3% > 25% (2026-12-01 00:00)'
    );
    expect(band(errorMark)).toEqual([
      String(slot(0, n)),
      String(TOP + PLOT_H + 1),
      '3',
      '#d32f2f'
    ]);
    const latency = groups(
      chart(root, 'Latency p50, p90 and p99 per time bucket')
    );
    const lateMark = latency.get(
      'latency p90 of traces 925 ms > 800 ms (2026-12-01 01:00)'
    );
    expect(band(lateMark)[0]).toBe(String(slot(1, n)));
    // segment and whole-range violations mark no bucket
    const marked = [...counts.keys(), ...latency.keys()].filter(t =>
      t.includes(' > ')
    );
    expect(marked).toHaveLength(2);
    // no band without a violation
    const clean = parse(renderTraceSummaryHtml({ ...data, violations: [] }));
    for (const svg of Array.from(clean.querySelectorAll('svg'))) {
      expect(svg.querySelector(`rect[y="${TOP + PLOT_H + 1}"]`)).toBeNull();
    }
  });

  it('draws the cost per bucket as bars and marks a bucket over the cost budget', () => {
    const svg = chart(root, 'Cost per time bucket');
    const titles = [...groups(svg).keys()];
    expect(titles.slice(0, 3)).toEqual([
      '2026-12-01 00:00: $0.0048',
      '2026-12-01 01:00: $0.003',
      '2026-12-01 02:00: –'
    ]);
    const bars = Array.from(svg.querySelectorAll('rect'));
    // the scale's top is the budget's step over the first bucket ($0.006)
    expect(bars.map(r => r.getAttribute('height'))).toEqual([
      String(Math.round((0.0048 * PLOT_H) / 0.006)),
      String(Math.round((0.003 * PLOT_H) / 0.006))
    ]);
    const over = example();
    over.violations = [
      {
        budget: 'cost_per_trace',
        subject: 'traces',
        start_time_ms: over.buckets[1].start_time_ms,
        limit: 0.001,
        value: 0.0015
      }
    ];
    const marks = [
      ...groups(
        chart(parse(renderTraceSummaryHtml(over)), 'Cost per time bucket')
      ).keys()
    ].filter(t => t.includes(' > '));
    expect(marks).toEqual([
      'cost per trace of traces $0.0015 > $0.001 (2026-12-01 01:00)'
    ]);
  });

  it('draws every segment side by side, in the colour of its row', () => {
    const rows = tableAfter(root, 'Segments by tag version');
    expect(rows.map(r => r[0])).toEqual([' "v2"', ' "v1"']);
    const swatches = Array.from(root.querySelectorAll('tbody td svg rect')).map(
      r => r.getAttribute('fill')
    );
    for (const label of [
      'Traces per time bucket, by segment',
      'Latency p90 per time bucket, by segment'
    ]) {
      const g = groups(chart(root, label));
      expect([...g.keys()].slice(0, 2)).toEqual(['"v2"', '"v1"']);
      const colours = ['"v2"', '"v1"'].map(name => {
        const mark = g.get(name)!.querySelector('polyline, circle')!;
        return mark.getAttribute('stroke') ?? mark.getAttribute('fill');
      });
      expect(colours).toEqual(swatches.slice(0, 2));
      expect(colours[0]).not.toBe(colours[1]);
    }
    // v2's traces: 3 in the first bucket (the top), then 0
    const traces = groups(chart(root, 'Traces per time bucket, by segment'));
    const n = data.buckets.length;
    const mid = (i: number) => Math.floor((slot(i, n) + slot(i + 1, n)) / 2);
    expect(
      traces.get('"v2"')!.querySelector('polyline')!.getAttribute('points')
    ).toBe(
      `${mid(0)},${TOP} ${mid(1)},${TOP + PLOT_H} ${mid(2)},${TOP + PLOT_H}`
    );
    // the p90 budget crosses the segments' latency chart too
    const late = groups(chart(root, 'Latency p90 per time bucket, by segment'));
    expect(late.has('budget: latency p90 ≤ 800 ms')).toBe(true);
  });

  it('shows quality per assessment name: a row each and a chart of each mean', () => {
    expect(tableAfter(root, 'Quality (assessments)')).toEqual([
      ['correctness', '4', '0.75', 'false 1, true 3'],
      ['relevance', '5', '4', '3 2, 4 1, 5 2']
    ]);
    // the label is a constant; the name is in the heading, as text
    const means = Array.from(root.querySelectorAll('svg')).filter(
      svg =>
        svg.getAttribute('aria-label') ===
        'Mean of an assessment per time bucket'
    );
    expect(means.map(svg => svg.lastElementChild!.textContent)).toEqual([
      'Mean of correctness per time bucket',
      'Mean of relevance per time bucket'
    ]);
    const svg = means[1];
    const points = groups(svg)
      .get('relevance')!
      .querySelector('polyline')!
      .getAttribute('points');
    // 3.666667 and 4.5 on a scale from 0 to 4.5; the empty bucket leaves a gap
    const y = (v: number) => TOP + PLOT_H - Math.round((v * PLOT_H) / 4.5);
    expect(points).toBe(
      `${Math.floor((56 + 248) / 2)},${y(3.666667)} ${Math.floor((248 + 440) / 2)},${TOP}`
    );
  });

  it('ranks span rows as the payload does, a broken span budget marked on its p90', () => {
    const byName = tableAfter(root, 'Where time and cost go');
    expect(byName.map(r => [r[0], r[1]])).toEqual([
      ['1', 'agent'],
      ['2', 'llm_call'],
      ['3', 'retrieve']
    ]);
    expect(byName[1]).toEqual([
      '2',
      'llm_call',
      '6',
      '1',
      '400 ms',
      '610 ms',
      '2.4 s',
      '67.8%',
      '$0.0078',
      '100%'
    ]);
    const byType = tableAfter(root, 'Where time and cost go', 1);
    expect(byType.map(r => r[1])).toEqual(['AGENT', 'LLM', 'RETRIEVER']);
    const late = Array.from(root.querySelectorAll('td.jp-mod-error')).map(
      td => td.parentElement!.children[1].textContent
    );
    expect(late).toEqual(['retrieve']);
  });

  it("draws each span row's share of the time and of the cost as bars, in rank order", () => {
    const svg = chart(root, 'Share of time and cost by span name');
    const rows = [...groups(svg).entries()];
    expect(rows.map(([title]) => title)).toEqual([
      'agent: 100% of the time, – of the cost',
      'llm_call: 67.8% of the time, 100% of the cost',
      'retrieve: 17.2% of the time, 0% of the cost, p90 over its budget'
    ]);
    const bars = rows.map(([, g]) =>
      Array.from(g.querySelectorAll('rect')).map(r => [
        r.getAttribute('y'),
        r.getAttribute('width'),
        r.getAttribute('fill')
      ])
    );
    // 424 px is a share of 1; a row is 18 px below the one before
    expect(bars).toEqual([
      [['17', '424', '#1976d2']],
      [
        ['35', String(Math.round(0.678107 * 424)), '#1976d2'],
        ['45', '424', '#388e3c']
      ],
      [['53', String(Math.round(0.172387 * 424)), '#1976d2']]
    ]);
    // the row over its p90 budget: its label in the error colour
    const labels = rows.map(([, g]) =>
      g.querySelector('text')!.getAttribute('fill')
    );
    expect(labels).toEqual(['currentColor', 'currentColor', '#d32f2f']);
    expect(chart(root, 'Share of time and cost by span type')).toBeDefined();
  });

  it('writes the table, the segments and the violations as text/plain', () => {
    const lines = renderTraceSummaryText(data).split('\n');
    expect(lines[0]).toMatch(/; segments by tag version$/);
    expect(lines[1]).toMatch(/Cache write\s+Cost$/);
    expect(lines[2]).toMatch(/^Total\s+5\s+1 \(20%\).*\$0\.0078$/);
    expect(lines[6]).toMatch(/^Segment \(tag version\)\s+Traces/);
    expect(lines[7]).toMatch(
      /^"v2"\s+3\s+1 \(33\.3%\)\s+300 ms\s+620 ms\s+692 ms\s+\$0\.0048$/
    );
    expect(lines[9]).toMatch(/^Budgets: .*: 6 violations$/);
    expect(lines.slice(10, 16)).toEqual([
      '  latency p90 of traces 880 ms > 800 ms (whole range)',
      '  p90 of span name "retrieve" 180 ms > 150 ms (whole range)',
      '  error rate of traces 33.3% > 25% (2026-12-01 00:00)',
      '  latency p90 of traces 925 ms > 800 ms (2026-12-01 01:00)',
      '  error rate of traces 33.3% > 25% (whole range, segment "v2")',
      '  latency p90 of traces 925 ms > 800 ms (whole range, segment "v1")'
    ]);
    expect(lines.slice(16)).toEqual([
      "computed by the tracking server's QueryTraceMetrics",
      'values of tag version from the 5 traces in range'
    ]);
  });
});
