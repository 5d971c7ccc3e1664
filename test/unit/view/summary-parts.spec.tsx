/**
 * @jest-environment jsdom
 */
/**
 * The summary's further parts on contract/examples/trace-summary/full.json:
 * the cost chart, budget lines and broken buckets, segments side by side,
 * quality per assessment name, where time and cost go, the broken budgets;
 * the readout of every part; picking buckets and span rows; hostile strings
 * kept as text; a broken part named while the rest still draws.
 */
import React, { useState } from 'react';
import fs from 'fs';
import path from 'path';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { decodeTraceSummaryBundle } from '../../../src/bundle';
import { SummaryPick, TraceSummaryOutput } from '../../../src/view';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

const DIR = path.resolve(__dirname, '../../../contract/examples/trace-summary');

function example(name = 'full.json'): any {
  return JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8'));
}

function Harness({
  data,
  onPick
}: {
  data: unknown;
  onPick?: (pick: SummaryPick) => void;
}): React.ReactElement {
  const decoded = decodeTraceSummaryBundle(data);
  const [active, setActive] = useState<number | null>(null);
  return (
    <TraceSummaryOutput
      summary={decoded.summary}
      errors={decoded.errors}
      warnings={decoded.warnings}
      active={active}
      onActive={setActive}
      onPick={onPick}
    />
  );
}

function figure(container: HTMLElement, title: string): HTMLElement {
  const found = Array.from(container.querySelectorAll('figure')).find(f =>
    f.querySelector('figcaption')!.textContent!.startsWith(title)
  );
  if (!found) {
    throw new Error(`no chart titled ${title}`);
  }
  return found as HTMLElement;
}

function broken(chart: HTMLElement): string[] {
  return Array.from(chart.querySelectorAll('[data-broken]')).map(g =>
    g.getAttribute('data-broken')!
  );
}

