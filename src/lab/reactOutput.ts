/**
 * The base of our output widgets: a Lumino widget that renders one React
 * element inside an error boundary, keeps notebook shortcuts quiet while it
 * has focus, and unmounts React on detach and on dispose.
 */
import { createElement, ReactElement } from 'react';
import { createRoot, Root } from 'react-dom/client';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { CSS } from '../view/classes';
import { ErrorBoundary, ViewFailure } from '../view/ErrorBoundary';

/** A widget whose content is `content()`, re-rendered by `render()` or `update()`. */
export abstract class ReactOutputWidget extends Widget {
  constructor() {
    super();
    this.addClass(CSS.root);
    // Keys typed in the search box or the tree must not run notebook shortcuts.
    // Lumino honours the attribute only on nodes nearer the focused element than
    // the shortcut's selector match, and the notebook's selector matches the
    // focused element itself, so every element that takes focus carries it.
    this.node.dataset.lmSuppressShortcuts = 'true';
    this.node.addEventListener('focusin', event => {
      (event.target as HTMLElement).dataset.lmSuppressShortcuts = 'true';
    });
  }

  /** Unmount React. */
  dispose(): void {
    if (!this.isDisposed) {
      this._unmount();
      super.dispose();
    }
  }

  /** What to show now; null while there is nothing yet. */
  protected abstract content(): ReactElement | null;

  /** What a failed view is replaced by: the output's trace ids and text/plain. */
  protected setFailureContext(
    model: IRenderMime.IMimeModel,
    traceIds: readonly string[]
  ): void {
    this._traceIds = traceIds;
    this._fallbackText = Private.plainText(model);
  }

  /** The output's text/plain, as the failure view shows it. */
  protected get fallbackText(): string | undefined {
    return this._fallbackText;
  }

  /** Render `content()` into the node; a view that throws shows its failure instead. */
  protected render(): void {
    if (this.isDisposed) {
      return;
    }
    let element: ReactElement | null;
    try {
      element = this.content();
    } catch (error) {
      element = createElement(ViewFailure, {
        error,
        traceIds: this._traceIds,
        fallbackText: this._fallbackText
      });
    }
    if (!element) {
      return;
    }
    this._root ??= createRoot(this.node);
    this._root.render(
      createElement(
        ErrorBoundary,
        {
          traceIds: this._traceIds,
          fallbackText: this._fallbackText,
          resetKey: ++this._renders
        },
        element
      )
    );
  }

  protected onUpdateRequest(): void {
    this.render();
  }

  protected onAfterAttach(): void {
    this.render();
  }

  protected onBeforeDetach(): void {
    // A detached widget would otherwise keep its React tree mounted.
    this._unmount();
  }

  private _unmount(): void {
    this._root?.unmount();
    this._root = null;
  }

  private _root: Root | null = null;
  private _renders = 0;
  private _traceIds: readonly string[] = [];
  private _fallbackText: string | undefined;
}

namespace Private {
  /** The output's text/plain, whether stored as one string or as lines. */
  export function plainText(model: IRenderMime.IMimeModel): string | undefined {
    const raw: unknown = model.data['text/plain'];
    if (typeof raw === 'string') {
      return raw;
    }
    return Array.isArray(raw) && raw.every(line => typeof line === 'string')
      ? raw.join('')
      : undefined;
  }
}
