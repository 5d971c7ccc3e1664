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
import { ISpanLlm, readSpanLlm } from './cost';
import { lastIdMemo, normalizeId } from './ids';
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
  /** One decoded attribute, without decoding the others (inputs, outputs). */
  attribute(key: string): unknown;
  inputs: unknown;
  outputs: unknown;
  /**
   * Every attribute value as the trace stores it (MLflow's JSON text), one
   * per line: what search reads, without decoding anything.
   */
  attributeText: string;
  tokenUsage: ITokenUsage | null;
  /** Model, provider and cost (`mlflow.llm.*`); null when the span records none. */
  llm: ISpanLlm | null;
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
  // MLflow's exact spelling first: upper-casing allocates, on every span
  if (raw === 'STATUS_CODE_OK') {
    return 'OK';
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

// Shared by every span without events: most spans have none
const NO_EVENTS = Object.freeze([]) as unknown as ISpanEvent[];

function parseEvents(raw: unknown): ISpanEvent[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    return NO_EVENTS;
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

// Decoded span types by their JSON text: a trace repeats a handful of them
const spanTypeByJson = new Map<string, unknown>();

function decodeSpanType(rawAttributes: unknown): unknown {
  const json = isRecord(rawAttributes)
    ? rawAttributes['mlflow.spanType']
    : undefined;
  if (typeof json !== 'string' || json.length > 64) {
    return decodeAttribute(rawAttributes, 'mlflow.spanType');
  }
  let decoded = spanTypeByJson.get(json);
  if (decoded === undefined && !spanTypeByJson.has(json)) {
    decoded = decodeAttribute(rawAttributes, 'mlflow.spanType');
    if (spanTypeByJson.size < 256) {
      spanTypeByJson.set(json, decoded);
    }
  }
  return decoded;
}

function readSpanType(rawAttributes: unknown): string {
  const mlflowType = decodeSpanType(rawAttributes);
  if (typeof mlflowType === 'string' && mlflowType !== '') {
    return mlflowType;
  }
  // OpenInference kinds (LLM, TOOL, CHAIN, …) share MLflow's names
  const kind = decodeAttribute(rawAttributes, 'openinference.span.kind');
  return typeof kind === 'string' && kind !== ''
    ? kind.toUpperCase()
    : 'UNKNOWN';
}

class ParsedSpan implements ISpan {
  spanId!: string;
  parentId!: string | null;
  traceId!: string | null;
  index!: number;
  name!: string;
  spanType!: string;
  startNs!: number;
  endNs!: number | null;
  status!: SpanStatus;
  statusMessage!: string;
  tokenUsage!: ITokenUsage | null;
  llm!: ISpanLlm | null;
  events!: ISpanEvent[];
  error!: boolean;
  inProgress!: boolean;
  private _decoded: Record<string, unknown> | undefined = undefined;

  constructor(private readonly _rawAttributes: unknown) {}

  get attributes(): Record<string, unknown> {
    return (this._decoded ??= decodeAttributes(this._rawAttributes));
  }

  attribute(key: string): unknown {
    return decodeAttribute(this._rawAttributes, key);
  }

  get attributeText(): string {
    return storedAttributeText(this._rawAttributes);
  }

  get inputs(): unknown {
    return this.attributes['mlflow.spanInputs'];
  }

  get outputs(): unknown {
    return this.attributes['mlflow.spanOutputs'];
  }
}

function storedText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

function storedAttributeText(rawAttributes: unknown): string {
  const values = isRecord(rawAttributes)
    ? Object.values(rawAttributes)
    : Object.values(decodeAttributes(rawAttributes));
  return values.map(storedText).join('\n');
}

const normalizeTraceId = lastIdMemo();
const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

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
  const context = isRecord(raw.context) ? raw.context : NO_FIELDS;
  let spanId = normalizeId(raw.span_id ?? context.span_id ?? raw.spanId);
  if (spanId === null) {
    spanId = `missing-${index}`;
    warnings.push({
      kind: 'missing-id',
      spanId,
      message: `Span ${index} has no id; it is shown as ${spanId}.`
    });
  }
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
  const status = isRecord(raw.status) ? raw.status : NO_FIELDS;
  const statusCode = parseStatus(status.code ?? raw.status_code ?? raw.status);
  const events = parseEvents(raw.events);
  // Fields in one order, so every span shares one hidden class
  const span = new ParsedSpan(raw.attributes);
  span.spanId = spanId;
  span.parentId = normalizeId(
    raw.parent_span_id ?? raw.parent_id ?? raw.parentSpanId
  );
  span.traceId = normalizeTraceId(
    raw.trace_id ?? context.trace_id ?? raw.traceId
  );
  span.index = index;
  span.name = typeof raw.name === 'string' ? raw.name : text(raw.name);
  span.spanType = readSpanType(raw.attributes);
  span.startNs = startNs ?? endNs ?? NaN;
  span.endNs = endNs;
  span.status = statusCode;
  span.statusMessage = text(status.message ?? raw.status_message);
  span.tokenUsage = parseTokenUsage(
    decodeAttribute(raw.attributes, 'mlflow.chat.tokenUsage')
  );
  span.llm = readSpanLlm(raw.attributes);
  span.events = events;
  span.error = statusCode === 'ERROR' || events.some(e => e.isException);
  span.inProgress = endNs === null;
  return span;
}
