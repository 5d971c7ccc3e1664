/**
 * Live outputs: a trace's output appears when its root starts and is
 * updated in place as its spans start and end; its last update is the
 * server's trace, or, when it was cut off, the trace as recorded here,
 * marked interrupted. Cut off means: its cell failed (an exception or a
 * kernel interrupt) while the root was open or after the root ended with
 * an error; or the root ended with an error while other spans were open.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  IOPUB_ENVELOPE_BYTES,
  ITraceBundle,
  LIVE_MAX_SNAPSHOT_BYTES,
  LIVE_UPDATE_EVERY_MS,
  TRACE_MIME_TYPE
} from '../bundle';
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
  IDisplayContent,
  inKernel,
  onCellEnd
} from './tslab';

// Kept here too for lib/node readers (the bench).
export { IOPUB_ENVELOPE_BYTES };

/** Sends the server's trace as the output's final update. */
export type FinalDisplay = (
  event: IRootEnded,
  output: ITraceOutput,
  endedAtMs: number
) => Promise<void>;

// The cells that ended: true when it failed. Absent while one runs.
const endedCells = new WeakMap<ICellScope, boolean>();

// Room in a running update for a longer `update_every_ms` than it was built with.
const EVERY_RESERVE_BYTES = 8;

/** Sets the `update_every_ms` of a built running update. */
function setUpdateEvery(content: IDisplayContent, every: number): void {
  const bundle = content.data[TRACE_MIME_TYPE] as ITraceBundle;
  const live = bundle.traces[0]?.live;
  if (live !== undefined) {
    live.update_every_ms = every;
  }
}

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
  const built = liveOutput(
    trace,
    {
      status: 'running',
      updated_unix_ms: Date.now(),
      update_every_ms: LIVE_UPDATE_EVERY_MS,
      sequence
    },
    output.displayId,
    maxBytes - EVERY_RESERVE_BYTES
  );
  return {
    // The rate rule counts what iopub carries: the content and its envelope.
    bytes: built.bytes + EVERY_RESERVE_BYTES + IOPUB_ENVELOPE_BYTES,
    write(updateEveryMs: number): void {
      // Set in place: the snapshot left room for the digits.
      setUpdateEvery(built.content, updateEveryMs);
      output.writer(built.content, output.shown);
      output.shown = true;
    }
  };
}

/** At a local root's start: shows its trace live under the cell running now. */
function startLive(trace: ILiveTrace): boolean {
  if (endedCells.has(currentCellScope())) {
    // Started after the last cell ended (a background task): shown when its
    // root ends, as when not live, never kept updating with no cell running.
    return false;
  }
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

/** The root's exception as "Type: message" (its `exception` event), else its status message. */
export function exceptionReason(root: ReadableSpan): string | undefined {
  const event = root.events.find(e => e.name === 'exception');
  const parts = [
    event?.attributes?.['exception.type'],
    event?.attributes?.['exception.message']
  ].filter(part => part !== undefined && part !== '');
  if (parts.length > 0) {
    return parts.map(String).join(': ');
  }
  return root.status.message || undefined;
}

function endedWithError(root: ReadableSpan): boolean {
  return root.ended && root.status.code === SpanStatusCode.ERROR;
}

/**
 * The output's last update was written: drops the live trace's spans once
 * no interrupted update can follow (the cell ended, or the root did not
 * end with an error). The output stays, for late spans' updates.
 */
export function finalWritten(output: ITraceOutput): void {
  output.finished = true;
  const live = output.live;
  if (
    live !== null &&
    (output.interrupted ||
      endedCells.has(output.scope) ||
      !endedWithError(live.trace.root))
  ) {
    live.emitter.close();
    output.live = null;
  }
}

/** Sends the final, interrupted update of a live output. */
function interrupt(
  output: ITraceOutput,
  atNs: number,
  reason: string | undefined
): void {
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
  finalWritten(output);
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
  if (endedWithError(root) && openSpanCount(live.trace) > 0) {
    // Ended with an error while spans were still open: they are cut off.
    interrupt(output, Number(hrTimeNs(root.endTime)), exceptionReason(root));
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

/**
 * At a cell's end. Failed (an exception or an interrupt): its traces whose
 * root is open, or ended with an error, are cut off (the latter even if its
 * final update went out already). Succeeded: a trace still running (a
 * leaked or background root) gets no more updates (its output then says
 * it stopped updating) until its root ends, whose final update it gets.
 */
function onCellEnded(scope: ICellScope, failed: boolean): void {
  endedCells.set(scope, failed);
  const reason =
    interruptedCell === scope
      ? 'KeyboardInterrupt'
      : 'the cell stopped while the trace was running';
  for (const output of outputsOfCell(scope)) {
    const live = output.live;
    if (live === null || output.interrupted) {
      continue;
    }
    const root = live.trace.root;
    if (failed && !root.ended) {
      interrupt(output, Date.now() * 1e6, reason);
    } else if (failed && endedWithError(root)) {
      interrupt(output, Number(hrTimeNs(root.endTime)), exceptionReason(root));
    } else if (!root.ended) {
      live.emitter.close();
    } else if (output.finished) {
      finalWritten(output);
    }
  }
}

/** Starts live outputs: the live processor's root handler and the cell hooks. */
export function installLiveDisplay(): void {
  getLiveProcessor().setRootHandler(startLive);
  onCellEnd(onCellEnded);
  if (inKernel()) {
    // tslab's own SIGINT handler stops awaiting the cell (the cell then
    // fails); this one only notes which cell was interrupted. While a cell's
    // synchronous code runs, Node gives SIGINT to the vm instead.
    process.on('SIGINT', () => {
      interruptedCell = currentCellScope();
    });
  }
}
