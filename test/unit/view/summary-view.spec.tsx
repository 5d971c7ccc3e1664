/**
 * @jest-environment jsdom
 */
/**
 * The trace-summary view on the reference bundle: the marks each chart
 * draws, the header, the readout of a pointed or focused bucket, and
 * hostile strings kept as text.
 */
import React, { useState } from 'react';
import fs from 'fs';
import path from 'path';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { decodeTraceSummaryBundle } from '../../../src/bundle';
import { IQuerySummary } from '../../../src/trace';
import { TraceSummaryOutput } from '../../../src/view';
import { fakeLayout } from './helpers';

beforeAll(fakeLayout);

const EXAMPLE = path.resolve(
  __dirname,
  '../../../contract/examples/trace-summary/three-hours.json'
);

function example(): any {
  return JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
}

function Harness({ data }: { data: unknown }): React.ReactElement {
  const decoded = decodeTraceSummaryBundle(data);
  const [active, setActive] = useState<number | null>(null);
  return (
    <TraceSummaryOutput
      summary={decoded.summary}
      errors={decoded.errors}
      warnings={decoded.warnings}
      active={active}
      onActive={setActive}
    />
  );
}

function readout(): string {
  return screen.getByRole('status').textContent ?? '';
}

function hit(container: HTMLElement, chart: number, bucket: number): Element {
  const charts = container.querySelectorAll('figure');
  return charts[chart].querySelector(`[data-bucket="${bucket}"]`)!;
}

