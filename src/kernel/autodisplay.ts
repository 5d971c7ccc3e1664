/**
 * Auto-display: each trace under the cell that made it. Live (the default),
 * it appears when its root span starts and is updated in place as spans
 * start and end; when the root ends, the trace as the server stored it takes
 * its place (also when not live), updated again when late spans follow.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { LIVE_MAX_SNAPSHOT_BYTES, LIVE_UPDATE_EVERY_MS } from '../bundle';
import { emit, report, traceContent } from './displaycontent';
import { LiveEmitter } from './liveemitter';
import {
  interruptedOutput,
  liveOutput,
  openSpanCount,
  recordedOutput
} from './liveoutput';
import { ILiveTrace } from './liveprocessor';
import { hrTimeNs } from './livespans';
import { ILateSpans, IRootEnded } from './processor';
import {
  currentConfig,
  DEFAULT_MAX_TRACES_PER_CELL,
  getLiveProcessor,
  IConfiguration,
  onLateSpans,
  onRootEnded
} from './session';
import {
  currentCellScope,
  currentDisplayWriter,
  DisplayWriter,
  holdCell,
  ICellScope,
  inKernel,
  installCellHook,
  onCellEnd
} from './tslab';

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

/** An auto-displayed trace, whose output late spans update in place. */
interface ILiveDisplay {
  writer: DisplayWriter;
  /** The output's display id, for update_display_data. */
  displayId: string;
  /** The cell that made the trace: its reply waits for updates while it runs. */
  scope: ICellScope;
  /** True once the first display was sent. */
  shown: boolean;
  /** The display's last message: updates are sent in order, after it. */
  last: Promise<void>;
  /** Set when shown from the root's start: the running trace and its pacing. */
  live: { trace: ILiveTrace; emitter: LiveEmitter } | null;
  /** True once an interrupted final update was sent: nothing follows it. */
  interrupted: boolean;
}

/** Auto-displays that late spans may still update, newest last. */
const liveDisplays = new Map<string, ILiveDisplay>();
const MAX_LIVE_DISPLAYS = 100;
let displayCount = 0;

// Traces whose display was decided (and refused) when their root started.
const refusedAtStart = new Set<string>();
const MAX_REFUSED = 10000;

/** The final output when the server's trace cannot be had: as recorded here. */
function displayRecorded(
  live: ILiveDisplay,
  error: unknown,
  what: string
): void {
  report(error, what);
  live.live?.emitter.close();
  if (live.live === null || !live.shown) {
    return;
  }
  try {
    const { content } = recordedOutput(live.live.trace, live.displayId);
    live.writer(content, true);
    const omitted = live.live.trace.evicted;
    if (omitted > 0) {
      console.error(
        `mlflow-traces: the output of trace ${live.live.trace.traceId} shows the spans ` +
          `this kernel recorded, without the ${omitted} that ended first`
      );
    }
  } catch (fault) {
    report(fault, `display trace ${live.live.trace.traceId} as recorded`);
  }
}

async function displayRoot(
  event: IRootEnded,
  live: ILiveDisplay,
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
  try {
    const { content, bundleBytes, warnings } = await traceContent(
      event.traceId,
      live.displayId
    );
    // The live updates stop here: nothing is sent after the final one.
    live.live?.emitter.close();
    emit(live.writer, content, warnings, live.shown);
    live.shown = true;
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
  live: ILiveDisplay
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
    // Warnings were printed with the first display.
    emit(live.writer, content, live.shown ? [] : warnings, live.shown);
    live.shown = true;
  } catch (error) {
    report(error, `update the display of trace ${event.traceId}`);
  }
}

function onLate(event: ILateSpans): void {
  const live = liveDisplays.get(event.traceId);
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
  const display = liveDisplays.get(event.traceId);
  if (display?.live) {
    finishLive(event, display);
    return;
  }
  if (refusedAtStart.delete(event.traceId) || !startDisplay(event)) {
    // Not displayed: a trace the server never got is still said, not lost.
    event.exported.catch(error =>
      report(error, `send trace ${event.traceId} to the tracking server`)
    );
  }
}

/** Counts a display in the cell; false past the cell's cap (said once). */
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
function newDisplay(traceId: string): ILiveDisplay | null {
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
  const display: ILiveDisplay = {
    writer,
    displayId: `mlflow-trace-${++displayCount}-${traceId}`,
    scope,
    shown: false,
    last: Promise.resolve(),
    live: null,
    interrupted: false
  };
  liveDisplays.set(traceId, display);
  if (liveDisplays.size > MAX_LIVE_DISPLAYS) {
    const oldest = liveDisplays.keys().next().value as string;
    liveDisplays.get(oldest)?.live?.emitter.close();
    liveDisplays.delete(oldest);
  }
  return display;
}

