/**
 * Per-trace figures for headers, lists and the text fallbacks.
 */
import { isRecord, ITokenUsage, parseTokenUsage } from './attributes';
import { ICost, spanModels, sumSpanCosts, traceMetadataCost } from './cost';
import { toMlflowTraceId } from './ids';
import { ITrace } from './tree';
import { TraceState } from './wire';

/** Derived figures of one trace. */
export interface ITraceSummary {
  /** `tr-…` id: the info's, else built from the spans' OTel trace id; '' if neither. */
  traceId: string;
  /** Tag `mlflow.traceName`, else the first root span's name. */
  name: string;
  state: TraceState;
  spanCount: number;
  errorCount: number;
  /** Trace metadata `mlflow.trace.tokenUsage`, else the sum over spans; null if none. */
  tokenUsage: ITokenUsage | null;
  /**
   * USD: trace metadata `mlflow.trace.cost`, else the spans' costs summed as
   * MLflow sums them; null if neither, or if the metadata is malformed.
   */
  cost: ICost | null;
  /** Why the metadata's cost could not be read; '' when it could or is absent. */
  costNote: string;
  /** The models the spans name (`mlflow.llm.model`), each once, in tree order. */
  models: string[];
  /** Root spans' extent, else the info's `execution_duration`; null if neither. */
  durationMs: number | null;
  /** Unix ms: earliest root start, else the info's `request_time`; null if neither. */
  startMs: number | null;
}

/** Milliseconds from a protobuf Duration string such as "0.244s"; null if malformed. */
export function parseDurationMs(value: unknown): number | null {
  if (typeof value !== 'string') {
    return null;
  }
  const match = /^\s*(-?\d+(?:\.\d+)?)s\s*$/.exec(value);
  return match ? Number(match[1]) * 1000 : null;
}

function sumTokenUsage(trace: ITrace): ITokenUsage | null {
  // MLflow sums every span that reports usage, parents and children alike
  let total: ITokenUsage | null = null;
  for (const span of trace.spans) {
    if (span.tokenUsage !== null) {
      total = total ?? { input: 0, output: 0, total: 0 };
      total.input += span.tokenUsage.input;
      total.output += span.tokenUsage.output;
      total.total += span.tokenUsage.total;
    }
  }
  return total;
}

function deriveState(trace: ITrace): TraceState {
  if (trace.spans.length === 0) {
    return 'STATE_UNSPECIFIED';
  }
  if (trace.roots.some(node => node.span.error)) {
    return 'ERROR';
  }
  return trace.spans.some(span => span.inProgress) ? 'IN_PROGRESS' : 'OK';
}

function spanTraceId(trace: ITrace): string {
  const raw = trace.spans.find(span => span.traceId !== null)?.traceId;
  return raw ? toMlflowTraceId(raw) : '';
}

function rootExtentMs(
  trace: ITrace
): { startMs: number; endMs: number } | null {
  if (trace.roots.length === 0) {
    return null;
  }
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const root of trace.roots) {
    const rootStartMs = root.span.startNs / 1e6;
    startMs = Math.min(startMs, rootStartMs);
    endMs = Math.max(endMs, rootStartMs + root.durationMs);
  }
  return { startMs, endMs };
}

/** Summarises a built trace. */
export function summarizeTrace(trace: ITrace): ITraceSummary {
  const info = trace.info;
  const metaUsage = parseTokenUsage(
    info?.trace_metadata?.['mlflow.trace.tokenUsage']
  );
  const metaCost = traceMetadataCost(info?.trace_metadata);
  const extent = rootExtentMs(trace);
  // Info fields come from untrusted outputs: only strings are used as text.
  const str = (value: unknown) => (typeof value === 'string' ? value : '');
  const requestTime = str(info?.request_time);
  const requestMs = requestTime ? Date.parse(requestTime) : NaN;
  const tags = info?.tags;
  const tagName = str(isRecord(tags) ? tags['mlflow.traceName'] : undefined);
  const infoState = str(info?.state) as TraceState | '';
  return {
    traceId: str(info?.trace_id) || spanTraceId(trace),
    name: tagName || (trace.roots[0]?.span.name ?? ''),
    state:
      infoState && infoState !== 'STATE_UNSPECIFIED'
        ? infoState
        : deriveState(trace),
    spanCount: trace.spans.length,
    errorCount: trace.spans.filter(span => span.error).length,
    tokenUsage: metaUsage ?? sumTokenUsage(trace),
    cost:
      metaCost === null
        ? sumSpanCosts(trace.nodesInOrder)
        : 'cost' in metaCost
          ? metaCost.cost
          : null,
    costNote: metaCost && 'note' in metaCost ? metaCost.note : '',
    models: spanModels(trace.nodesInOrder),
    durationMs: extent
      ? extent.endMs - extent.startMs
      : parseDurationMs(info?.execution_duration),
    startMs: extent
      ? extent.startMs
      : Number.isFinite(requestMs)
        ? requestMs
        : null
  };
}
