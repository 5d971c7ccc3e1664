/**
 * Span log levels (`mlflow.spanLogLevel`) and the level filter of a tree
 * view, as MLflow 3.17.2 records and filters them. Pure.
 *
 * #### Notes
 * MLflow's SDK stamps every span it ends with a level: the one the user set
 * (`log_level=`), ERROR after an `exception` event, else a default by span
 * type (INFO for the user-visible operations, DEBUG for glue). Spans written
 * before MLflow 3.13, or by other OpenTelemetry writers, carry none: they get
 * the same default here, marked `explicit: false`. (MLflow's UI treats them
 * as DEBUG; the default by type is what MLflow would have recorded.)
 */
import { ISpan } from './span';
import { ISpanNode, ITrace } from './tree';

/** The span attribute holding the level. */
export const SPAN_LOG_LEVEL_KEY = 'mlflow.spanLogLevel';

/** The named levels, lowest first, with MLflow's numbers (Python's logging numbers). */
export const LOG_LEVELS = [
  { level: 10, name: 'DEBUG' },
  { level: 20, name: 'INFO' },
  { level: 30, name: 'WARNING' },
  { level: 40, name: 'ERROR' },
  { level: 50, name: 'CRITICAL' }
] as const;

/** A level's name. */
export type LogLevelName = (typeof LOG_LEVELS)[number]['name'];

/** The level of one span. */
export interface ISpanLogLevel {
  /** The number recorded (any finite number), or the default's. */
  level: number;
  /** The named level at or just below `level` (DEBUG below 10). */
  name: LogLevelName;
  /** False when the span records no readable level and the default applies. */
  explicit: boolean;
}

/** Span types MLflow defaults to INFO; every other type defaults to DEBUG. */
const INFO_SPAN_TYPES: ReadonlySet<string> = new Set([
  'LLM',
  'CHAT_MODEL',
  'TOOL',
  'RETRIEVER',
  'AGENT',
  'EMBEDDING'
]);

const LEVEL_BY_NAME: ReadonlyMap<string, number> = new Map(
  LOG_LEVELS.map(({ level, name }) => [name, level])
);

/** The named level at or just below `level`; DEBUG below 10. */
export function logLevelName(level: number): LogLevelName {
  let name: LogLevelName = 'DEBUG';
  for (const named of LOG_LEVELS) {
    if (level >= named.level) {
      name = named.name;
    }
  }
  return name;
}

/**
 * The level MLflow's SDK gives a span that sets none: ERROR after an
 * exception event, INFO for model, tool, retriever, agent and embedding
 * spans, DEBUG otherwise.
 */
export function defaultLogLevel(
  spanType: string,
  hasException: boolean
): number {
  if (hasException) {
    return 40;
  }
  return INFO_SPAN_TYPES.has(spanType) ? 20 : 10;
}

/** A level as a number, from a finite number, a level name (any case) or a numeric string; else null. */
export function logLevelNumber(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : null;
  }
  if (typeof value !== 'string' || value.length > 32) {
    return null;
  }
  const text = value.trim();
  const named = LEVEL_BY_NAME.get(text.toUpperCase());
  if (named !== undefined) {
    return named;
  }
  // A numeric string: a value encoded once more than MLflow does
  if (!/^-?\d+(\.\d+)?$/.test(text)) {
    return null;
  }
  return Number(text);
}

/**
 * The log level of a span: the recorded one when readable, else MLflow's
 * default for its type. Never throws; strings, NaN or objects get the default.
 */
export function spanLogLevel(span: ISpan): ISpanLogLevel {
  const recorded = logLevelNumber(span.attribute(SPAN_LOG_LEVEL_KEY));
  if (recorded !== null) {
    return { level: recorded, name: logLevelName(recorded), explicit: true };
  }
  const level = defaultLogLevel(
    span.spanType,
    span.events.some(event => event.isException)
  );
  return { level, name: logLevelName(level), explicit: false };
}

/** One choice of the level filter. */
export interface ILogLevelChoice {
  /** The minimum level shown; 0 shows every span. */
  minLevel: number;
  label: string;
}

/** The level filter's choices, as MLflow's UI offers its minimum level. */
export const LOG_LEVEL_CHOICES: readonly ILogLevelChoice[] = [
  { minLevel: 0, label: 'All levels' },
  { minLevel: 20, label: 'INFO and above' },
  { minLevel: 30, label: 'WARNING and above' },
  { minLevel: 40, label: 'ERROR and above' },
  { minLevel: 50, label: 'CRITICAL only' }
];

/** True when a filter at `minLevel` hides nothing that has a level. */
function showsEverything(minLevel: number): boolean {
  return !(minLevel > 10);
}

const keptCache = new WeakMap<ITrace, Map<number, ReadonlySet<string>>>();

/**
 * Ids of the spans a filter at `minLevel` keeps: spans at or above it, failed
 * spans, and every ancestor of a kept span (so the rows stay a tree).
 *
 * #### Notes
 * MLflow's UI has the same two rules on by default ("Show all parent spans",
 * "Show exceptions"). Linear and without recursion: `nodesInOrder` is a
 * pre-order walk (guaranteed by `buildTrace`), so walking it backwards sees
 * every child before its parent. Memoized per trace and level.
 */
export function spanIdsAtLevel(
  trace: ITrace,
  minLevel: number
): ReadonlySet<string> {
  let byLevel = keptCache.get(trace);
  const cached = byLevel?.get(minLevel);
  if (cached) {
    return cached;
  }
  const kept = new Set<string>();
  const nodes = trace.nodesInOrder;
  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index];
    const id = node.span.spanId;
    if (
      kept.has(id) ||
      node.span.error ||
      showsEverything(minLevel) ||
      spanLogLevel(node.span).level >= minLevel
    ) {
      kept.add(id);
      if (node.parent) {
        kept.add(node.parent.span.spanId);
      }
    }
  }
  if (!byLevel) {
    byLevel = new Map();
    keptCache.set(trace, byLevel);
  }
  byLevel.set(minLevel, kept);
  return kept;
}

/**
 * A row predicate for a filter at `minLevel`, or undefined when the filter
 * keeps every span (so callers skip filtering).
 */
export function logLevelKeep(
  trace: ITrace,
  minLevel: number
): ((node: ISpanNode) => boolean) | undefined {
  if (showsEverything(minLevel)) {
    return undefined;
  }
  const kept = spanIdsAtLevel(trace, minLevel);
  return node => kept.has(node.span.spanId);
}

/** The rows a filter at `minLevel` keeps, in their order (the same array when it keeps all). */
export function filterRowsAtLevel(
  trace: ITrace,
  rows: readonly ISpanNode[],
  minLevel: number
): readonly ISpanNode[] {
  const keep = logLevelKeep(trace, minLevel);
  return keep ? rows.filter(keep) : rows;
}

/** How many spans of the trace a filter at `minLevel` hides. */
export function hiddenAtLevel(trace: ITrace, minLevel: number): number {
  return showsEverything(minLevel)
    ? 0
    : trace.nodesInOrder.length - spanIdsAtLevel(trace, minLevel).size;
}
