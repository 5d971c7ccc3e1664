/**
 * Span dict factories for the trace model tests. These build input shapes
 * by hand; they are not server recordings.
 */
import { ISpanDict, ITraceInfoV3 } from '../../../src/trace';

/** A realistic epoch (2026-11) so times exceed 2^53 ns as the server's do. */
export const BASE_NS = 1_795_464_932_477_000_000;

/** Unix ns for an offset in ms from BASE_NS. */
export function atMs(offsetMs: number): number {
  return BASE_NS + offsetMs * 1e6;
}

/** Options for makeSpan; ids are used verbatim as span ids. */
export interface IMakeSpanOptions {
  id: string;
  parent?: string | null;
  name?: string;
  startMs?: number;
  /** null: in progress. */
  endMs?: number | null;
  type?: string;
  status?: string;
  attributes?: Record<string, unknown>;
  events?: ISpanDict['events'];
}

/** An MLflow 3 span dict; attributes are JSON-encoded as MLflow writes them. */
export function makeSpan(options: IMakeSpanOptions): ISpanDict {
  const attributes: Record<string, unknown> = {};
  if (options.type !== undefined) {
    attributes['mlflow.spanType'] = JSON.stringify(options.type);
  }
  for (const [key, value] of Object.entries(options.attributes ?? {})) {
    attributes[key] = JSON.stringify(value);
  }
  const endMs = options.endMs === undefined ? 10 : options.endMs;
  return {
    trace_id: 'Fzp/l5Xz9Sr/QYhZIM2AWw==',
    span_id: options.id,
    parent_span_id: options.parent ?? null,
    name: options.name ?? options.id,
    start_time_unix_nano: atMs(options.startMs ?? 0),
    end_time_unix_nano: endMs === null ? null : atMs(endMs),
    status: { code: options.status ?? 'STATUS_CODE_OK', message: '' },
    attributes,
    events: options.events ?? [],
    links: []
  };
}

/** A TraceInfoV3 with the given fields over sensible defaults. */
export function makeInfo(fields: Partial<ITraceInfoV3> = {}): ITraceInfoV3 {
  return {
    trace_id: 'tr-173a7f9795f3f52aff41885920cd805b',
    request_time: '2026-11-23T20:15:32.477Z',
    execution_duration: '0.244s',
    state: 'OK',
    trace_metadata: {},
    tags: {},
    ...fields
  };
}

/** Span names in pre-order, with depth as leading dots (e.g. `root .a ..b`). */
export function outline(nodes: { span: { name: string }; depth: number }[]) {
  return nodes.map(n => '.'.repeat(n.depth) + n.span.name).join(' ');
}
