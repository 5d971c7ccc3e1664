/**
 * The `live` object of a trace entry: its reader (a malformed one is left
 * out with a warning naming the field, and the trace shows as not live).
 * The Python twin is `_live_wire.py`; the warnings are the same words.
 */
import { isRecord } from '../trace';
import { IWireLive } from './types';
import { describeType, ellipsize } from './util';

/** The statuses a live trace may have. */
export const LIVE_STATUSES: readonly IWireLive['status'][] = [
  'running',
  'interrupted'
];

/** A value as a warning shows it: a number as written, a string quoted, else its kind. */
function shown(value: unknown): string {
  if (typeof value === 'number') {
    return String(value);
  }
  return typeof value === 'string'
    ? JSON.stringify(ellipsize(value, 40))
    : describeType(value);
}

/** An integer field at least `min`; a problem (without the field's path) otherwise. */
function integerProblem(
  value: unknown,
  min: number,
  required: boolean
): string | null {
  if (value === undefined) {
    return required ? 'is missing' : null;
  }
  const ok =
    typeof value === 'number' && Number.isInteger(value) && value >= min;
  return ok ? null : `is not an integer >= ${min} (got ${shown(value)})`;
}

/** The first problem of a live object, as `[field, problem]`, or null. */
function firstProblem(raw: Record<string, unknown>): [string, string] | null {
  if (!LIVE_STATUSES.includes(raw.status as IWireLive['status'])) {
    const got = raw.status === undefined ? 'missing' : shown(raw.status);
    return ['status', `is not "running" or "interrupted" (got ${got})`];
  }
  const interrupted = raw.status === 'interrupted';
  const integers: [keyof IWireLive, number, boolean][] = [
    ['updated_unix_ms', 0, true],
    ['update_every_ms', 1, true],
    ['sequence', 1, true],
    ['spans_omitted', 0, false],
    ['interrupted_at_unix_nano', 0, interrupted]
  ];
  for (const [field, min, required] of integers) {
    const problem = integerProblem(raw[field], min, required);
    if (problem !== null) {
      return [field, problem];
    }
  }
  if (raw.reason !== undefined && typeof raw.reason !== 'string') {
    return ['reason', `is not a string (got ${shown(raw.reason)})`];
  }
  return null;
}

/**
 * The `live` of an entry at `path` (e.g. `traces[0].live`), or undefined
 * with a warning naming the bad field: the trace then shows as not live.
 * Fields this reader does not know are left out.
 */
export function readLive(
  raw: unknown,
  path: string,
  warnings: string[]
): IWireLive | undefined {
  if (raw === undefined) {
    return undefined;
  }
  if (!isRecord(raw)) {
    warnings.push(
      `${path} is not an object and is ignored (got ${describeType(raw)})`
    );
    return undefined;
  }
  const problem = firstProblem(raw);
  if (problem !== null) {
    warnings.push(
      `${path}.${problem[0]} ${problem[1]}; the trace is shown as not live`
    );
    return undefined;
  }
  const live: IWireLive = {
    status: raw.status as IWireLive['status'],
    updated_unix_ms: raw.updated_unix_ms as number,
    update_every_ms: raw.update_every_ms as number,
    sequence: raw.sequence as number
  };
  for (const field of [
    'spans_omitted',
    'interrupted_at_unix_nano',
    'reason'
  ] as const) {
    if (raw[field] !== undefined) {
      (live as unknown as Record<string, unknown>)[field] = raw[field];
    }
  }
  return live;
}
