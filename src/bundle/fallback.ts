/**
 * The text/html and text/plain fallbacks of a trace bundle, for viewers
 * without the renderer (GitHub, nbviewer, VS Code, HTML exports).
 */
import {
  buildTrace,
  formatCount,
  formatDurationMs,
  formatUsd,
  ISpanNode,
  ITrace,
  ITraceSummary,
  liveElapsedMs,
  liveEndNs,
  mlflowTraceUiUrl,
  modelsText,
  spanLlmText,
  summarizeTrace,
  withoutCredentials
} from '../trace';
import { assessmentCountText, writeAssessments } from './assessmentfallback';
import { writeConversations } from './chatfallback';
import { decodeTraceBundle } from './decode';
import {
  liveNote,
  MAX_NAME_CHARS,
  oneLine,
  openSpanStatus,
  plural,
  traceLine,
  writeSpanLabel
} from './format';
import { FALLBACK_CLASS as CLS, HtmlWriter } from './html';
import { SvgWriter } from './summarychart';
import { IOpenSpans, rowDurationMs, writeTimelineSvg } from './timelinesvg';
import { IBundleTrace, IBundleTraceInput, ITraceBundle } from './types';
import { ellipsize } from './util';

/** Span rows shown per trace before a "… N more spans" line. */
export const DEFAULT_MAX_ROWS_PER_TRACE = 500;

/** Longest status message shown for a failed span, in characters. */
const MAX_MESSAGE_CHARS = 200;

/** Problems listed at most, per bundle and per trace. */
const MAX_PROBLEMS = 20;

/** Options of the trace fallbacks. */
export interface IFallbackOptions {
  /** Used when the input is a list of traces (a bundle carries its own). */
  trackingUri?: string;
  maxRowsPerTrace?: number;
}

/** A bundle as written, or the traces the kernel is about to encode. */
export type FallbackInput = ITraceBundle | readonly IBundleTraceInput[];

interface IResolved {
  traces: IBundleTrace[];
  trackingUri?: string;
  errors: string[];
}

function resolve(input: FallbackInput, options: IFallbackOptions): IResolved {
  if (!Array.isArray(input)) {
    return decodeTraceBundle(input);
  }
  const list = input as readonly IBundleTraceInput[];
  return {
    traces: list.map(trace => ({
      traceId: trace.traceId,
      info: trace.info,
      spans: trace.spans?.slice(),
      embedded: trace.info !== undefined && trace.spans !== undefined,
      truncated: trace.truncated,
      live: trace.live
    })),
    // The link written must match the bundle's tracking_uri: no credentials
    trackingUri:
      options.trackingUri === undefined
        ? undefined
        : withoutCredentials(options.trackingUri)?.url,
    errors: []
  };
}

function built(entry: IBundleTrace): ITrace {
  return buildTrace(entry.info, entry.spans ?? []);
}

/** The trace's figures; a live trace's duration runs to its last update or its cut. */
function summaryOf(entry: IBundleTrace, trace: ITrace): ITraceSummary {
  const summary = summarizeTrace(trace);
  if (entry.live !== undefined && entry.spans !== undefined) {
    summary.durationMs = liveElapsedMs(trace, entry.live, 0, 0);
  }
  return summary;
}

function writeProblems(w: HtmlWriter, problems: readonly string[]): void {
  if (problems.length === 0) {
    return;
  }
  w.open('ul', { class: `${CLS.problems} ${CLS.error}` });
  for (const problem of problems.slice(0, MAX_PROBLEMS)) {
    w.element('li', undefined, ellipsize(problem, 300));
  }
  if (problems.length > MAX_PROBLEMS) {
    w.element(
      'li',
      undefined,
      `… ${plural(problems.length - MAX_PROBLEMS, 'more problem')}`
    );
  }
  w.close();
}

function openSpansOf(entry: IBundleTrace, trace: ITrace): IOpenSpans {
  const status = openSpanStatus(entry.live);
  // Received and read at once: a running trace at its last update, an interrupted one at the cut
  const endNs = entry.live ? liveEndNs(trace, entry.live, 0, 0) : null;
  return { status, endNs };
}

function writeRow(w: HtmlWriter, node: ISpanNode, open: IOpenSpans): void {
  const { span } = node;
  writeSpanLabel(w, span);
  w.text(' ');
  w.element(
    'span',
    { class: CLS.duration },
    formatDurationMs(rowDurationMs(node, open))
  );
  const llm = spanLlmText(span.llm);
  if (llm) {
    w.text(' ');
    w.element(
      'span',
      { class: CLS.duration },
      ellipsize(oneLine(llm), MAX_NAME_CHARS)
    );
  }
  w.text(' ');
  const status = span.inProgress ? open.status : span.status;
  const cls = span.error ? `${CLS.status} ${CLS.error}` : CLS.status;
  w.element('span', { class: cls }, status);
  if (span.error && span.statusMessage) {
    w.text(' ');
    w.element(
      'span',
      { class: CLS.message },
      ellipsize(span.statusMessage, MAX_MESSAGE_CHARS)
    );
  }
}

