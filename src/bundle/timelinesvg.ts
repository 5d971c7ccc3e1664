/**
 * The trace fallback's timeline strip: one bar per span row, time on x,
 * the critical path underlined; a script-free inline SVG, byte for byte as
 * `_timeline_svg.py` draws it.
 *
 * #### Notes
 * Written with the escaping builder: span names and types are escaped text
 * (in `title` and `text` elements), every attribute a number or a constant
 * of closed sets (no class, no style, no link), so GitHub and nbviewer show
 * it as drawn and a hostile name stays text. Coordinates are integers
 * (Math.round of one float expression of the trace model's milliseconds),
 * so both languages write the same bytes.
 */
import {
  contributorsText,
  criticalPath,
  formatDurationMs,
  formatPercent,
  ICriticalPath,
  ISpanNode,
  ITrace,
  spanElapsedMs,
  spanTypeCategory,
  topContributors
} from '../trace';
import { MAX_NAME_CHARS, MAX_TYPE_CHARS, oneLine, plural } from './format';
import { SvgWriter } from './summarychart';
import { ellipsize } from './util';

/** Bars drawn at most per trace; the other spans are counted below them. */
export const MAX_TIMELINE_BARS = 200;

/** Fill of a bar by span type (presentation attributes: they hold without CSS). */
export const TYPE_FILLS: Record<string, string> = {
  LLM: '#1976d2',
  CHAT_MODEL: '#1976d2',
  AGENT: '#7b1fa2',
  CHAIN: '#0097a7',
  TOOL: '#f57c00',
  RETRIEVER: '#388e3c',
  RERANKER: '#388e3c',
  EMBEDDING: '#689f38',
  PARSER: '#689f38',
  MEMORY: '#5d4037',
  UNKNOWN: '#9e9e9e'
};
/** Fill of a failed span's bar. */
export const ERROR_FILL = '#d32f2f';
/** The critical path's underline: the text colour, so it shows on dark pages too. */
export const CRITICAL_FILL = 'currentColor';

const WIDTH = 640;
const LEFT = 4;
const PLOT_W = WIDTH - 2 * LEFT;
/** The caption line above the bars. */
const HEAD = 16;
const ROW_H = 7;
const BAR_H = 4;
/** The critical path's underline, below the bar. */
const LINE_Y = 5;
const LINE_H = 2;
/** The "+K more spans" line below the bars. */
const FOOT = 14;
/** Longest name in the caption's contributors, in characters. */
const MAX_CONTRIBUTOR_CHARS = 40;

/** How rows and bars show spans with no end: their status, and the time they are measured to. */
export interface IOpenSpans {
  status: string;
  /** Unix ns; null: to the trace's latest time, as the tree measures them. */
  endNs: number | null;
}

/** A span's duration as its row and its bar show it. */
export function rowDurationMs(node: ISpanNode, open: IOpenSpans): number {
  return node.span.inProgress && open.endNs !== null
    ? spanElapsedMs(node, open.endNs)
    : node.durationMs;
}

/** The x of `ms` on a scale from 0 to `extentMs`, within the plot. */
function xOf(ms: number, extentMs: number): number {
  if (!(extentMs > 0)) {
    return LEFT;
  }
  const clamped = Math.min(Math.max(ms, 0), extentMs);
  return LEFT + Math.round((clamped * PLOT_W) / extentMs);
}

/** The caption: the trace's extent, then the top contributors to the path. */
function caption(trace: ITrace, path: ICriticalPath, extentMs: number): string {
  const top = topContributors(path, trace).map(entry => ({
    ...entry,
    name: ellipsize(oneLine(entry.name), MAX_CONTRIBUTOR_CHARS)
  }));
  const text = `Timeline, ${formatDurationMs(extentMs)}`;
  return top.length > 0
    ? `${text}; critical path (underlined): ${contributorsText(top)}`
    : text;
}

/** A bar's title: name, type, duration, and its share of the path. */
function barTitle(
  node: ISpanNode,
  path: ICriticalPath,
  open: IOpenSpans
): string {
  const { span } = node;
  const name = ellipsize(oneLine(span.name), MAX_NAME_CHARS) || '(unnamed)';
  const type = ellipsize(oneLine(span.spanType), MAX_TYPE_CHARS);
  let title = `${name} (${type}) ${formatDurationMs(rowDurationMs(node, open))}`;
  if (span.inProgress) {
    title += `, ${open.status.toLowerCase()}`;
  }
  if (span.error) {
    title += ', error';
  }
  const shareMs = path.shareMsBySpan.get(span.spanId);
  if (shareMs !== undefined) {
    const share = path.totalMs > 0 ? shareMs / path.totalMs : 0;
    title += `, on the critical path (${formatPercent(share)} of it)`;
  }
  return title;
}

/**
 * The timeline strip of `rows` (the first MAX_TIMELINE_BARS are drawn):
 * a bar per span coloured by type (failed ones red), the critical path's
 * window of each span on it underlined, a title per bar; a span with no
 * end measured and named as its row (`open`); nothing for a trace with no
 * span.
 */
export function writeTimelineSvg(
  w: SvgWriter,
  trace: ITrace,
  rows: readonly ISpanNode[],
  open: IOpenSpans
): void {
  if (rows.length === 0) {
    return;
  }
  const path = criticalPath(trace);
  const endMsOf = (node: ISpanNode) =>
    node.startOffsetMs + rowDurationMs(node, open);
  let extentMs = path.endMs;
  for (const node of trace.nodesInOrder) {
    extentMs = Math.max(extentMs, endMsOf(node));
  }
  const bars = rows.slice(0, MAX_TIMELINE_BARS);
  const hidden = trace.nodesInOrder.length - bars.length;
  const height = HEAD + bars.length * ROW_H + (hidden > 0 ? FOOT : 2);
  // In <code>: JupyterLab typesets math in HTML outputs, and MathJax skips code
  w.open('div').open('code');
  w.svg('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width: WIDTH,
    height,
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'img',
    'aria-label': 'Timeline of the spans, the critical path underlined'
  });
  w.svg('text', { x: LEFT, y: 11, 'font-size': 10, fill: 'currentColor' });
  w.text(caption(trace, path, extentMs)).close();
  bars.forEach((node, i) => {
    const y = HEAD + i * ROW_H;
    const x = xOf(node.startOffsetMs, extentMs);
    const width = Math.max(xOf(endMsOf(node), extentMs) - x, 1);
    const fill = node.span.error
      ? ERROR_FILL
      : TYPE_FILLS[spanTypeCategory(node.span.spanType)];
    w.svg('rect', { x, y, width, height: BAR_H, fill });
    w.svg('title')
      .text(barTitle(node, path, open))
      .close();
    w.close();
    const onPath = path.windowBySpan.get(node.span.spanId);
    if (onPath !== undefined) {
      const lineX = xOf(onPath[0], extentMs);
      const lineWidth = Math.max(xOf(onPath[1], extentMs) - lineX, 1);
      w.svg('rect', {
        x: lineX,
        y: y + LINE_Y,
        width: lineWidth,
        height: LINE_H,
        fill: CRITICAL_FILL
      }).close();
    }
  });
  if (hidden > 0) {
    const y = HEAD + bars.length * ROW_H + 11;
    w.svg('text', { x: LEFT, y, 'font-size': 10, fill: 'currentColor' });
    w.text(`+${plural(hidden, 'more span')}`).close();
  }
  w.close().close().close();
}
