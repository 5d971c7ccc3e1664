/**
 * Span attribute decoding. MLflow JSON-encodes every attribute value; spans
 * from other OpenTelemetry writers carry raw values.
 */
import { exactInteger, parseJsonExact } from './json';

/** Token counts as MLflow reports them (`mlflow.chat.tokenUsage`). */
export interface ITokenUsage {
  input: number;
  output: number;
  total: number;
}

/** True for a plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property; plain assignment of `__proto__` would swap the prototype. */
export function setOwn(
  target: Record<string, unknown>,
  key: string,
  value: unknown
): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true
    });
  } else {
    target[key] = value;
  }
}

/**
 * Decodes one attribute value: the parsed JSON when it is a string holding
 * valid JSON, else the value unchanged.
 *
 * #### Notes
 * Exactly one layer is decoded, as MLflow's own UI does: a value that decodes
 * to a string which itself looks like JSON is a string the user logged.
 */
export function decodeAttributeValue(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return parseJsonExact(value);
  } catch {
    return value;
  }
}

function pick(record: Record<string, unknown>, snake: string, camel: string) {
  return snake in record ? record[snake] : record[camel];
}

/**
 * Decodes an OTLP AnyValue (`{string_value}`, `{int_value}`, …, snake or
 * camel case). Only top-level strings are JSON-decoded, as MLflow encodes the
 * whole value, never the items of an array.
 */
export function decodeOtlpValue(value: unknown, topLevel = true): unknown {
  if (!isRecord(value)) {
    return value;
  }
  const str = pick(value, 'string_value', 'stringValue');
  if (str !== undefined) {
    return topLevel ? decodeAttributeValue(str) : str;
  }
  const int = pick(value, 'int_value', 'intValue');
  if (int !== undefined) {
    // proto3 JSON sends int64 as a string: beyond 2^53 it stays one, exact
    if (typeof int !== 'string') {
      return int;
    }
    const num = exactInteger(int.trim());
    return typeof num === 'string' || Number.isFinite(num) ? num : int;
  }
  const double = pick(value, 'double_value', 'doubleValue');
  if (double !== undefined) {
    return typeof double === 'string' ? Number(double) : double;
  }
  const bool = pick(value, 'bool_value', 'boolValue');
  if (bool !== undefined) {
    return bool;
  }
  const array = pick(value, 'array_value', 'arrayValue');
  if (array !== undefined) {
    const items = isRecord(array) ? array.values : undefined;
    return Array.isArray(items)
      ? items.map(item => decodeOtlpValue(item, false))
      : [];
  }
  const kvlist = pick(value, 'kvlist_value', 'kvlistValue');
  if (kvlist !== undefined) {
    return decodeKeyValues(isRecord(kvlist) ? kvlist.values : undefined, false);
  }
  const bytes = pick(value, 'bytes_value', 'bytesValue');
  return bytes !== undefined ? bytes : value;
}

function decodeKeyValues(
  list: unknown,
  topLevel: boolean
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) {
    return out;
  }
  for (const entry of list) {
    if (isRecord(entry) && typeof entry.key === 'string') {
      setOwn(out, entry.key, decodeOtlpValue(entry.value, topLevel));
    }
  }
  return out;
}

/** Decodes a span's attributes, given as an object or as an OTLP key/value list. */
export function decodeAttributes(raw: unknown): Record<string, unknown> {
  if (Array.isArray(raw)) {
    return decodeKeyValues(raw, true);
  }
  const out: Record<string, unknown> = {};
  if (isRecord(raw)) {
    for (const key of Object.keys(raw)) {
      setOwn(out, key, decodeAttributeValue(raw[key]));
    }
  }
  return out;
}

/**
 * One decoded attribute, without decoding the others (spans carry large
 * JSON-encoded inputs and outputs that most views never open).
 */
export function decodeAttribute(raw: unknown, key: string): unknown {
  if (isRecord(raw)) {
    return Object.prototype.hasOwnProperty.call(raw, key)
      ? decodeAttributeValue(raw[key])
      : undefined;
  }
  if (Array.isArray(raw)) {
    // The last entry of the key wins, as in decodeAttributes; only it is decoded
    for (let i = raw.length - 1; i >= 0; i--) {
      const entry: unknown = raw[i];
      if (isRecord(entry) && entry.key === key) {
        return decodeOtlpValue(entry.value, true);
      }
    }
  }
  return undefined;
}

function count(value: unknown): number | null {
  const num = typeof value === 'string' ? Number(value) : value;
  return typeof num === 'number' && Number.isFinite(num) ? num : null;
}

/**
 * Reads token usage from an object or a JSON string of one; null when it
 * reports no counts.
 */
export function parseTokenUsage(value: unknown): ITokenUsage | null {
  const usage = decodeAttributeValue(value);
  if (!isRecord(usage)) {
    return null;
  }
  const input = count(usage.input_tokens ?? usage.prompt_tokens);
  const output = count(usage.output_tokens ?? usage.completion_tokens);
  const total = count(usage.total_tokens);
  if (input === null && output === null && total === null) {
    return null;
  }
  return {
    input: input ?? 0,
    output: output ?? 0,
    total: total ?? (input ?? 0) + (output ?? 0)
  };
}
