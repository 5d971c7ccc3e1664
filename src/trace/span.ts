/**
 * One span, parsed from an MLflow 3 span dict or an MLflow 2 legacy dict.
 */
import {
  decodeAttribute,
  decodeAttributes,
  isRecord,
  ITokenUsage,
  parseTokenUsage
} from './attributes';
import { normalizeId } from './ids';
import { ITraceWarning } from './warnings';

/** A span's status, without the `STATUS_CODE_` prefix. */
export type SpanStatus = 'OK' | 'ERROR' | 'UNSET';

/** The span types MLflow names; other strings are allowed on spans. */
export const SPAN_TYPES = [
  'LLM',
  'CHAT_MODEL',
  'RETRIEVER',
  'TOOL',
  'AGENT',
  'EMBEDDING',
  'PARSER',
  'RERANKER',
  'CHAIN',
  'MEMORY',
  'UNKNOWN'
] as const;

/** One of the span types MLflow names. */
export type KnownSpanType = (typeof SPAN_TYPES)[number];

/** A decoded span event. */
export interface ISpanEvent {
  name: string;
  timeNs: number | null;
  attributes: Record<string, unknown>;
  /** True for OpenTelemetry `exception` events. */
  isException: boolean;
}

/** The exception an `exception` event records. */
export interface IExceptionInfo {
  type: string;
  message: string;
  stacktrace: string;
}

/** A parsed span. Ids are lowercase hex; times are Unix nanoseconds. */
export interface ISpan {
  spanId: string;
  parentId: string | null;
  /** Hex OTel trace id, when the span carries one. */
  traceId: string | null;
  /** Position in the input array. */
  index: number;
  name: string;
  /** `mlflow.spanType` as written (custom strings kept); 'UNKNOWN' if absent. */
  spanType: string;
  /** NaN only while a span with no times at all awaits `buildTrace`. */
  startNs: number;
  /** Null while the span is in progress. */
  endNs: number | null;
  status: SpanStatus;
  statusMessage: string;
  attributes: Record<string, unknown>;
  inputs: unknown;
  outputs: unknown;
  tokenUsage: ITokenUsage | null;
  events: ISpanEvent[];
  /** Status ERROR or an exception event. */
  error: boolean;
  inProgress: boolean;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(SPAN_TYPES);

/** The known type used for a span type's icon and colour. */
export function spanTypeCategory(spanType: string): KnownSpanType {
  return KNOWN_TYPES.has(spanType) ? (spanType as KnownSpanType) : 'UNKNOWN';
}

/** Nanoseconds to milliseconds. */
export function nsToMs(ns: number): number {
  return ns / 1e6;
}

/** A time in nanoseconds from a JSON number or string; null when absent. */
export function parseTimeNs(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : null;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const num = Number(value);
    return Number.isFinite(num) ? num : null;
  }
  return null;
}

function parseStatus(raw: unknown): SpanStatus {
  if (raw === 1) {
    return 'OK';
  }
  if (raw === 2) {
    return 'ERROR';
  }
  const code = typeof raw === 'string' ? raw.toUpperCase() : '';
  if (code === 'OK' || code === 'STATUS_CODE_OK') {
    return 'OK';
  }
  if (code === 'ERROR' || code === 'STATUS_CODE_ERROR') {
    return 'ERROR';
  }
  return 'UNSET';
}

function parseEvents(raw: unknown): ISpanEvent[] {
  if (!Array.isArray(raw)) {
    return [];
  }
  const events: ISpanEvent[] = [];
  for (const item of raw) {
    if (!isRecord(item)) {
      continue;
    }
    const name = typeof item.name === 'string' ? item.name : '';
    events.push({
      name,
      timeNs: parseTimeNs(item.time_unix_nano ?? item.timestamp),
      attributes: decodeAttributes(item.attributes),
      isException: name === 'exception'
    });
  }
  return events;
}