describe('TraceSummaryOutput: the further parts', () => {
  it('draws the whole query, cost, segment and quality charts', () => {
    const { container } = render(<Harness data={example()} />);
    const titles = Array.from(container.querySelectorAll('figcaption')).map(
      c => c.firstChild!.textContent
    );
    expect(titles).toEqual([
      'Traces and errors',
      'Latency',
      'Tokens',
      'Cost',
      'Traces by segment',
      'Error rate by segment',
      'Latency p90 by segment',
      'Cost per trace by segment',
      'correctness: 73.7% positive of 19',
      'relevance: mean 3.75 of 12'
    ]);
  });

  it('stacks input and output cost per bucket and draws the cost per trace', () => {
    const { container } = render(<Harness data={example()} />);
    const cost = figure(container, 'Cost');
    expect(
      cost.querySelectorAll('rect.jp-MlflowTraceSummary-series-costInput')
    ).toHaveLength(4);
    expect(
      cost.querySelectorAll('rect.jp-MlflowTraceSummary-series-costOutput')
    ).toHaveLength(4);
    expect(
      cost.querySelectorAll('circle.jp-MlflowTraceSummary-series-perTrace')
    ).toHaveLength(4);
    // Input sits under output: the output bar ends where the input bar starts.
    const input = cost.querySelector(
      'rect.jp-MlflowTraceSummary-series-costInput'
    )!;
    const output = cost.querySelector(
      'rect.jp-MlflowTraceSummary-series-costOutput'
    )!;
    expect(
      Number(output.getAttribute('y')) + Number(output.getAttribute('height'))
    ).toBeCloseTo(Number(input.getAttribute('y')), 6);
  });

  it('draws each budget as a dashed line and marks the buckets that broke it', () => {
    const { container } = render(<Harness data={example()} />);
    const rate = figure(container, 'Traces and errors');
    const latency = figure(container, 'Latency');
    const cost = figure(container, 'Cost');
    for (const chart of [rate, latency, cost]) {
      expect(
        chart.querySelectorAll('line.jp-MlflowTraceSummary-budgetLine')
      ).toHaveLength(1);
    }
    expect(
      figure(container, 'Tokens').querySelector(
        '.jp-MlflowTraceSummary-budgetLine'
      )
    ).toBeNull();
    expect(broken(rate)).toEqual(['1', '2']);
    expect(broken(latency)).toEqual(['1']);
    expect(broken(cost)).toEqual(['1']);
    expect(latency.querySelector('figcaption')!.textContent).toContain(
      'the range as a whole is over the budget 1.5 s'
    );
    expect(rate.querySelector('figcaption')!.textContent).not.toContain(
      'the range as a whole'
    );
    expect(
      rate.querySelector('.jp-MlflowTraceSummary-budgetLabel')!.textContent
    ).toBe('budget 25%');
    // The hit area says so too.
    expect(
      rate.querySelector('[data-bucket="2"]')!.getAttribute('aria-label')
    ).toContain('over the budget 25%');
    expect(
      rate.querySelector('[data-bucket="0"]')!.getAttribute('aria-label')
    ).not.toContain('over the budget');
  });

  it('shows the segments side by side: a colour per segment, its value in the legend and a row of figures', () => {
    const { container } = render(<Harness data={example()} />);
    const section = screen.getByRole('region', { name: 'Segments' });
    expect(section.textContent).toContain('Segments by tag version');
    expect(section.textContent).toContain(
      'values of tag version from the newest 23 traces of 23; 1 trace is in no segment'
    );
    const p90 = figure(container, 'Latency p90 by segment');
    expect(p90.querySelector('figcaption')!.textContent).toContain('v1');
    expect(
      p90.querySelectorAll('path.jp-MlflowTraceSummary-series-segment0')
    ).toHaveLength(1);
    expect(
      p90.querySelectorAll('path.jp-MlflowTraceSummary-series-segment1')
    ).toHaveLength(1);
    // The budgets of the whole query are drawn on the segments' charts too.
    for (const title of [
      'Error rate by segment',
      'Latency p90 by segment',
      'Cost per trace by segment'
    ]) {
      expect(
        figure(container, title).querySelectorAll(
          '.jp-MlflowTraceSummary-budgetLine'
        )
      ).toHaveLength(1);
    }
    expect(
      figure(container, 'Traces by segment').querySelector(
        '.jp-MlflowTraceSummary-budgetLine'
      )
    ).toBeNull();
    expect(
      p90.querySelector('.jp-MlflowTraceSummary-budgetLabel')!.textContent
    ).toBe('budget 1.5 s');
    // v1 has no trace in bucket 2: its line breaks there.
    const v1 = p90.querySelector('path.jp-MlflowTraceSummary-series-segment0')!;
    expect(v1.getAttribute('d')!.match(/M/g)).toHaveLength(2);
    const rows = Array.from(section.querySelectorAll('tbody tr')).map(r =>
      Array.from(r.children).map(c => c.textContent)
    );
    // v2 broke budgets over the range; v1 none.
    expect(
      Array.from(section.querySelectorAll('tbody tr')).map(r => r.className)
    ).toEqual(['', 'jp-mod-broken']);
    expect(rows).toEqual([
      [
        'v1',
        '12',
        '1',
        '8.33%',
        '330 ms',
        '700 ms',
        '900 ms',
        '$0.0248',
        '$0.00206'
      ],
      ['v2', '10', '3', '30%', '800 ms', '1.9 s', '2.3 s', '$0.119', '$0.0119']
    ]);
  });

  it('draws quality per name: the share positive for a yes/no name, the mean for a rating', () => {
    const { container } = render(<Harness data={example()} />);
    const share = figure(container, 'correctness');
    const mean = figure(container, 'relevance');
    // Share: a 0 to 100 % axis.
    const ticks = Array.from(share.querySelectorAll('.tick text')).map(
      t => t.textContent
    );
    expect(ticks).toContain('100%');
    expect(share.querySelectorAll('circle')).toHaveLength(4);
    // The rating has no value in bucket 2: a gap, not a zero.
    expect(mean.querySelectorAll('circle')).toHaveLength(3);
    expect(
      mean
        .querySelector('path.jp-MlflowTraceSummary-line')!
        .getAttribute('d')!
        .match(/M/g)
    ).toHaveLength(2);
  });

  it('ranks where time and cost go by span name and type, marking the rows over their budget', () => {
    render(<Harness data={example()} />);
    const byName = screen.getByRole('table', {
      name: 'Time and cost by span name'
    });
    const byType = screen.getByRole('table', {
      name: 'Time and cost by span type'
    });
    const names = Array.from(byName.querySelectorAll('tbody tr'));
    expect(names.map(r => r.children[0].textContent)).toEqual([
      'agent',
      'ChatOpenAI',
      'retrieve',
      'rerank'
    ]);
    expect(Array.from(names[2].children).map(c => c.textContent)).toEqual([
      'retrieve',
      '19.7%',
      '0%',
      '23',
      '1',
      '130 ms',
      '240 ms',
      '3.45 s',
      '–',
      '200 ms (over)'
    ]);
    expect(names[2].className).toBe('jp-mod-broken');
    expect(names[0].className).toBe('');
    const fill = names[2].querySelector<HTMLElement>(
      '.jp-MlflowTraceSummary-shareFill'
    )!;
    expect(fill.style.width).toBe('19.7368%');
    const types = Array.from(byType.querySelectorAll('tbody tr'));
    expect(types[1].children[0].textContent).toBe('LLM');
    expect(types[1].className).toBe('jp-mod-broken');
  });

  it('lists every broken budget in the payload order', () => {
    render(<Harness data={example()} />);
    const table = screen.getByRole('table', { name: 'Broken budgets' });
    const rows = Array.from(table.querySelectorAll('tbody tr')).map(r =>
      Array.from(r.children).map(c => c.textContent)
    );
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual([
      'latency p90',
      'traces',
      'the range',
      '1.5 s',
      '1.6 s'
    ]);
    expect(rows[5]).toEqual([
      'span p90',
      'span name retrieve',
      'the range',
      '200 ms',
      '240 ms'
    ]);
    expect(rows[1]).toEqual([
      'error rate',
      'traces',
      '2026-12-01 01:00 UTC + 1 h',
      '25%',
      '42.9%'
    ]);
    expect(rows[9]).toEqual([
      'cost per trace',
      'traces of segment v2',
      'the range',
      '$0.00700',
      '$0.0119'
    ]);
  });

  it('says no budget was broken when the list is empty', () => {
    const data = example();
    data.violations = [];
    render(<Harness data={data} />);
    expect(
      screen.getByRole('region', { name: 'Budgets' }).textContent
    ).toContain('No budget broken.');
  });

  it('reads out a bucket with each segment and each assessment name', () => {
    const { container } = render(<Harness data={example()} />);
    act(() => {
      fireEvent.mouseEnter(
        figure(container, 'Cost').querySelector('[data-bucket="1"]')!
      );
    });
    const lines = Array.from(screen.getByRole('status').children).map(
      l => l.textContent
    );
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('01:00 UTC + 1 h: 7 traces, 3 errors');
    expect(lines[0]).toContain('cost $0.0542');
    expect(lines.slice(1)).toEqual([
      'v1: 3 traces, error rate 33.3%, p90 880 ms, cost per trace $0.00215',
      'v2: 4 traces, error rate 50%, p90 2.1 s, cost per trace $0.0120',
      'correctness: 50% positive of 6',
      'relevance: mean 3 of 3'
    ]);
  });

  it('picks a bucket by click or Enter, and a span row by its button', () => {
    const picks: SummaryPick[] = [];
    const { container } = render(
      <Harness data={example()} onPick={pick => picks.push(pick)} />
    );
    const hit = figure(container, 'Latency').querySelector(
      '[data-bucket="3"]'
    )!;
    expect(hit.getAttribute('role')).toBe('button');
    fireEvent.click(hit);
    fireEvent.keyDown(
      figure(container, 'relevance').querySelector('[data-bucket="0"]')!,
      { key: 'Enter' }
    );
    fireEvent.click(screen.getByRole('button', { name: 'retrieve' }));
    fireEvent.click(screen.getByRole('button', { name: 'LLM' }));
    expect(picks).toEqual([
      { kind: 'bucket', index: 3 },
      { kind: 'bucket', index: 0 },
      { kind: 'span', field: 'span_name', key: 'retrieve' },
      { kind: 'span', field: 'span_type', key: 'LLM' }
    ]);
  });

  it('offers no pick without a host that lists traces', () => {
    const { container } = render(<Harness data={example()} />);
    expect(container.querySelector('[role="button"], button')).toBeNull();
  });

  it('keeps hostile span names, segment values and assessment names as text', () => {
    const data = example('hostile-parts.json');
    const { container } = render(<Harness data={data} onPick={() => {}} />);
    expect(
      container.querySelector('img, script, a, b, style, math')
    ).toBeNull();
    // Every svg is one of ours: the charts.
    expect(container.querySelectorAll('svg').length).toBe(
      container.querySelectorAll('figure').length
    );
    const text = container.textContent!;
    for (const key of data.spans.by_name.map((r: any) => r.key)) {
      expect(text).toContain(key);
    }
    for (const segment of data.segments) {
      if (segment.value !== null) {
        expect(text).toContain(segment.value);
      }
    }
    for (const q of data.quality) {
      expect(text).toContain(q.name);
    }
    // No class, id or attribute carries the payload's text.
    const hostile = /script|onerror|javascript/i;
    for (const el of Array.from(container.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (attr.name !== 'aria-label' && attr.name !== 'title') {
          expect(attr.value).not.toMatch(hostile);
        }
      }
    }
  });

  it('names a broken part and still draws the rest', () => {
    const data = example();
    data.spans.by_name = 'everything';
    data.quality[0].buckets = null;
    data.segments[1].totals.cost.total = 'lots';
    render(<Harness data={data} />);
    const alerts = screen.getAllByRole('alert').map(a => a.textContent);
    expect(alerts).toEqual([
      'quality[0].buckets is not a list (got null)',
      'segments[1].totals.cost.total is not a non-negative number or null (got string)',
      'spans.by_name is not a list (got string)'
    ]);
    // The rest: every chart but the broken quality name, and the type table.
    expect(screen.getAllByRole('figure')).toHaveLength(9);
    expect(
      screen.getByRole('table', { name: 'Time and cost by span type' })
    ).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Broken budgets' })).toBeTruthy();
  });
});
