/**
 * Text formatting shared by the fallbacks. Locale-independent, so the
 * fallbacks are the same bytes on every machine.
 */
import {
  formatClockUtc,
  formatCount,
  formatDurationMs,
  formatUsd,
  ILiveWire,
  ITrace,
  ITraceSummary,
  liveStoppedAtMs,
  runningSpans
} from '../trace';
import { FALLBACK_CLASS as CLS, HtmlWriter } from './html';
import { ellipsize } from './util';

/** Longest trace or span name the fallbacks show, in characters. */
export const MAX_NAME_CHARS = 120;

/** Longest span type the fallbacks show, in characters. */
export const MAX_TYPE_CHARS = 40;

/** Control characters (newlines included) replaced, so text stays on one line. */
export function oneLine(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    const control = code < 0x20 || code === 0x7f;
    out += control || char === '\u2028' || char === '\u2029' ? ' ' : char;
  }
  return out;
}

/** `n word` or `n words`. */
export function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * One line about a trace: `Trace tr-… "rag_agent" OK 0.244 s, 10 spans,
 * 2 errors, 59 tokens, cost $0.0123`. Span and error counts only when spans
 * are known; the cost when the trace records one.
 */
export function traceLine(summary: ITraceSummary, spansKnown: boolean): string {
  const name = JSON.stringify(ellipsize(summary.name, MAX_NAME_CHARS));
  const head = [
    'Trace',
    oneLine(summary.traceId) || '(no id)',
    name,
    oneLine(summary.state),
    summary.durationMs === null ? '' : formatDurationMs(summary.durationMs)
  ].filter(part => part !== '');
  const figures: string[] = [];
  if (spansKnown) {
    figures.push(plural(summary.spanCount, 'span'));
    figures.push(plural(summary.errorCount, 'error'));
  }
  if (summary.tokenUsage !== null) {
    figures.push(plural(summary.tokenUsage.total, 'token'));
  }
  if (summary.cost !== null) {
    figures.push(`cost ${formatUsd(summary.cost.total)}`);
  }
  return [head.join(' '), ...figures].join(', ');
}

/** A span's type and name, as the tree's rows and the conversations head them. */
export function writeSpanLabel(
  w: HtmlWriter,
  span: { spanType: string; name: string }
): void {
  w.element(
    'span',
    { class: CLS.type },
    ellipsize(oneLine(span.spanType), MAX_TYPE_CHARS)
  );
  w.text(' ');
  w.element('span', { class: CLS.name }, ellipsize(span.name, MAX_NAME_CHARS));
}

/**
 * What a live trace's fallback says of it (read only after the cell ran):
 * `stopped updating at 12:03:04 UTC, 2 spans running` or `interrupted at
 * 12:03:04 UTC (KeyboardInterrupt), 2 spans cut off`, then how many ended
 * spans the update left out, if any.
 */
export function liveNote(trace: ITrace, live: ILiveWire): string {
  const at = `${formatClockUtc(liveStoppedAtMs(live))} UTC`;
  const open = runningSpans(trace).length;
  const parts =
    live.status === 'interrupted'
      ? [
          `interrupted at ${at}` +
            (live.reason
              ? ` (${oneLine(ellipsize(live.reason, MAX_NAME_CHARS))})`
              : ''),
          `${plural(open, 'span')} cut off`
        ]
      : [`stopped updating at ${at}`, `${plural(open, 'span')} running`];
  if (live.spans_omitted) {
    parts.push(`${plural(live.spans_omitted, 'ended span')} left out`);
  }
  return parts.join(', ');
}

/** The status a fallback row shows for a span with no end: by the trace's live status. */
export function openSpanStatus(live: ILiveWire | undefined): string {
  if (live === undefined) {
    return 'IN PROGRESS';
  }
  return live.status === 'interrupted' ? 'CUT OFF' : 'RUNNING';
}
