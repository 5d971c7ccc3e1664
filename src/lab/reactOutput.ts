/**
 * The base of our output widgets: a Lumino widget that renders one React
 * element, keeps notebook shortcuts quiet while it has focus, and unmounts
 * React on detach and on dispose.
 */
import { ReactElement } from 'react';
import { createRoot, Root } from 'react-dom/client';
import { Widget } from '@lumino/widgets';
import { CSS } from '../view/classes';

/** A widget whose content is `content()`, re-rendered by `render()`. */
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

  /** Render `content()` into the node. */
  protected render(): void {
    const element = this.isDisposed ? null : this.content();
    if (!element) {
      return;
    }
    this._root ??= createRoot(this.node);
    this._root.render(element);
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
}
