/**
 * Auto-display: each trace under the cell that made it, shown once its root
 * span's trace was sent, and updated in place when late spans follow.
 */
import { emit, report, traceContent } from './displaycontent';
import { ILateSpans, IRootEnded } from './processor';
import {
  currentConfig,
  DEFAULT_MAX_TRACES_PER_CELL,
  onLateSpans,
  onRootEnded
} from './session';
import {
  currentCellScope,
  currentDisplayWriter,
  DisplayWriter,
  holdCell,
  ICellScope,
  installCellHook
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
}

/** Auto-displays that late spans may still update, newest last. */
const liveDisplays = new Map<string, ILiveDisplay>();
const MAX_LIVE_DISPLAYS = 100;
let displayCount = 0;

async function displayRoot(
  event: IRootEnded,
  live: ILiveDisplay,
  endedAtMs: number
): Promise<void> {
  try {
    await event.exported;
  } catch (error) {
    report(error, `send trace ${event.traceId} to the tracking server`);
    return;
  }
  try {
    const { content, bundleBytes, warnings } = await traceContent(
      event.traceId,
      live.displayId
    );
    emit(live.writer, content, warnings);
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
    report(error, `display trace ${event.traceId}`);
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
  if (!live) {
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
  if (!startDisplay(event)) {
    // Not displayed: a trace the server never got is still said, not lost.
    event.exported.catch(error =>
      report(error, `send trace ${event.traceId} to the tracking server`)
    );
  }
}

/** Displays the trace under the cell running now; false when it will not. */
function startDisplay(event: IRootEnded): boolean {
  const endedAtMs = performance.now();
  const config = currentConfig();
  if (config !== null && !config.autoDisplay) {
    return false;
  }
  const writer = currentDisplayWriter();
  if (writer === null) {
    return false;
  }
  const scope = currentCellScope();
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
  const live: ILiveDisplay = {
    writer,
    displayId: `mlflow-trace-${++displayCount}-${event.traceId}`,
    scope,
    shown: false,
    last: Promise.resolve()
  };
  liveDisplays.set(event.traceId, live);
  if (liveDisplays.size > MAX_LIVE_DISPLAYS) {
    liveDisplays.delete(liveDisplays.keys().next().value as string);
  }
  live.last = displayRoot(event, live, endedAtMs);
  void holdCell(scope, live.last);
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
}
