/**
 * The text/html and text/plain fallbacks of a trace-list bundle: a static
 * table of the query's results, each row with its valid assessments (so a
 * review done in the list shows in a shared notebook).
 */
import {
  buildTrace,
  formatCount,
  formatDurationMs,
  formatUsd,
  mlflowTraceUiUrl,
  sessionIdOf,
  summarizeTrace,
  userIdOf
} from '../trace';
import { assessmentCountText, assessmentsLine } from './assessmentfallback';
import { MAX_NAME_CHARS, oneLine, plural, traceLine } from './format';
import { FALLBACK_CLASS as CLS, HtmlWriter } from './html';
import {
  sessionCaption,
  sessionTextLines,
  writeSessionTurns
} from './sessionfallback';
import { decodeTraceListBundle } from './tracelist';
import { IDecodedTraceList, ITraceListRow } from './types';
import { ellipsize } from './util';

/** Table rows written at most; the rest are counted in a last row. */
export const DEFAULT_MAX_LIST_ROWS = 500;

/** Longest request preview shown, in characters. */
const MAX_PREVIEW_CHARS = 120;

const COLUMNS = [
  'Trace ID',
  'Name',
  'State',
  'Request time',
  'Duration',
  'Tokens',
  'Cost',
  'Session',
  'User',
  'Request',
  'Assessments'
];

function caption(list: IDecodedTraceList): string {
  const parts = [plural(list.traces.length, 'trace')];
  const { experimentIds, filter } = list.query;
  if (experimentIds.length > 0) {
    parts.push(`experiments ${experimentIds.join(', ')}`);
  }
  if (filter) {
    parts.push(`filter ${JSON.stringify(ellipsize(filter, 200))}`);
  }
  if (list.nextPageToken !== undefined) {
    parts.push('more available');
  }
  return `MLflow traces: ${parts.join('; ')}`;
}

function writeRow(
  w: HtmlWriter,
  row: ITraceListRow,
  trackingUri: string | undefined
): void {
  w.open('tr', row.error !== undefined ? { class: CLS.error } : undefined);
  if (row.error !== undefined) {
    w.element('td', undefined, row.traceId);
    w.open('td').text(ellipsize(row.error, 300)).close();
    w.close();
    return;
  }
  const summary = summarizeTrace(buildTrace(row.info, []));
  const info = row.info;
  const url = mlflowTraceUiUrl(trackingUri, row.traceId, info);
  w.open('td').element('code', undefined, row.traceId);
  if (url !== null) {
    w.text(' ').link(url, 'Open in MLflow UI');
  }
  w.close();
  w.element('td', undefined, ellipsize(summary.name, MAX_NAME_CHARS));
  w.element(
    'td',
    summary.state === 'ERROR' ? { class: CLS.error } : undefined,
    summary.state
  );
  w.element(
    'td',
    undefined,
    typeof info?.request_time === 'string' ? info.request_time : ''
  );
  w.element(
    'td',
    undefined,
    summary.durationMs === null ? '' : formatDurationMs(summary.durationMs)
  );
  w.element(
    'td',
    undefined,
    summary.tokenUsage ? formatCount(summary.tokenUsage.total) : ''
  );
  w.element(
    'td',
    summary.costNote ? { class: CLS.error } : undefined,
    summary.costNote || (summary.cost ? formatUsd(summary.cost.total) : '')
  );
  for (const text of [sessionIdOf(info), userIdOf(info)]) {
    w.element('td', undefined, ellipsize(oneLine(text), MAX_NAME_CHARS));
  }
  const preview =
    typeof info?.request_preview === 'string' ? info.request_preview : '';
  w.element('td', undefined, ellipsize(oneLine(preview), MAX_PREVIEW_CHARS));
  w.element('td', undefined, assessmentsLine(info));
  w.close();
}

/** Options of the trace-list fallbacks. */
export interface IListFallbackOptions {
  maxRows?: number;
}

/**
 * The static, script-free text/html table of a trace-list bundle, given as
 * written (it is decoded here, so a malformed one still renders).
 */
export function renderTraceListHtml(
  data: unknown,
  options: IListFallbackOptions = {}
): string {
  const list = decodeTraceListBundle(data);
  const maxRows = Math.max(1, options.maxRows ?? DEFAULT_MAX_LIST_ROWS);
  const w = new HtmlWriter();
  w.open('div', { class: CLS.root });
  w.styleSheet();
  const session = list.query.sessionId !== undefined;
  w.element(
    'p',
    { class: CLS.header },
    session ? sessionCaption(list) : caption(list)
  );
  if (list.errors.length > 0) {
    w.open('ul', { class: `${CLS.problems} ${CLS.error}` });
    for (const error of list.errors.slice(0, 20)) {
      w.element('li', undefined, ellipsize(error, 300));
    }
    w.close();
  }
  if (session) {
    writeSessionTurns(w, list, maxRows);
  } else if (list.traces.length > 0) {
    w.open('table', { class: CLS.table }).open('thead').open('tr');
    for (const column of COLUMNS) {
      w.element('th', undefined, column);
    }
    w.close().close().open('tbody');
    for (const row of list.traces.slice(0, maxRows)) {
      writeRow(w, row, list.trackingUri);
    }
    const hidden = list.traces.length - maxRows;
    if (hidden > 0) {
      w.open('tr', { class: CLS.more }).element(
        'td',
        undefined,
        `… ${plural(hidden, 'more trace')}`
      );
    }
  }
  return w.toString();
}

/** The text/plain fallback of a trace-list bundle: a caption, then one line per trace. */
export function renderTraceListText(data: unknown): string {
  const list = decodeTraceListBundle(data);
  const session = list.query.sessionId !== undefined;
  const lines = session ? sessionTextLines(list) : [caption(list)];
  list.traces.forEach((row, i) => {
    if (session && row.error === undefined) {
      return;
    }
    if (row.error !== undefined) {
      lines.push(`Trace #${i + 1}: ${oneLine(row.error)}`);
    } else {
      const summary = summarizeTrace(buildTrace(row.info, []));
      lines.push(
        traceLine({ ...summary, traceId: row.traceId }, false) +
          assessmentCountText(row.info)
      );
    }
  });
  if (list.errors.length > 0 && list.traces.length === 0) {
    lines.push(`Invalid MLflow trace list: ${oneLine(list.errors.join('; '))}`);
  }
  return lines.join('\n');
}
