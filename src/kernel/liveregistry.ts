/**
 * The trace outputs auto-display made: one per trace, under the cell that
 * made it, counted against the cell's cap, and found again by trace id for
 * its updates. At most MAX_OUTPUTS are kept, finished ones let go first.
 */
import { LiveEmitter } from './liveemitter';
import { ILiveTrace } from './liveprocessor';
import {
  currentConfig,
  DEFAULT_MAX_TRACES_PER_CELL,
  IConfiguration
} from './session';
import {
  currentCellScope,
  currentDisplayWriter,
  DisplayWriter,
  ICellScope
} from './tslab';

/** An auto-displayed trace's output, updated in place. */
export interface ITraceOutput {
  writer: DisplayWriter;
  /** The output's display id, for update_display_data. */
  displayId: string;
  /** The cell that made the trace: its reply waits for updates while it runs. */
  scope: ICellScope;
  /** True once the first display was sent. */
  shown: boolean;
  /** The output's last message: updates are sent in order, after it. */
  last: Promise<void>;
  /**
   * Set when shown from the root's start: the running trace and its pacing;
   * null again once its last update was written (its spans let go).
   */
  live: { trace: ILiveTrace; emitter: LiveEmitter } | null;
  /** True once an interrupted final update was sent: nothing follows it. */
  interrupted: boolean;
  /** True once its final update (the server's trace, as recorded, or interrupted) was written. */
  finished: boolean;
}

/** Outputs that updates may still reach, newest last. */
const outputs = new Map<string, ITraceOutput>();
/** Outputs kept for their updates. */
export const MAX_OUTPUTS = 100;
let outputCount = 0;

/** The output of a trace, if it has one still. */
export function outputOf(traceId: string): ITraceOutput | undefined {
  return outputs.get(traceId);
}

/** The outputs made under `scope`. */
export function outputsOfCell(scope: ICellScope): ITraceOutput[] {
  return Array.from(outputs.values()).filter(o => o.scope === scope);
}

/** Counts an output in the cell; false past the cell's cap (said once). */
function countInCell(
  scope: ICellScope,
  config: IConfiguration | null
): boolean {
  const max = config?.maxTracesPerCell ?? DEFAULT_MAX_TRACES_PER_CELL;
  scope.displayed += 1;
  if (scope.displayed > max) {
    if (scope.displayed === max + 1) {
      console.log(
        `mlflow-traces: more than ${max} traces in this cell; ` +
          'use show() to display the others'
      );
    }
    return false;
  }
  return true;
}

/** A new output under the cell running now, or null when there is none to make. */
export function newOutput(traceId: string): ITraceOutput | null {
  const config = currentConfig();
  if (config !== null && !config.autoDisplay) {
    return null;
  }
  const writer = currentDisplayWriter();
  if (writer === null) {
    return null;
  }
  const scope = currentCellScope();
  if (!countInCell(scope, config)) {
    return null;
  }
  const output: ITraceOutput = {
    writer,
    displayId: `mlflow-trace-${++outputCount}-${traceId}`,
    scope,
    shown: false,
    last: Promise.resolve(),
    live: null,
    interrupted: false,
    finished: false
  };
  outputs.set(traceId, output);
  if (outputs.size > MAX_OUTPUTS) {
    evictOne();
  }
  return output;
}

/** Lets go of the oldest finished output; of the oldest one if none finished. */
function evictOne(): void {
  let victim: string | undefined;
  for (const [traceId, output] of outputs) {
    if (output.finished) {
      victim = traceId;
      break;
    }
  }
  victim ??= outputs.keys().next().value as string;
  outputs.get(victim)?.live?.emitter.close();
  outputs.delete(victim);
}

// Traces whose output was decided, and refused, when their root started.
const refusedAtStart = new Set<string>();
const MAX_REFUSED = 10000;

/** Notes that a trace got no output at its root's start. */
export function refuseAtStart(traceId: string): void {
  refusedAtStart.add(traceId);
  if (refusedAtStart.size > MAX_REFUSED) {
    refusedAtStart.delete(refusedAtStart.values().next().value as string);
  }
}

/** True (once) when a trace got no output at its root's start. */
export function wasRefusedAtStart(traceId: string): boolean {
  return refusedAtStart.delete(traceId);
}
