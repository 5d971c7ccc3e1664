/**
 * The static fallbacks of a live trace (read only after its cell ran): a
 * running one says it is partial and when it stopped updating, an
 * interrupted one when and why it was cut off; open spans are marked
 * running or cut off and measured to that moment.
 */
import fs from 'fs';
import path from 'path';
import {
  IWireLive,
  renderTraceHtml,
  renderTraceText,
  LiveTraceInput
} from '../../../src/bundle';

const EXAMPLES = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'contract',
  'examples',
  'trace'
);

function example(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));
}

const MS = Date.UTC(2026, 11, 7, 12, 3, 4, 500);
const spans = [
  {
    span_id: 'AAAAAAAAAAE=',
    parent_span_id: null,
    name: 'agent',
    start_time_unix_nano: (MS - 2000) * 1e6,
    end_time_unix_nano: null,
    status: { code: 'STATUS_CODE_UNSET', message: '' }
  },
  {
    span_id: 'AAAAAAAAAAI=',
    parent_span_id: 'AAAAAAAAAAE=',
    name: 'step',
    start_time_unix_nano: (MS - 1500) * 1e6,
    end_time_unix_nano: (MS - 1000) * 1e6,
    status: { code: 'STATUS_CODE_OK', message: '' }
  }
];
const RUNNING: IWireLive = {
  status: 'running',
  updated_unix_ms: MS,
  update_every_ms: 2000,
  sequence: 5
};

function input(live?: IWireLive): LiveTraceInput[] {
  return [
    {
      traceId: 'tr-1',
      info: { trace_id: 'tr-1', state: 'IN_PROGRESS' },
      spans,
      live: live as IWireLive
    }
  ];
}

describe('the fallbacks of a live trace', () => {
  it('say a running trace is partial and when it stopped updating', () => {
    expect(renderTraceText(input(RUNNING))).toBe(
      'Trace tr-1 "agent" IN_PROGRESS 2 s, 2 spans, 0 errors — partial: stopped updating at 12:03:04 UTC, 1 span running'
    );
    const html = renderTraceHtml(input(RUNNING));
    expect(html).toContain(
      'Partial trace: stopped updating at 12:03:04 UTC, 1 span running.'
    );
    expect(html).toMatch(/agent<\/span> <[^>]+>2 s<\/span> <[^>]+>RUNNING</);
  });

  it('say when and why a trace was cut off, its open spans measured to the cut', () => {
    const cut: IWireLive = {
      ...RUNNING,
      status: 'interrupted',
      interrupted_at_unix_nano: (MS + 1000) * 1e6,
      reason: 'KeyboardInterrupt: <b>stop</b>\nnow',
      spans_omitted: 12
    };
    expect(renderTraceText(input(cut))).toBe(
      'Trace tr-1 "agent" IN_PROGRESS 3 s, 2 spans, 0 errors — partial: interrupted at 12:03:05 UTC (KeyboardInterrupt: <b>stop</b> now), 1 span cut off, 12 ended spans left out'
    );
    const html = renderTraceHtml(input(cut));
    expect(html).toContain('(KeyboardInterrupt: &lt;b&gt;stop&lt;/b&gt; now)');
    expect(html).not.toContain('<b>');
    expect(html).toMatch(/agent<\/span> <[^>]+>3 s<\/span> <[^>]+>CUT OFF</);
  });

  it('leave a trace that is not live as it was: open spans IN PROGRESS, no note', () => {
    expect(renderTraceText(input())).not.toContain('partial');
    expect(renderTraceHtml(input())).toContain('>IN PROGRESS<');
    expect(renderTraceHtml(input())).not.toContain('Partial trace');
  });

  it('read the live of a bundle as written, as the reference bundles show', () => {
    const running = example('live-running.json');
    expect(renderTraceText(running)).toMatch(
      / — partial: stopped updating at 20:24:56 UTC, 2 spans running, 2 ended spans left out$/
    );
    const cut = example('live-interrupted.json');
    expect(renderTraceText(cut)).toMatch(/, 2 spans cut off$/);
    expect(renderTraceHtml(cut).match(/>CUT OFF</g)).toHaveLength(2);
  });
});
