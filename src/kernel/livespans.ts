/**
 * A running trace as the tracking server would return it: OpenTelemetry
 * spans in memory turned into MLflow span dicts (`Span.to_dict()`), and a
 * REST TraceInfoV3 for the trace so far.
 *
 * #### Notes
 * Attribute values are what MLflow's OTLP ingest stores: it JSON-encodes
 * each value once more (Python's `json.dumps`), then strips that layer again
 * from strings that decode to a string, object or array (mlflow
 * `sanitize_attributes`). Times are the exact nanosecond integers, then the
 * nearest double: what a JSON reader makes of the server's integers.
 */
import type { AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ISpanDict, ITraceInfoV3, TraceState } from '../trace';
import { SpanAttributeKey, TRACE_NAME_TAG } from './attributes';

const STATUS_NAMES = [
  'STATUS_CODE_UNSET',
  'STATUS_CODE_OK',
  'STATUS_CODE_ERROR'
];
const STATUS_ERROR = 2;
const NS_PER_S = BigInt(1e9);

/** Base64 of a hex id's bytes, as MLflow writes span and trace ids. */
export function base64Id(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** Exact Unix nanoseconds of an OpenTelemetry time. */
export function hrTimeNs(time: readonly [number, number]): bigint {
  return BigInt(time[0]) * NS_PER_S + BigInt(time[1]);
}

/** A float as Python's `repr` writes it (exponent below 1e-4 or from 1e16, two-digit exponent). */
function pythonFloat(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) {
    return String(value);
  }
  const [mantissa, exp] = value.toExponential().split('e');
  const power = Number(exp);
  if (power >= -4 && power < 16) {
    return String(value);
  }
  const digits = String(Math.abs(power)).padStart(2, '0');
  return `${mantissa}e${power < 0 ? '-' : '+'}${digits}`;
}

/** Python's `json.dumps(value, ensure_ascii=False)` of an attribute value. */
function pythonJson(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'number') {
    return pythonFloat(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(pythonJson).join(', ')}]`;
  }
  return JSON.stringify(value);
}

/** The stored form of one OpenTelemetry attribute value (see the file's notes). */
export function storedAttribute(value: AttributeValue | undefined): string {
  if (typeof value === 'string') {
    let inner: unknown;
    try {
      inner = JSON.parse(value);
    } catch {
      return JSON.stringify(value);
    }
    return typeof inner === 'string' ||
      (inner !== null && typeof inner === 'object')
      ? value
      : JSON.stringify(value);
  }
  return pythonJson(value);
}

/** The MLflow trace id of a span. */
function mlflowId(span: ReadableSpan): string {
  return `tr-${span.spanContext().traceId}`;
}

/**
 * The span dict MLflow's server would return for `span`; with `running`,
 * as MLflow's `LiveSpan.to_dict()` writes a span not yet ended (end null,
 * the status as set so far).
 */
export function liveSpanDict(span: ReadableSpan, running: boolean): ISpanDict {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    attributes[key] = storedAttribute(value);
  }
  attributes['mlflow.traceRequestId'] = JSON.stringify(mlflowId(span));
  const parent = span.parentSpanContext?.spanId;
  const code = span.status.code;
  return {
    trace_id: base64Id(span.spanContext().traceId),
    span_id: base64Id(span.spanContext().spanId),
    parent_span_id: parent ? base64Id(parent) : null,
    name: span.name,
    start_time_unix_nano: Number(hrTimeNs(span.startTime)),
    end_time_unix_nano: running ? null : Number(hrTimeNs(span.endTime)),
    events: span.events.map(event => ({
      name: event.name,
      time_unix_nano: Number(hrTimeNs(event.time)),
      attributes: { ...(event.attributes ?? {}) }
    })),
    status: {
      code: STATUS_NAMES[code] ?? STATUS_NAMES[0],
      message: code === STATUS_ERROR ? (span.status.message ?? '') : ''
    },
    attributes,
    links: []
  };
}

/** A span attribute's stored string decoded, when it holds a JSON string. */
function decodedString(value: AttributeValue | undefined): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  try {
    const decoded: unknown = JSON.parse(value);
    return typeof decoded === 'string' ? decoded : value;
  } catch {
    return value;
  }
}

/** A protobuf Duration in seconds, as the server writes `execution_duration`. */
function duration(ns: bigint): string {
  const ms = Number(ns / BigInt(1e6));
  return `${(ms / 1000).toFixed(3)}s`;
}

/**
 * The TraceInfoV3 of a trace whose local root is `root`: IN_PROGRESS while
 * it runs, else the state its root ended with. Tags are the root's
 * `mlflow.traceTag.*` attributes and the service name, as the server makes them.
 */
export function liveTraceInfo(
  root: ReadableSpan,
  experimentId: string | undefined,
  running: boolean
): ITraceInfoV3 {
  const startNs = hrTimeNs(root.startTime);
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(root.attributes)) {
    if (key.startsWith(SpanAttributeKey.TRACE_TAG_PREFIX)) {
      const tag = decodedString(value);
      if (tag !== null) {
        tags[key.slice(SpanAttributeKey.TRACE_TAG_PREFIX.length)] = tag;
      }
    }
  }
  const service = root.resource?.attributes['service.name'];
  if (typeof service === 'string') {
    tags['service.name'] = service;
  }
  let state: TraceState = 'IN_PROGRESS';
  if (!running) {
    state = root.status.code === STATUS_ERROR ? 'ERROR' : 'OK';
  }
  const info: ITraceInfoV3 = {
    trace_id: mlflowId(root),
    request_time: new Date(Number(startNs / BigInt(1e6))).toISOString(),
    state,
    trace_metadata: { 'mlflow.trace_schema.version': '3' },
    tags
  };
  if (experimentId !== undefined) {
    info.trace_location = {
      type: 'MLFLOW_EXPERIMENT',
      mlflow_experiment: { experiment_id: experimentId }
    };
  }
  if (!running) {
    info.execution_duration = duration(hrTimeNs(root.endTime) - startNs);
  }
  if (tags[TRACE_NAME_TAG] === undefined) {
    tags[TRACE_NAME_TAG] = root.name;
  }
  return info;
}
