/**
 * check(): a summary with budgets as a check. In a tslab notebook it
 * displays the summary (whose charts mark the violations) and resolves with
 * the violations; in a plain `node script.mjs` it prints one line per
 * violation on stderr (or "no budget broken: …" on stdout) and sets
 * `process.exitCode = 1` when there is any, so a cell copied into a script
 * is the hourly check. The twin of the Python package's `_summary_check.py`.
 */
import { ITraceSummaryBundle } from '../bundle/summaryencode';
import { plural } from '../bundle/format';
import { IViolationJson, violationLine } from '../trace/budgets';
import { ISummarizeOptions, summarize, summaryOf } from './summary';
import { currentDisplayWriter } from './tslab';

/** Python's `%Y-%m-%dT%H:%M:%S.%fZ` of epoch ms. */
function utc(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** What was checked, for the "no budget broken" line. */
export function checkedText(payload: ITraceSummaryBundle): string {
  const query = payload.query;
  const span = `${utc(query.start_time_ms)} to ${utc(query.end_time_ms)}`;
  const budgets = query.budgets ?? {};
  const names = Object.keys(budgets).filter(k => k !== 'spans');
  for (const budget of budgets.spans ?? []) {
    names.push(`span ${budget.span_name ?? budget.span_type} p90_ms`);
  }
  const listed = names.length > 0 ? names.join(', ') : 'none given';
  return `${plural(payload.totals.traces, 'trace')} from ${span}; budgets: ${listed}`;
}

/**
 * The budgets the summary breaks (summarize()'s options; `budgets`
 * required). Outside a notebook it also prints them and sets
 * `process.exitCode = 1` when any is broken.
 */
export async function check(
  options: ISummarizeOptions
): Promise<IViolationJson[]> {
  if (options?.budgets === undefined) {
    throw new Error(
      'check() needs budgets, e.g. budgets: { errorRate: 0.05, latencyP90Ms: 2000 }'
    );
  }
  if (currentDisplayWriter() !== null) {
    return (await summarize(options)).violations ?? [];
  }
  const { payload, warnings } = await summaryOf(options, null);
  for (const warning of warnings) {
    console.warn(`mlflow-traces: ${warning}`);
  }
  const broken = payload.violations ?? [];
  for (const violation of broken) {
    console.error(violationLine(violation, payload.query.group_by));
  }
  if (broken.length > 0) {
    process.exitCode = 1;
  } else {
    console.log(`no budget broken: ${checkedText(payload)}`);
  }
  return broken;
}
