/**
 * trace() and withSpan(): MLflow spans on OpenTelemetry, with the inputs,
 * outputs, span type, token usage and log level MLflow reads.
 */
import {
  Attributes,
  isSpanContextValid,
  Span,
  SpanStatusCode,
  trace as otelTrace
} from '@opentelemetry/api';
import {
  argsToInputs,
  encodeAttributeValue,
  ITokenUsage,
  normalizeTokenUsage,
  parameterNames,
  SpanAttributeKey,
  SpanType,
  SpanTypeName,
  TRACE_NAME_TAG
} from './attributes';
import {
  defaultLogLevel,
  logLevelNumber,
  LogLevelName
} from '../trace/logLevel';
import { spanClock } from './clock';
import { mlflowTraceId } from './processor';
import { getTracer } from './session';

/** Options of a span made by trace() or withSpan(). */
export interface ISpanOptions {
  /** Default: the function's name (trace) or the first argument (withSpan). */
  name?: string;
  /** Default: UNKNOWN. */
  spanType?: SpanTypeName;
  /** Extra attributes, JSON-encoded like MLflow's. */
  attributes?: Record<string, unknown>;
  /** Inputs recorded when the span starts. */
  inputs?: unknown;
}

/** A live span with MLflow's setters. */
export class MlflowSpan {
  constructor(span: Span) {
    this.otelSpan = span;
  }

  /** The OpenTelemetry span underneath. */
  readonly otelSpan: Span;

  /** MLflow's trace id (`tr-…`). */
  get traceId(): string {
    return mlflowTraceId(this.otelSpan.spanContext().traceId);
  }

  /** The span id (16 hex digits). */
  get spanId(): string {
    return this.otelSpan.spanContext().spanId;
  }

  /** True once setOutputs() was called. */
  get hasOutputs(): boolean {
    return this._hasOutputs;
  }

  setInputs(inputs: unknown): this {
    return this.setAttribute(SpanAttributeKey.INPUTS, inputs);
  }

  setOutputs(outputs: unknown): this {
    this._hasOutputs = true;
    return this.setAttribute(SpanAttributeKey.OUTPUTS, outputs);
  }

  setSpanType(spanType: SpanTypeName): this {
    return this.setAttribute(SpanAttributeKey.SPAN_TYPE, spanType);
  }

  /**
   * The span's log level (`mlflow.spanLogLevel`), a name or MLflow's number.
   * Unset, the span ends with MLflow's default for its type.
   */
  setLogLevel(level: LogLevelName | number): this {
    return this.setAttribute(SpanAttributeKey.LOG_LEVEL, level);
  }

  /** Token counts of a model call; `total_tokens` defaults to the sum. */
  setTokenUsage(usage: ITokenUsage): this {
    return this.setAttribute(
      SpanAttributeKey.CHAT_USAGE,
      normalizeTokenUsage(usage)
    );
  }

  setAttribute(key: string, value: unknown): this {
    if (key === SpanAttributeKey.SPAN_TYPE && typeof value === 'string') {
      this._spanType = value;
    }
    if (key === SpanAttributeKey.LOG_LEVEL) {
      // MLflow reads a number only: a name is written as its number
      const level = logLevelNumber(value);
      if (level !== null) {
        this._logLevel = level;
        this.otelSpan.setAttribute(key, level);
      }
      return this;
    }
    if (value !== undefined) {
      this.otelSpan.setAttribute(key, encodeAttributeValue(value));
    }
    return this;
  }

  setAttributes(attributes: Record<string, unknown>): this {
    for (const [key, value] of Object.entries(attributes)) {
      this.setAttribute(key, value);
    }
    return this;
  }

  addEvent(name: string, attributes?: Attributes): this {
    this.otelSpan.addEvent(name, attributes, spanClock.now());
    // OpenTelemetry's name for an exception event, which MLflow raises to ERROR
    this._exception ||= name === 'exception';
    return this;
  }

  /** Marks the span failed and adds the `exception` event. */
  recordException(error: unknown): this {
    const err =
      error instanceof Error ? error : new Error(describeThrown(error));
    this.otelSpan.recordException(err, spanClock.now());
    this._exception = true;
    this.otelSpan.setStatus({
      code: SpanStatusCode.ERROR,
      message: `${err.name}: ${err.message}`
    });
    this._failed = true;
    return this;
  }

