/**
 * Page-token bookkeeping for walks over search results: a token that comes
 * back after it was read means the server's paging goes round in a cycle.
 */
import { IErrorContext, PageTokenCycleError } from './errors';

/** The tokens of one paging walk, in the order they were read. */
export class PageTokenTrail {
  /** A trail that reports a cycle with `context` (the server and operation). */
  constructor(context: IErrorContext) {
    this._context = context;
  }

  /**
   * Records the token of the page about to be read; throws
   * PageTokenCycleError, naming the cycle, when it was read before.
   */
  visit(token: string): void {
    const first = this._indexOf.get(token);
    if (first !== undefined) {
      throw new PageTokenCycleError(
        [...this._order.slice(first), token],
        this._context
      );
    }
    this._indexOf.set(token, this._order.length);
    this._order.push(token);
  }

  private _context: IErrorContext;
  private _indexOf = new Map<string, number>();
  private _order: string[] = [];
}
