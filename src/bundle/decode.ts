/**
 * Decoders for `application/vnd.mlflow.trace+json` and
 * `application/databricks.mlflow.trace`. They never throw: every problem is
 * reported with its field path, and good traces are kept in place.
 */
import { isRecord, ITraceInfoV3 } from '../trace';
import { IProblems, readBundleHeader, readId } from './fields';
import { readLive } from './livewire';
import { BUNDLE_VERSION } from './mimetypes';
import { IBundleTrace, IDecodedBundle, ITruncation } from './types';
import { describeType, parseJsonData } from './util';

function emptyResult(): IDecodedBundle {
  return {
    version: null,
    traces: [],
    errors: [],
    warnings: [],
    compare: false
  };
}

function readTruncation(
  raw: unknown,
  path: string,
  problems: IProblems
): ITruncation | undefined {
  if (raw === undefined) {
    return undefined;
  }
  const maxString = isRecord(raw) ? raw.max_string : undefined;
  if (typeof maxString !== 'number' || !(maxString >= 0)) {
    problems.warnings.push(
      `${path} is not {max_string: number} and is ignored (got ${describeType(raw)})`
    );
    return undefined;
  }
  const truncation: ITruncation = { max_string: maxString };
  if (isRecord(raw) && raw.spans_dropped === true) {
    truncation.spans_dropped = true;
  }
  return truncation;
}

function decodeEntry(
  raw: unknown,
  index: number,
  result: IDecodedBundle
): IBundleTrace {
  const path = `traces[${index}]`;
  if (!isRecord(raw)) {
    const error = `${path} is not an object (got ${describeType(raw)})`;
    result.errors.push(error);
    return { traceId: '', embedded: false, error };
  }
  const problems: string[] = [];
  const id = readId(raw.trace_id, `${path}.trace_id`);
  const entry: IBundleTrace = {
    traceId: 'id' in id ? id.id : '',
    embedded: false
  };
  if ('problem' in id) {
    problems.push(id.problem);
  }
  if (isRecord(raw.info)) {
    entry.info = raw.info as unknown as ITraceInfoV3;
  } else if (raw.info !== undefined) {
    problems.push(
      `${path}.info is not an object (got ${describeType(raw.info)})`
    );
  }
  if (Array.isArray(raw.spans)) {
    entry.spans = raw.spans;
  } else if (raw.spans !== undefined) {
    problems.push(
      `${path}.spans is not a list (got ${describeType(raw.spans)})`
    );
  }
  const truncated = readTruncation(raw.truncated, `${path}.truncated`, result);
  if (truncated) {
    entry.truncated = truncated;
  }
  const live = readLive(raw.live, `${path}.live`, result.warnings);
  if (live) {
    entry.live = live;
  }
  const infoId = entry.info?.trace_id;
  if (entry.traceId && typeof infoId === 'string' && infoId !== entry.traceId) {
    result.warnings.push(
      `${path}.info.trace_id (${infoId}) differs from ${path}.trace_id (${entry.traceId})`
    );
  }
  entry.embedded = entry.info !== undefined && entry.spans !== undefined;
  if (problems.length > 0) {
    entry.error = problems.join('; ');
    result.errors.push(...problems);
  }
  return entry;
}

/**
 * Decodes and validates an `application/vnd.mlflow.trace+json` payload.
 *
 * #### Notes
 * A newer version is read best-effort with a warning. An entry without a
 * string `trace_id` stays in place as an error entry (with whatever valid
 * `info` and `spans` it had), so no trace is silently dropped.
 */
export function decodeTraceBundle(data: unknown): IDecodedBundle {
  const result = emptyResult();
  const root = readBundleHeader(data, result);
  if (!root) {
    return result;
  }
  if (root.compare !== undefined && typeof root.compare !== 'boolean') {
    result.warnings.push(
      `compare is not a boolean and is ignored (got ${describeType(root.compare)})`
    );
  }
  result.compare = root.compare === true;
  const traces = root.traces;
  if (traces === undefined) {
    result.errors.push('traces is missing');
  } else if (!Array.isArray(traces)) {
    result.errors.push(`traces is not a list (got ${describeType(traces)})`);
  } else if (traces.length === 0) {
    result.errors.push('traces is empty');
  } else {
    result.traces = traces.map((raw, i) => decodeEntry(raw, i, result));
  }
  return result;
}

function databricksId(raw: unknown): unknown {
  // The first MLflow releases sent a bare id string or the whole trace JSON
  if (typeof raw === 'string') {
    return raw;
  }
  if (!isRecord(raw)) {
    return undefined;
  }
  if (raw.trace_id !== undefined) {
    return raw.trace_id;
  }
  const info = isRecord(raw.info) ? raw.info : {};
  return info.trace_id ?? info.request_id;
}

/**
 * Decodes `application/databricks.mlflow.trace`: `{trace_id}` or a list of
 * those, as a JSON string or already parsed. Every trace is to be fetched.
 *
 * #### Notes
 * `sql_warehouse_id` is ignored. A bare id string (older MLflow) is read too.
 */
export function decodeDatabricksBundle(data: unknown): IDecodedBundle {
  const result = emptyResult();
  result.version = BUNDLE_VERSION;
  const parsed = parseJsonData(data);
  if (parsed.error !== undefined) {
    result.errors.push(parsed.error);
    return result;
  }
  const value = parsed.value;
  const isList = Array.isArray(value);
  const items: unknown[] = isList ? value : [value];
  if (!isList && !isRecord(value) && typeof value !== 'string') {
    result.errors.push(
      `the data is not {trace_id} or a list of those (got ${describeType(value)})`
    );
    return result;
  }
  if (items.length === 0) {
    result.errors.push('the list of traces is empty');
  }
  result.traces = items.map((item, i) => {
    const prefix = isList ? `[${i}]` : '';
    if (!isRecord(item) && typeof item !== 'string') {
      const error = `${prefix || 'the data'} is not an object (got ${describeType(item)})`;
      result.errors.push(error);
      return { traceId: '', embedded: false, error };
    }
    const id = readId(
      databricksId(item),
      `${prefix}${prefix ? '.' : ''}trace_id`
    );
    if ('problem' in id) {
      result.errors.push(id.problem);
      return { traceId: '', embedded: false, error: id.problem };
    }
    return { traceId: id.id, embedded: false };
  });
  return result;
}
