/**
 * Decoder for `application/vnd.mlflow.trace-list+json`: a trace query and
 * one page of its results. Never throws; problems name their field path.
 */
import { isRecord, ITraceInfoV3 } from '../trace';
import { IProblems, readBundleHeader, readId } from './fields';
import { IDecodedTraceList, ITraceListQuery, ITraceListRow } from './types';
import { describeType } from './util';

function readStringList(
  raw: unknown,
  path: string,
  problems: IProblems
): string[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    problems.warnings.push(
      `${path} is not a list and is ignored (got ${describeType(raw)})`
    );
    return [];
  }
  const out: string[] = [];
  raw.forEach((item, i) => {
    if (typeof item === 'string' || typeof item === 'number') {
      out.push(String(item));
    } else {
      problems.warnings.push(
        `${path}[${i}] is not a string and is ignored (got ${describeType(item)})`
      );
    }
  });
  return out;
}

function readQuery(raw: unknown, problems: IProblems): ITraceListQuery {
  const query: ITraceListQuery = { experimentIds: [], orderBy: [] };
  if (raw === undefined) {
    return query;
  }
  if (!isRecord(raw)) {
    problems.warnings.push(
      `query is not an object and is ignored (got ${describeType(raw)})`
    );
    return query;
  }
  query.experimentIds = readStringList(
    raw.experiment_ids,
    'query.experiment_ids',
    problems
  );
  query.orderBy = readStringList(raw.order_by, 'query.order_by', problems);
  if (typeof raw.filter === 'string') {
    query.filter = raw.filter;
  } else if (raw.filter !== undefined && raw.filter !== null) {
    problems.warnings.push(
      `query.filter is not a string and is ignored (got ${describeType(raw.filter)})`
    );
  }
  if (typeof raw.session_id === 'string' && raw.session_id !== '') {
    query.sessionId = raw.session_id;
  } else if (raw.session_id !== undefined && raw.session_id !== null) {
    problems.warnings.push(
      `query.session_id is not a non-empty string and is ignored (got ${describeType(raw.session_id)})`
    );
  }
  if (typeof raw.max_results === 'number' && raw.max_results > 0) {
    query.maxResults = raw.max_results;
  } else if (raw.max_results !== undefined && raw.max_results !== null) {
    problems.warnings.push(
      'query.max_results is not a positive number and is ignored'
    );
  }
  return query;
}

function decodeRow(
  raw: unknown,
  index: number,
  problems: IProblems
): ITraceListRow {
  const path = `traces[${index}]`;
  if (!isRecord(raw)) {
    const error = `${path} is not an object (got ${describeType(raw)})`;
    problems.errors.push(error);
    return { traceId: '', error };
  }
  const info = raw as unknown as ITraceInfoV3;
  const id = readId(raw.trace_id, `${path}.trace_id`);
  if ('problem' in id) {
    problems.errors.push(id.problem);
    return { traceId: '', info, error: id.problem };
  }
  return { traceId: id.id, info };
}

/**
 * Decodes and validates an `application/vnd.mlflow.trace-list+json` payload.
 *
 * #### Notes
 * An empty `traces` list is valid (a query may match nothing). A row without
 * a string `trace_id` stays in place as an error row.
 */
export function decodeTraceListBundle(data: unknown): IDecodedTraceList {
  const result: IDecodedTraceList = {
    version: null,
    query: { experimentIds: [], orderBy: [] },
    traces: [],
    errors: [],
    warnings: []
  };
  const root = readBundleHeader(data, result);
  if (!root) {
    return result;
  }
  result.query = readQuery(root.query, result);
  if (root.traces === undefined) {
    result.errors.push('traces is missing');
  } else if (!Array.isArray(root.traces)) {
    result.errors.push(
      `traces is not a list (got ${describeType(root.traces)})`
    );
  } else {
    result.traces = root.traces.map((raw, i) => decodeRow(raw, i, result));
  }
  const token = root.next_page_token;
  if (typeof token === 'string' && token !== '') {
    result.nextPageToken = token;
  } else if (token !== undefined && token !== null && token !== '') {
    result.warnings.push(
      `next_page_token is not a string and is ignored (got ${describeType(token)})`
    );
  }
  return result;
}
