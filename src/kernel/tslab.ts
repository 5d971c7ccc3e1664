/**
 * The bridge to the running tslab kernel: finds the kernel's own
 * `tslab/dist/jupyter.js`, sends whole display messages through it, and
 * holds each cell's reply until the displays it started are sent.
 *
 * #### Notes
 * `require('tslab')` from this package could load a second copy of tslab
 * (e.g. one in the notebook folder's node_modules) whose display throws
 * "Not ready". The kernel's copy is the one in `require.cache` whose
 * `lastWriteDisplayData` is set, else the one beside `require.main`.
 */
import * as path from 'path';
import { wellFormedJson } from './wellformed';

/** `{ data, metadata, transient }` of a display_data message. */
export interface IDisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** Sends one display message on behalf of the cell that was running. */
export type DisplayWriter = (content: IDisplayContent, update: boolean) => void;

interface IJupyterModule {
  lastWriteDisplayData: DisplayWriter | null;
  JupyterHandlerImpl?: {
    prototype: { handleExecuteImpl?: (...args: unknown[]) => Promise<unknown> };
  };
}

/** What one executing cell has started. */
export interface ICellScope {
  /** Increases by one per executed cell. */
  readonly index: number;
  /** Root spans that asked to be displayed in this cell. */
  displayed: number;
  /** Work to finish before the cell's reply is sent. */
  readonly pending: Set<Promise<unknown>>;
}

const PATCHED = Symbol.for('jupyterlab-mlflow-traces.tslab-patched');
const JUPYTER_RE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/** Longest wait for a cell's displays before its reply is sent anyway. */
export const DRAIN_TIMEOUT_MS = 30000;

let cellCounter = 0;
let currentCell: ICellScope | null = null;

/** Told when a cell's code is done; `failed` when it threw or was interrupted. */
export type CellEndListener = (scope: ICellScope, failed: boolean) => void;

const cellEndListeners = new Set<CellEndListener>();

/** Registers a listener for the end of each cell's code (before its reply waits). */
export function onCellEnd(listener: CellEndListener): void {
  cellEndListeners.add(listener);
}

function cellEnded(scope: ICellScope, failed: boolean): void {
  for (const listener of cellEndListeners) {
    try {
      listener(scope, failed);
    } catch (error) {
      // A listener's fault must not keep the cell's reply: said, not thrown.
      const message = error instanceof Error ? error.message : String(error);
      console.error(`mlflow-traces: at the end of a cell: ${message}`);
    }
  }
}

function cachedJupyterModules(): IJupyterModule[] {
  const found: IJupyterModule[] = [];
  for (const [file, entry] of Object.entries(require.cache)) {
    if (JUPYTER_RE.test(file) && entry?.exports) {
      found.push(entry.exports as IJupyterModule);
    }
  }
  return found;
}

function mainJupyterModule(): IJupyterModule | null {
  const main = require.main;
  if (!main) {
    return null;
  }
  if (/[\\/]tslab[\\/]dist[\\/]main\.js$/.test(main.filename)) {
    const file = path.join(path.dirname(main.filename), 'jupyter.js');
    const own = require.cache[file]?.exports as IJupyterModule | undefined;
    if (own) {
      return own;
    }
  }
  return null;
}

/**
 * The running kernel's jupyter module, or null outside a tslab kernel.
 */
export function findKernelJupyter(): IJupyterModule | null {
  const cached = cachedJupyterModules();
  const live = cached.find(m => typeof m.lastWriteDisplayData === 'function');
  return live ?? mainJupyterModule() ?? cached[0] ?? null;
}

/** True when this process is a tslab kernel. */
export function inKernel(): boolean {
  return findKernelJupyter() !== null;
}

/**
 * The writer of the cell running now; null outside a kernel execution.
 * Capture it synchronously: a later cell replaces it.
 */
export function currentDisplayWriter(): DisplayWriter | null {
  const writer = findKernelJupyter()?.lastWriteDisplayData;
  if (typeof writer !== 'function') {
    return null;
  }
  return (content, update) => writer(wellFormedJson(content), update);
}

/** The scope of the cell running now (a fresh one before the hook is in). */
export function currentCellScope(): ICellScope {
  if (currentCell === null) {
    currentCell = { index: ++cellCounter, displayed: 0, pending: new Set() };
  }
  return currentCell;
}

/** Tracks `work` so the current cell's reply waits for it. */
export function holdCell<T>(scope: ICellScope, work: Promise<T>): Promise<T> {
  scope.pending.add(work);
  const done = (): void => {
    scope.pending.delete(work);
  };
  work.then(done, done);
  return work;
}

async function drain(scope: ICellScope): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (scope.pending.size > 0 && Date.now() < deadline) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>(resolve => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    });
    await Promise.race([
      Promise.allSettled(Array.from(scope.pending)),
      timeout
    ]);
    clearTimeout(timer);
  }
}

/**
 * Wraps the kernel's `handleExecuteImpl` so that every cell gets its own
 * scope and its reply waits until the displays it started are sent.
 * Idempotent; returns false outside a tslab kernel.
 *
 * #### Notes
 * Takes effect from the next cell: the cell that loads this package is
 * already running, so its displays are sent without holding its reply.
 */
export function installCellHook(): boolean {
  const jupyter = findKernelJupyter();
  const proto = jupyter?.JupyterHandlerImpl?.prototype as
    | (Record<PropertyKey, unknown> & {
        handleExecuteImpl?: (...args: unknown[]) => Promise<unknown>;
      })
    | undefined;
  if (!proto || typeof proto.handleExecuteImpl !== 'function') {
    return false;
  }
  if (proto[PATCHED]) {
    return true;
  }
  const original = proto.handleExecuteImpl;
  proto.handleExecuteImpl = async function (
    this: unknown,
    ...args: unknown[]
  ): Promise<unknown> {
    const scope: ICellScope = {
      index: ++cellCounter,
      displayed: 0,
      pending: new Set()
    };
    currentCell = scope;
    let failed = false;
    try {
      return await original.apply(this, args);
    } catch (error) {
      // tslab throws when the cell failed: an exception or an interrupt.
      failed = true;
      throw error;
    } finally {
      cellEnded(scope, failed);
      await drain(scope);
    }
  };
  proto[PATCHED] = true;
  return true;
}