function text(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The exception a span's first `exception` event records, if any. */
export function spanException(span: ISpan): IExceptionInfo | null {
  const event = span.events.find(e => e.isException);
  if (!event) {
    return null;
  }
  const attrs = event.attributes;
  return {
    type: text(attrs['exception.type']),
    message: text(attrs['exception.message']),
    stacktrace: text(attrs['exception.stacktrace'])
  };
}

function readSpanType(attributes: Record<string, unknown>): string {
  const mlflowType = attributes['mlflow.spanType'];
  if (typeof mlflowType === 'string' && mlflowType !== '') {
    return mlflowType;
  }
  // OpenInference kinds (LLM, TOOL, CHAIN, …) share MLflow's names
  const kind = attributes['openinference.span.kind'];
  return typeof kind === 'string' && kind !== ''
    ? kind.toUpperCase()
    : 'UNKNOWN';
}

/**
 * Parses one span dict (MLflow 3, MLflow 2 legacy or OTLP JSON field names).
 * Returns null, with a warning, for an entry that is not an object.
 *
 * #### Notes
 * A missing id becomes `missing-<index>`; a missing start falls back to the
 * end time. Never throws.
 */
export function parseSpan(
  raw: unknown,
  index: number,
  warnings: ITraceWarning[]
): ISpan | null {
  if (!isRecord(raw)) {
    warnings.push({
      kind: 'not-a-span',
      message: `Entry ${index} is not a span object (${raw === null ? 'null' : typeof raw}).`
    });
    return null;
  }
  const context = isRecord(raw.context) ? raw.context : {};
  let spanId = normalizeId(raw.span_id ?? context.span_id ?? raw.spanId);
  if (spanId === null) {
    spanId = `missing-${index}`;
    warnings.push({
      kind: 'missing-id',
      spanId,
      message: `Span ${index} has no id; it is shown as ${spanId}.`
    });
  }
  // Decoded on first use: building a big trace should not parse every input.
  let decoded: Record<string, unknown> | undefined;
  const attributes = () => (decoded ??= decodeAttributes(raw.attributes));
  const typeAttributes = {
    'mlflow.spanType': decodeAttribute(raw.attributes, 'mlflow.spanType'),
    'openinference.span.kind': decodeAttribute(
      raw.attributes,
      'openinference.span.kind'
    )
  };
  const startNs = parseTimeNs(
    raw.start_time_unix_nano ?? raw.start_time ?? raw.startTimeUnixNano
  );
  let endNs = parseTimeNs(
    raw.end_time_unix_nano ?? raw.end_time ?? raw.endTimeUnixNano
  );
  // OTel writers mark an unfinished span with end time 0
  if (endNs === 0) {
    endNs = null;
  }
  if (startNs === null) {
    warnings.push({
      kind: 'bad-time',
      spanId,
      message: `Span ${spanId} has no valid start time.`
    });
  } else if (endNs !== null && endNs < startNs) {
    warnings.push({
      kind: 'bad-time',
      spanId,
      message: `Span ${spanId} ends before it starts.`
    });
  }
  const status = isRecord(raw.status) ? raw.status : {};
  const statusCode = parseStatus(status.code ?? raw.status_code ?? raw.status);
  const events = parseEvents(raw.events);
  return {
    spanId,
    parentId: normalizeId(
      raw.parent_span_id ?? raw.parent_id ?? raw.parentSpanId
    ),
    traceId: normalizeId(raw.trace_id ?? context.trace_id ?? raw.traceId),
    index,
    name: typeof raw.name === 'string' ? raw.name : text(raw.name),
    spanType: readSpanType(typeAttributes),
    startNs: startNs ?? endNs ?? NaN,
    endNs,
    status: statusCode,
    statusMessage: text(status.message ?? raw.status_message),
    get attributes() {
      return attributes();
    },
    get inputs() {
      return attributes()['mlflow.spanInputs'];
    },
    get outputs() {
      return attributes()['mlflow.spanOutputs'];
    },
    tokenUsage: parseTokenUsage(
      decodeAttribute(raw.attributes, 'mlflow.chat.tokenUsage')
    ),
    events,
    error: statusCode === 'ERROR' || events.some(e => e.isException),
    inProgress: endNs === null
  };
}
