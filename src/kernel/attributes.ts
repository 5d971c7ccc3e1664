/**
 * MLflow's span types and span attribute keys, and the encoding of attribute
 * values so that the tracking server stores them as MLflow's own SDKs do.
 */
import type { AttributeValue } from '@opentelemetry/api';
import { wellFormedJsonText } from './wellformed';

/** MLflow's span types (`mlflow.spanType`). */
export const SpanType = {
  LLM: 'LLM',
  CHAT_MODEL: 'CHAT_MODEL',
  RETRIEVER: 'RETRIEVER',
  TOOL: 'TOOL',
  AGENT: 'AGENT',
  EMBEDDING: 'EMBEDDING',
  PARSER: 'PARSER',
  RERANKER: 'RERANKER',
  CHAIN: 'CHAIN',
  MEMORY: 'MEMORY',
  UNKNOWN: 'UNKNOWN'
} as const;

/** One of MLflow's span types, or any other string MLflow will show as-is. */
export type SpanTypeName = (typeof SpanType)[keyof typeof SpanType] | string;

/** The span attribute keys MLflow reads. */
export const SpanAttributeKey = {
  SPAN_TYPE: 'mlflow.spanType',
  INPUTS: 'mlflow.spanInputs',
  OUTPUTS: 'mlflow.spanOutputs',
  CHAT_USAGE: 'mlflow.chat.tokenUsage',
  /** The span's severity, an int (10 DEBUG … 50 CRITICAL), as MLflow 3.13+ stamps it. */
  LOG_LEVEL: 'mlflow.spanLogLevel',
  /** Prefix of root-span attributes the server turns into trace tags. */
  TRACE_TAG_PREFIX: 'mlflow.traceTag.'
} as const;

/** The trace tag holding the trace's name. */
export const TRACE_NAME_TAG = 'mlflow.traceName';

/** Token counts of one model call, as `mlflow.chat.tokenUsage` holds them. */
export interface ITokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens?: number;
}

/**
 * The OpenTelemetry attribute value for `value`.
 *
 * #### Notes
 * The server JSON-encodes every OTLP attribute once more and then strips one
 * layer of encoding from strings that decode to a string, object or array
 * (mlflow `sanitize_attributes`). So strings, objects, arrays and null are
 * sent JSON-encoded (as MLflow's SDKs write them), while finite numbers and
 * booleans are sent as they are: JSON-encoded, `5` would come back as `"5"`.
 * Values JSON cannot encode (functions, cycles, bigints) become a string
 * description rather than an exception.
 */
export function encodeAttributeValue(value: unknown): AttributeValue {
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  return safeJson(value);
}

/** Well-formed JSON text for any value: never throws. */
export function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, jsonReplacer());
    return text === undefined
      ? JSON.stringify(describe(value))
      : wellFormedJsonText(text);
  } catch {
    return JSON.stringify(describe(value));
  }
}

/**
 * A replacer that turns bigints, Maps, Sets, Errors and cycles into JSON.
 *
 * #### Notes
 * Only an object that is its own ancestor is a cycle: an object reached
 * twice through different branches (`{a: x, b: x}`) is written twice. The
 * replacer sees each value with its holder as `this`, so the open ancestors
 * are kept as a stack, unwound to the holder on each call.
 */
function jsonReplacer(): (key: string, value: unknown) => unknown {
  // `written` is what the replacer returned (a Map becomes an object): the
  // holder of the children; `original` is what a cycle would point back to.
  const ancestors: { written: unknown; original: object }[] = [];
  const onPath = new Set<object>();
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') {
      return value.toString();
    }
    if (typeof value === 'function' || typeof value === 'symbol') {
      return describe(value);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return String(value);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    while (
      ancestors.length > 0 &&
      ancestors[ancestors.length - 1].written !== this
    ) {
      onPath.delete((ancestors.pop() as { original: object }).original);
    }
    if (onPath.has(value)) {
      return '[Circular]';
    }
    const written = jsonForm(value);
    ancestors.push({ written, original: value });
    onPath.add(value);
    return written;
  };
}

/** What JSON writes for an object: Maps, Sets and Errors made plain. */
function jsonForm(value: object): unknown {
  if (value instanceof Map) {
    return Object.fromEntries(value);
  }
  if (value instanceof Set) {
    return Array.from(value);
  }
  if (value instanceof Error) {
    return { name: value.name, message: value.message };
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'function') {
    return `[function ${value.name || 'anonymous'}]`;
  }
  if (value === undefined) {
    return 'undefined';
  }
  return String(value);
}

/**
 * The parameter names of a function, from its source text; [] when they
 * cannot be read (native code, destructuring, rest parameters).
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return [];
  }
  source = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  let params: string;
  const arrow = /^\s*(?:async\s*)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (arrow) {
    params = arrow[1];
  } else {
    const open = source.indexOf('(');
    if (open < 0) {
      return [];
    }
    let depth = 0;
    let close = -1;
    for (let i = open; i < source.length; i++) {
      const ch = source[i];
      if (ch === '(' || ch === '[' || ch === '{') {
        depth++;
      } else if (ch === ')' || ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) {
          close = i;
          break;
        }
      }
    }
    if (close < 0) {
      return [];
    }
    params = source.slice(open + 1, close);
  }
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of params + ',') {
    if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
    }
    if (ch === ',' && depth === 0) {
      const name = current.split('=')[0].trim();
      if (name !== '') {
        if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
          return [];
        }
        names.push(name);
      }
      current = '';
    } else {
      current += ch;
    }
  }
  return names;
}

/**
 * A traced call's inputs as MLflow records them: an object keyed by
 * parameter name when the names are known, else `{ args: [...] }`.
 */
export function argsToInputs(
  names: readonly string[],
  args: readonly unknown[]
): Record<string, unknown> {
  if (names.length === 0 || args.length > names.length) {
    return args.length === 0 ? {} : { args: args.slice() };
  }
  const inputs: Record<string, unknown> = {};
  args.forEach((arg, i) => {
    inputs[names[i]] = arg;
  });
  return inputs;
}

/** Token usage with `total_tokens` filled in, or an error message. */
export function normalizeTokenUsage(usage: ITokenUsage): ITokenUsage {
  const input = usage.input_tokens;
  const output = usage.output_tokens;
  if (!Number.isFinite(input) || !Number.isFinite(output)) {
    throw new TypeError(
      'setTokenUsage needs numeric input_tokens and output_tokens'
    );
  }
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: Number.isFinite(usage.total_tokens)
      ? (usage.total_tokens as number)
      : input + output
  };
}