/** The span tree as nested lists, in pre-order: `rows`, then a line for the rest. */
function writeTree(
  w: HtmlWriter,
  trace: ITrace,
  rows: readonly ISpanNode[],
  open: IOpenSpans
): void {
  if (rows.length === 0) {
    return;
  }
  const base = w.depth;
  w.open('ul', { class: CLS.tree });
  // listDepth[d]: writer depth at which the list holding depth-d rows is open
  const listDepth: number[] = [w.depth];
  for (const node of rows) {
    const level = Math.min(node.depth, listDepth.length);
    if (level === listDepth.length) {
      // First child of the previous row: nest a list inside its item
      w.open('ul');
      listDepth.push(w.depth);
    } else {
      listDepth.length = level + 1;
      w.closeTo(listDepth[level]);
    }
    w.open('li');
    writeRow(w, node, open);
  }
  w.closeTo(listDepth[0]);
  const hidden = trace.nodesInOrder.length - rows.length;
  if (hidden > 0) {
    w.element('li', { class: CLS.more }, `… ${plural(hidden, 'more span')}`);
  }
  w.closeTo(base);
}

function writeTrace(
  w: SvgWriter,
  entry: IBundleTrace,
  index: number,
  trackingUri: string | undefined,
  maxRows: number
): void {
  w.open('div', { class: CLS.trace });
  if (entry.error !== undefined && !entry.info && !entry.spans) {
    w.element(
      'p',
      { class: `${CLS.header} ${CLS.error}` },
      `Trace #${index + 1}: ${entry.error}`
    );
    w.close();
    return;
  }
  const trace = built(entry);
  const summary = summaryOf(entry, trace);
  const traceId = entry.traceId || summary.traceId;
  const spansKnown = entry.spans !== undefined;
  w.open('p', { class: CLS.header });
  w.element(
    'strong',
    undefined,
    ellipsize(summary.name, MAX_NAME_CHARS) || '(unnamed trace)'
  );
  const figures = [
    summary.state,
    summary.durationMs === null ? '' : formatDurationMs(summary.durationMs)
  ];
  if (spansKnown) {
    figures.push(
      plural(summary.spanCount, 'span'),
      plural(summary.errorCount, 'error')
    );
  }
  if (summary.tokenUsage !== null) {
    figures.push(plural(summary.tokenUsage.total, 'token'));
  }
  if (summary.cost !== null) {
    figures.push(`cost ${formatUsd(summary.cost.total)}`);
  }
  if (summary.models.length > 0) {
    figures.push(
      ellipsize(oneLine(modelsText(summary.models)), MAX_NAME_CHARS)
    );
  }
  w.text(' ' + figures.filter(part => part !== '').join(' · ') + ' · ');
  w.element('code', undefined, traceId || '(no id)');
  const url = mlflowTraceUiUrl(trackingUri, traceId, entry.info);
  if (url !== null) {
    w.text(' · ').link(url, 'Open in MLflow UI');
  }
  w.close();
  const notes: string[] = [];
  if (!spansKnown) {
    notes.push(
      'The spans are not embedded in this output; open the trace in MLflow to see them.'
    );
  } else if (entry.truncated?.max_string !== undefined) {
    notes.push(
      `Strings longer than ${formatCount(entry.truncated.max_string)} characters were shortened to fit the output.`
    );
  }
  if (entry.live !== undefined) {
    notes.push(`Partial trace: ${liveNote(trace, entry.live)}.`);
  }
  for (const note of notes) {
    w.element('p', { class: CLS.note }, note);
  }
  const problems = entry.error !== undefined ? [entry.error] : [];
  if (summary.costNote) {
    problems.push(summary.costNote);
  }
  writeProblems(
    w,
    problems.concat(trace.warnings.map(warning => warning.message))
  );
  writeAssessments(w, trace, entry.info);
  const rows = trace.nodesInOrder.slice(0, maxRows);
  const open = openSpansOf(entry, trace);
  writeTimelineSvg(w, trace, rows, open);
  writeTree(w, trace, rows, open);
  writeConversations(w, rows);
  w.close();
}

/**
 * The static, script-free text/html summary of a bundle: per trace a header
 * (with cost and models), its valid assessments by target (see
 * assessmentfallback.ts), a timeline strip with the critical path (see
 * timelinesvg.ts), the span tree as nested lists (type, name,
 * duration, model and cost, status), and the
 * conversations of its chat spans (see chatfallback.ts).
 *
 * #### Notes
 * Every piece of trace content is escaped; the only link is an http(s)
 * "Open in MLflow UI" link when the tracking URI and experiment are known.
 * At most `maxRowsPerTrace` rows (500) are written per trace.
 */
export function renderTraceHtml(
  input: FallbackInput,
  options: IFallbackOptions = {}
): string {
  const { traces, trackingUri, errors } = resolve(input, options);
  const maxRows = Math.max(
    1,
    options.maxRowsPerTrace ?? DEFAULT_MAX_ROWS_PER_TRACE
  );
  const w = new SvgWriter();
  w.open('div', { class: CLS.root });
  w.styleSheet();
  writeProblems(w, errors);
  traces.forEach((entry, i) => writeTrace(w, entry, i, trackingUri, maxRows));
  return w.toString();
}

/** The text/plain fallback: one line per trace, with its count of valid assessments. */
export function renderTraceText(
  input: FallbackInput,
  options: IFallbackOptions = {}
): string {
  const { traces, errors } = resolve(input, options);
  const lines = traces.map((entry, i) => {
    if (entry.error !== undefined && !entry.traceId) {
      return `Trace #${i + 1}: ${oneLine(entry.error)}`;
    }
    const trace = built(entry);
    const summary = summaryOf(entry, trace);
    const line =
      traceLine(
        { ...summary, traceId: entry.traceId || summary.traceId },
        entry.spans !== undefined
      ) + assessmentCountText(entry.info);
    return entry.live
      ? `${line} — partial: ${liveNote(trace, entry.live)}`
      : line;
  });
  if (lines.length === 0) {
    lines.push(`Invalid MLflow trace output: ${oneLine(errors.join('; '))}`);
  }
  return lines.join('\n');
}