describe('TraceSummaryOutput', () => {
  it('draws three charts with one mark per present value and gaps for absent ones', () => {
    const { container } = render(<Harness data={example()} />);
    const charts = container.querySelectorAll('figure');
    expect(charts).toHaveLength(3);
    const [counts, latency, tokens] = Array.from(charts);
    // A traces bar per bucket (the empty one at zero height), an error bar where errors > 0.
    expect(
      counts.querySelectorAll(
        '.jp-MlflowTraceSummary-series-traces.jp-MlflowTraceSummary-bar'
      )
    ).toHaveLength(3);
    expect(
      counts.querySelectorAll('.jp-MlflowTraceSummary-errorBar')
    ).toHaveLength(1);
    // The error rate is absent for the empty bucket: one unbroken run of two points.
    const rate = counts.querySelector('.jp-MlflowTraceSummary-rateLine')!;
    expect(rate.getAttribute('d')!.match(/M/g)).toHaveLength(1);
    expect(
      counts.querySelectorAll('circle.jp-MlflowTraceSummary-series-rate')
    ).toHaveLength(2);
    // Three latency lines, each stopping before the bucket without traces.
    const lines = latency.querySelectorAll('path.jp-MlflowTraceSummary-line');
    expect(lines).toHaveLength(3);
    for (const line of Array.from(lines)) {
      expect(line.getAttribute('d')!.match(/[ML]/g)).toEqual(['M', 'L']);
    }
    expect(latency.querySelectorAll('circle')).toHaveLength(6);
    // Tokens: three recorded counts in each of the first two buckets, none in the last.
    expect(
      tokens.querySelectorAll('rect.jp-MlflowTraceSummary-bar')
    ).toHaveLength(6);
    expect(
      tokens.querySelectorAll('.jp-MlflowTraceSummary-series-cacheWrite')
    ).toHaveLength(2); // the legend swatch and bucket 1's segment
    // Axes drawn by d3: hour labels in UTC.
    expect(
      counts.querySelector('.jp-MlflowTraceSummary-axis')!.textContent
    ).toContain('00:00');
  });

  it('says what was queried, the totals and which path computed them', () => {
    render(<Harness data={example()} />);
    const header = document.querySelector('.jp-MlflowTraceSummary-header')!;
    expect(header.textContent).toContain(
      "Experiment 1, matching tags.version = 'v2', 2026-12-01 00:00 UTC to 2026-12-01 02:59:59.999 UTC, every 1 h"
    );
    expect(header.textContent).toContain(
      'Over the range: 5 traces, 1 error (20%), p50 300 ms, p90 880 ms, p99 988 ms, tokens input 1,460, output 530, cache read 55, cache write 55'
    );
    expect(header.textContent).toContain(
      'Computed by the tracking server (QueryTraceMetrics).'
    );
  });

  it('reads out the bucket under the pointer, and follows the arrow keys', () => {
    const { container } = render(<Harness data={example()} />);
    fireEvent.mouseEnter(hit(container, 0, 0));
    expect(readout()).toBe(
      '2026-12-01 00:00 UTC + 1 h: 3 traces, 1 error (33.3%), p50 300 ms, p90 620 ms, p99 692 ms, tokens input 560, output 120, cache read 55, cache write –'
    );
    fireEvent.mouseLeave(container.querySelector('figure svg')!);
    expect(readout()).toMatch(/^Point at a bucket/);
    const first = hit(container, 1, 0) as SVGElement;
    expect(first.getAttribute('tabindex')).toBe('0');
    act(() => first.focus());
    expect(readout()).toContain('3 traces');
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(hit(container, 1, 1));
    expect(readout()).toContain('01:00 UTC + 1 h: 2 traces, 0 errors (0%)');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(readout()).toContain('02:00 UTC + 1 h: 0 traces, 0 errors, p50 –');
    expect(hit(container, 1, 2).getAttribute('aria-label')).toBe(readout());
  });

  it('keeps a hostile filter and ids as text', () => {
    const data = example();
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    data.query.filter = hostile;
    data.query.experiment_ids = ['"><svg onload=alert(3)>'];
    data.source = 'search';
    data.source_note = '<b>bold</b>';
    const { container } = render(<Harness data={data} />);
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(container.querySelectorAll('svg')).toHaveLength(3);
    expect(
      container.querySelector('.jp-MlflowTraceSummary-filter')!.textContent
    ).toBe(hostile);
    expect(container.textContent).toContain('"><svg onload=alert(3)>');
    expect(container.textContent).toContain(
      'Computed over search results: <b>bold</b>'
    );
  });

  it('names what is wrong with a bad bundle instead of drawing', () => {
    const data = example();
    delete data.buckets;
    data.source = 42;
    const { container } = render(<Harness data={data} />);
    const alerts = screen.getAllByRole('alert').map(a => a.textContent);
    expect(alerts).toEqual([
      "source is not 'server' or 'search' (got number)",
      'buckets is missing'
    ]);
    expect(container.querySelector('figure')).toBeNull();
  });

  it('shows the first 50 errors of a bundle full of them and says how many more there are', () => {
    const data = example();
    const intervalMs = data.query.interval_seconds * 1000;
    data.buckets = Array.from({ length: 1000 }, (_, i) => ({
      start_time_ms: data.query.start_time_ms + i * intervalMs,
      traces: -1,
      errors: 0,
      latency_ms: null,
      tokens: {}
    }));
    const { errors } = decodeTraceSummaryBundle(data);
    expect(errors).toHaveLength(5000);
    const { container } = render(<Harness data={data} />);
    const alerts = screen.getAllByRole('alert').map(a => a.textContent);
    expect(alerts).toHaveLength(51);
    expect(alerts.slice(0, 50)).toEqual(errors.slice(0, 50));
    expect(alerts[50]).toBe('… and 4950 more');
    expect(container.querySelectorAll('figure')).toHaveLength(3);
  });

  it('draws a summary whose buckets hold no trace', () => {
    const data = example();
    data.buckets = [data.buckets[2]];
    const { container } = render(<Harness data={data} />);
    expect(container.querySelectorAll('figure')).toHaveLength(3);
    expect(
      container.querySelectorAll('path.jp-MlflowTraceSummary-line')
    ).toHaveLength(3);
    const decoded: IQuerySummary = decodeTraceSummaryBundle(data).summary!;
    expect(decoded.buckets[0].latencyMs).toBeNull();
  });
});