  setStatus(status: 'OK' | 'ERROR', message?: string): this {
    this._failed = status === 'ERROR';
    this.otelSpan.setStatus({
      code: status === 'OK' ? SpanStatusCode.OK : SpanStatusCode.ERROR,
      message
    });
    return this;
  }

  /** Ends the span with status OK unless it failed; a second call does nothing. */
  end(): void {
    if (this._ended) {
      return;
    }
    this._ended = true;
    if (!this._failed) {
      this.otelSpan.setStatus({ code: SpanStatusCode.OK });
    }
    // As MLflow's SDK: the default by type when unset; an exception raises it to ERROR
    const level =
      this._logLevel ?? defaultLogLevel(this._spanType, this._exception);
    this.otelSpan.setAttribute(
      SpanAttributeKey.LOG_LEVEL,
      this._exception ? Math.max(level, 40) : level
    );
    this.otelSpan.end(spanClock.end());
  }

  private _spanType: string = SpanType.UNKNOWN;
  private _logLevel: number | undefined = undefined;
  private _exception = false;
  private _hasOutputs = false;
  private _failed = false;
  private _ended = false;
}

function describeThrown(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function startSpan<T>(
  name: string,
  options: ISpanOptions,
  body: (span: MlflowSpan) => T
): T {
  const tracer = getTracer();
  const parent = otelTrace.getActiveSpan();
  const isRoot =
    parent === undefined || !isSpanContextValid(parent.spanContext());
  // The helper's clock, not OpenTelemetry's: see clock.ts.
  const startTime = spanClock.start();
  return tracer.startActiveSpan(name, { startTime }, otelSpan => {
    const span = new MlflowSpan(otelSpan);
    span.setSpanType(options.spanType ?? SpanType.UNKNOWN);
    if (isRoot) {
      // A root span: name the trace as MLflow's SDKs do.
      span.setAttribute(
        SpanAttributeKey.TRACE_TAG_PREFIX + TRACE_NAME_TAG,
        name
      );
    }
    if (options.attributes) {
      span.setAttributes(options.attributes);
    }
    if (options.inputs !== undefined) {
      span.setInputs(options.inputs);
    }
    const fail = (error: unknown): never => {
      span.recordException(error);
      span.end();
      throw error;
    };
    let result: T;
    try {
      result = body(span);
    } catch (error) {
      return fail(error);
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(value => {
        if (!span.hasOutputs && value !== undefined) {
          span.setOutputs(value);
        }
        span.end();
        return value;
      }, fail) as T;
    }
    if (!span.hasOutputs && result !== undefined) {
      span.setOutputs(result);
    }
    span.end();
    return result;
  });
}

/**
 * Runs `fn` in a new span, the child of the active one.
 *
 * #### Notes
 * `fn` may return a value or a promise. The result becomes the span's
 * outputs unless `span.setOutputs()` was called. A throw or rejection marks
 * the span ERROR with an `exception` event and propagates unchanged.
 */
export function withSpan<T>(name: string, fn: (span: MlflowSpan) => T): T;
export function withSpan<T>(
  name: string,
  options: ISpanOptions,
  fn: (span: MlflowSpan) => T
): T;
export function withSpan<T>(
  name: string,
  optionsOrFn: ISpanOptions | ((span: MlflowSpan) => T),
  maybeFn?: (span: MlflowSpan) => T
): T {
  const fn =
    typeof optionsOrFn === 'function'
      ? optionsOrFn
      : (maybeFn as (span: MlflowSpan) => T);
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
  if (typeof fn !== 'function') {
    throw new TypeError('withSpan(name, [options], fn): fn must be a function');
  }
  return startSpan(options.name ?? name, options, fn);
}

/**
 * Wraps a function so that each call is a span: the arguments are its
 * inputs (keyed by parameter name when they can be read), the result its
 * outputs. Sync and async functions both work; `this` is passed through.
 */
export function trace<F extends (...args: any[]) => any>(
  fn: F,
  options: ISpanOptions = {}
): F {
  if (typeof fn !== 'function') {
    throw new TypeError('trace(fn, options): fn must be a function');
  }
  const names = parameterNames(fn);
  const name = options.name ?? (fn.name || 'anonymous');
  const traced = function (this: unknown, ...args: unknown[]): unknown {
    return startSpan(
      name,
      { ...options, inputs: argsToInputs(names, args) },
      () => fn.apply(this, args)
    );
  };
  Object.defineProperty(traced, 'name', { value: fn.name });
  return traced as unknown as F;
}
