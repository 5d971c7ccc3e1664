/**
 * Live outputs: a trace's output appears when its root starts and is
 * updated in place as its spans start and end; its last update is the
 * server's trace, or, when it was cut off (an exception escaping the root
 * with spans open, a failed or interrupted cell), the trace as recorded
 * here, marked interrupted.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { LIVE_MAX_SNAPSHOT_BYTES, LIVE_UPDATE_EVERY_MS } from '../bundle';
import { report } from './displaycontent';
import { ILiveUpdate, LiveEmitter } from './liveemitter';
import { interruptedOutput, liveOutput, openSpanCount } from './liveoutput';
import { ILiveTrace } from './liveprocessor';
import { hrTimeNs } from './livespans';
import {
  ITraceOutput,
  newOutput,
  outputsOfCell,
  refuseAtStart
} from './liveregistry';
import { IRootEnded } from './processor';
import { currentConfig, getLiveProcessor } from './session';
import {
  currentCellScope,
  holdCell,
  ICellScope,
  inKernel,
  onCellEnd
} from './tslab';

/**
 * Bytes of a Jupyter message besides its content (header, parent header,
 * metadata, HMAC signature, ZMQ frames): about 0.5 KiB from tslab, rounded up.
 */
export const IOPUB_ENVELOPE_BYTES = 1024;

/** Sends the server's trace as the output's final update. */
export type FinalDisplay = (
  event: IRootEnded,
  output: ITraceOutput,
  endedAtMs: number
) => Promise<void>;

/** A running update of `output`, measured, for its emitter to send. */
function runningUpdate(
  output: ITraceOutput,
  trace: ILiveTrace,
  sequence: number
): ILiveUpdate {
  const maxBytes = Math.min(
    LIVE_MAX_SNAPSHOT_BYTES,
    currentConfig()?.maxBytes ?? LIVE_MAX_SNAPSHOT_BYTES
  );
  const build = (updateEveryMs: number) =>
    liveOutput(
      trace,
      {
        status: 'running',
        updated_unix_ms: Date.now(),
        update_every_ms: updateEveryMs,
        sequence
      },
      output.displayId,
      maxBytes
    );
  let built = build(LIVE_UPDATE_EVERY_MS);
  return {
    // The rate rule counts what iopub carries: the content and its envelope.
    bytes: built.bytes + IOPUB_ENVELOPE_BYTES,
    write(updateEveryMs: number): void {
      if (updateEveryMs !== LIVE_UPDATE_EVERY_MS) {
        built = build(updateEveryMs);
      }
      output.writer(built.content, output.shown);
      output.shown = true;
    }
  };
}

/** At a local root's start: shows its trace live under the cell running now. */
function startLive(trace: ILiveTrace): boolean {
  const output = newOutput(trace.traceId);
  if (output === null) {
    refuseAtStart(trace.traceId);
    return false;
  }
  const emitter = new LiveEmitter({
    build: sequence => runningUpdate(output, trace, sequence),
    fail: error =>
      report(error, `update the live display of trace ${trace.traceId}`)
  });
  output.live = { trace, emitter };
  trace.onChange = () => emitter.touch();
  trace.onDropped = () => emitter.close();
  // After the code that started the root has set its inputs.
  queueMicrotask(() => emitter.touch());
  return true;
}

/** Sends the final, interrupted update of a live output. */
function interrupt(output: ITraceOutput, atNs: number, reason: string): void {
  const live = output.live as { trace: ILiveTrace; emitter: LiveEmitter };
  live.emitter.close();
  output.interrupted = true;
  getLiveProcessor().take(live.trace.otelTraceId);
  try {
    const { content } = interruptedOutput(
      live.trace,
      live.emitter.sequence + 1,
      output.displayId,
      atNs,
      reason
    );
    output.writer(content, output.shown);
    output.shown = true;
  } catch (error) {
    report(error, `display the interrupted trace ${live.trace.traceId}`);
  }
}

function reportUnsent(event: IRootEnded): void {
  event.exported.catch(error =>
    report(error, `send trace ${event.traceId} to the tracking server`)
  );
}

/** The root of a live trace ended: its final update, by `final` unless cut off. */
export function finishLive(
  event: IRootEnded,
  output: ITraceOutput,
  final: FinalDisplay
): void {
  const live = output.live as { trace: ILiveTrace; emitter: LiveEmitter };
  if (output.interrupted) {
    reportUnsent(event);
    return;
  }
  const root = event.root;
  const threw =
    root.status.code === SpanStatusCode.ERROR &&
    root.events.some(e => e.name === 'exception');
  if (threw && openSpanCount(live.trace) > 0) {
    // An exception escaped the root while spans were still open: cut off.
    const atNs = Number(hrTimeNs(root.endTime));
    interrupt(output, atNs, root.status.message ?? 'an exception');
    reportUnsent(event);
    return;
  }
  getLiveProcessor().take(live.trace.otelTraceId);
  if (output.shown) {
    // Shows the ended root, with the heartbeat, until the server's trace comes.
    live.emitter.touch();
  } else {
    // Ended before its first update: shown once, as the server stored it.
    live.emitter.close();
  }
  const endedAtMs = performance.now();
  output.last = output.last.then(() => final(event, output, endedAtMs));
  void holdCell(output.scope, output.last);
}

// The cell the last SIGINT (a kernel interrupt) arrived in.
let interruptedCell: ICellScope | null = null;

/** A cell that failed (an exception or an interrupt) cuts off its running traces. */
function onCellFailed(scope: ICellScope, failed: boolean): void {
  if (!failed) {
    return;
  }
  const reason =
    interruptedCell === scope
      ? 'KeyboardInterrupt'
      : 'the cell stopped while the trace was running';
  for (const output of outputsOfCell(scope)) {
    if (
      output.live !== null &&
      !output.interrupted &&
      !output.live.trace.root.ended
    ) {
      interrupt(output, Date.now() * 1e6, reason);
    }
  }
}

/** Starts live outputs: the live processor's root handler and the cell hooks. */
export function installLiveDisplay(): void {
  getLiveProcessor().setRootHandler(startLive);
  onCellEnd(onCellFailed);
  if (inKernel()) {
    // tslab's own SIGINT handler stops awaiting the cell (the cell then
    // fails); this one only notes which cell was interrupted. While a cell's
    // synchronous code runs, Node gives SIGINT to the vm instead.
    process.on('SIGINT', () => {
      interruptedCell = currentCellScope();
    });
  }
}
