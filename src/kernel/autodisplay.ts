/**
 * Auto-display: each trace under the cell that made it. Live (the default),
 * it appears when its root span starts and is updated in place as spans
 * start and end; when the root ends, the trace as the server stored it takes
 * its place (also when not live), updated again when late spans follow.
 */
import { emit, report, traceContent } from './displaycontent';
import { finalWritten, finishLive, installLiveDisplay } from './livedisplay';
import { recordedOutput } from './liveoutput';
import {
  ITraceOutput,
  newOutput,
  outputOf,
  wasRefusedAtStart
} from './liveregistry';
import { ILateSpans, IRootEnded } from './processor';
import { onLateSpans, onRootEnded } from './session';
import { holdCell, installCellHook } from './tslab';

/** What one display cost, for the latency report. */
export interface IDisplayTiming {
  traceId: string;
  /** From the root span's end to the display message being sent. */
  latencyMs: number;
  /** UTF-8 bytes of the embedded trace JSON. */
  bundleBytes: number;
}

const timings: IDisplayTiming[] = [];
const MAX_TIMINGS = 1000;

/** Timings of the auto-displays so far (newest last). */
export function displayTimings(): IDisplayTiming[] {
  return timings.slice();
}

/**
 * The final output when the server's trace cannot be had: the trace as
 * recorded here, so a live output does not stay running. One stderr line.
 */
function displayRecorded(
  output: ITraceOutput,
  error: unknown,
  what: string
): void {
  if (output.interrupted) {
    // Cut off meanwhile: that update was the last.
    report(error, what);
    return;
  }
  output.live?.emitter.close();
  if (output.live === null || !output.shown) {
    report(error, what);
    finalWritten(output);
    return;
  }
  const { trace } = output.live;
  try {
    const { content } = recordedOutput(trace, output.displayId);
    output.writer(content, true);
  } catch (fault) {
    report(fault, `display trace ${trace.traceId} as recorded`);
  }
  finalWritten(output);
  const message = error instanceof Error ? error.message : String(error);
  const left =
    trace.evicted > 0
      ? ` (without the ${trace.evicted} spans that ended first)`
      : '';
  console.error(
    `mlflow-traces: could not ${what}: ${message}; ` +
      `its output shows the trace as this kernel recorded it${left}`
  );
}

async function displayRoot(
  event: IRootEnded,
  live: ITraceOutput,
  endedAtMs: number
): Promise<void> {
  try {
    await event.exported;
  } catch (error) {
    displayRecorded(
      live,
      error,
      `send trace ${event.traceId} to the tracking server`
    );
    return;
  }
  if (live.interrupted) {
    // Cut off meanwhile (its cell failed): that update was the last.
    return;
  }
  try {
    const { content, bundleBytes, warnings } = await traceContent(
      event.traceId,
      live.displayId
    );
    if (live.interrupted) {
      // Cut off meanwhile (its cell failed): that update was the last.
      return;
    }
    // The live updates stop here: nothing is sent after the final one.
    live.live?.emitter.close();
    emit(live.writer, content, warnings, live.shown);
    live.shown = true;
    finalWritten(live);
    timings.push({
      traceId: event.traceId,
      latencyMs: performance.now() - endedAtMs,
      bundleBytes
    });
    if (timings.length > MAX_TIMINGS) {
      timings.shift();
    }
  } catch (error) {
    displayRecorded(live, error, `display trace ${event.traceId}`);
  }
}

/** Sends the trace again, late spans included, in place of its output. */
async function updateLive(
  event: ILateSpans,
  live: ITraceOutput
): Promise<void> {
  try {
    await event.exported;
  } catch (error) {
    report(error, `send late spans of trace ${event.traceId}`);
    return;
  }
  try {
    const { content, warnings } = await traceContent(
      event.traceId,
      live.displayId
    );
    if (live.interrupted) {
      return;
    }
    // Warnings were printed with the first display.
    emit(live.writer, content, live.shown ? [] : warnings, live.shown);
    live.shown = true;
  } catch (error) {
    report(error, `update the display of trace ${event.traceId}`);
  }
}

function onLate(event: ILateSpans): void {
  const live = outputOf(event.traceId);
  if (!live || live.interrupted) {
    event.exported.catch(error =>
      report(error, `send late spans of trace ${event.traceId}`)
    );
    return;
  }
  live.last = live.last.then(() => updateLive(event, live));
  void holdCell(live.scope, live.last);
}

let lastTraceId: string | null = null;

/** The id of the trace whose root span ended last, or null. */
export function getLastTraceId(): string | null {
  return lastTraceId;
}

function onRoot(event: IRootEnded): void {
  lastTraceId = event.traceId;
  const output = outputOf(event.traceId);
  if (output?.live) {
    try {
      finishLive(event, output, displayRoot);
    } catch (error) {
      // Called as the root span ends: never into the user's code.
      report(error, `finish the live display of trace ${event.traceId}`);
    }
    return;
  }
  if (wasRefusedAtStart(event.traceId) || !startDisplay(event)) {
    // Not displayed: a trace the server never got is still said, not lost.
    event.exported.catch(error =>
      report(error, `send trace ${event.traceId} to the tracking server`)
    );
  }
}

/** Displays the trace under the cell running now; false when it will not. */
function startDisplay(event: IRootEnded): boolean {
  const endedAtMs = performance.now();
  const display = newOutput(event.traceId);
  if (display === null) {
    return false;
  }
  display.last = displayRoot(event, display, endedAtMs);
  void holdCell(display.scope, display.last);
  return true;
}

let installed = false;

/** Turns auto-display on: hooks the kernel and listens for root spans. */
export function installAutoDisplay(): void {
  if (installed) {
    return;
  }
  installed = true;
  installCellHook();
  onRootEnded(onRoot);
  onLateSpans(onLate);
  installLiveDisplay();
}