/** Displays the trace under the cell running now; false when it will not. */
function startDisplay(event: IRootEnded): boolean {
  const endedAtMs = performance.now();
  const display = newDisplay(event.traceId);
  if (display === null) {
    return false;
  }
  display.last = displayRoot(event, display, endedAtMs);
  void holdCell(display.scope, display.last);
  return true;
}

/** A running update of `display`, measured, to be sent by its emitter. */
function runningUpdate(
  display: ILiveDisplay,
  trace: ILiveTrace,
  sequence: number
) {
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
      display.displayId,
      maxBytes
    );
  let built = build(LIVE_UPDATE_EVERY_MS);
  return {
    bytes: built.bytes,
    write(updateEveryMs: number): void {
      if (updateEveryMs !== LIVE_UPDATE_EVERY_MS) {
        built = build(updateEveryMs);
      }
      display.writer(built.content, display.shown);
      display.shown = true;
    }
  };
}

/** At a local root's start: shows its trace live under the cell running now. */
function startLive(trace: ILiveTrace): boolean {
  const display = newDisplay(trace.traceId);
  if (display === null) {
    refusedAtStart.add(trace.traceId);
    if (refusedAtStart.size > MAX_REFUSED) {
      refusedAtStart.delete(refusedAtStart.values().next().value as string);
    }
    return false;
  }
  const emitter = new LiveEmitter({
    build: sequence => runningUpdate(display, trace, sequence),
    fail: error =>
      report(error, `update the live display of trace ${trace.traceId}`)
  });
  display.live = { trace, emitter };
  trace.onChange = () => emitter.touch();
  trace.onDropped = () => emitter.close();
  // After the code that started the root has set its inputs.
  queueMicrotask(() => emitter.touch());
  return true;
}

/** Sends the final, interrupted update of a live display. */
function interrupt(display: ILiveDisplay, atNs: number, reason?: string): void {
  const live = display.live as { trace: ILiveTrace; emitter: LiveEmitter };
  live.emitter.close();
  display.interrupted = true;
  getLiveProcessor().take(live.trace.otelTraceId);
  try {
    const { content } = interruptedOutput(
      live.trace,
      live.emitter.sequence + 1,
      display.displayId,
      atNs,
      reason
    );
    display.writer(content, display.shown);
    display.shown = true;
  } catch (error) {
    report(error, `display the interrupted trace ${live.trace.traceId}`);
  }
}

/** The root of a live trace ended: its final update. */
function finishLive(event: IRootEnded, display: ILiveDisplay): void {
  const live = display.live as { trace: ILiveTrace; emitter: LiveEmitter };
  if (display.interrupted) {
    event.exported.catch(error =>
      report(error, `send trace ${event.traceId} to the tracking server`)
    );
    return;
  }
  const root = event.root;
  const threw =
    root.status.code === SpanStatusCode.ERROR &&
    root.events.some(e => e.name === 'exception');
  if (threw && openSpanCount(live.trace) > 0) {
    // An exception escaped the root while spans were still open: cut off.
    interrupt(display, Number(hrTimeNs(root.endTime)), root.status.message);
    event.exported.catch(error =>
      report(error, `send trace ${event.traceId} to the tracking server`)
    );
    return;
  }
  getLiveProcessor().take(live.trace.otelTraceId);
  if (display.shown) {
    // Shows the ended root and keeps the heartbeat until the server's trace comes.
    live.emitter.touch();
  } else {
    // Ended before its first update: shown once, as the server stored it.
    live.emitter.close();
  }
  const endedAtMs = performance.now();
  display.last = display.last.then(() =>
    displayRoot(event, display, endedAtMs)
  );
  void holdCell(display.scope, display.last);
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
  for (const display of Array.from(liveDisplays.values())) {
    if (
      display.scope === scope &&
      display.live !== null &&
      !display.interrupted &&
      !display.live.trace.root.ended
    ) {
      interrupt(display, Date.now() * 1e6, reason);
    }
  }
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
  getLiveProcessor().setRootHandler(startLive);
  onCellEnd(onCellFailed);
  if (inKernel()) {
    // tslab has its own SIGINT handler (it stops awaiting the cell); this
    // one only notes which cell was interrupted.
    process.on('SIGINT', () => {
      interruptedCell = currentCellScope();
    });
  }
}
