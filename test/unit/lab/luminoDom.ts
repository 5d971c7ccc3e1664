/**
 * What Lumino's widgets read at import time and jsdom lacks: imported first
 * by the widget tests, as JupyterLab's own test utilities do.
 */
if (typeof (globalThis as { DragEvent?: unknown }).DragEvent === 'undefined') {
  (globalThis as { DragEvent?: unknown }).DragEvent = class DragEvent extends (
    MouseEvent
  ) {};
}
