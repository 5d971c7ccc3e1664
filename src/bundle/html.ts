/**
 * A minimal escaping HTML writer for the static text/html fallbacks.
 *
 * #### Notes
 * Text and attribute values are always escaped. Tags and attribute names
 * come from fixed lists, so no event handler or script can be written; the
 * only link target allowed is an http(s) URL; the only style sheet is
 * FALLBACK_CSS, which holds no user content.
 */
import { safeHttpUrl } from '../trace';

/** Elements the fallbacks use. */
export type FallbackTag =
  | 'div'
  | 'p'
  | 'ul'
  | 'li'
  | 'span'
  | 'strong'
  | 'code'
  | 'table'
  | 'thead'
  | 'tbody'
  | 'tr'
  | 'th'
  | 'td'
  | 'details'
  | 'summary';

/** Attributes the fallbacks use; `href` goes through `link()` only. */
export interface IFallbackAttributes {
  class?: string;
  title?: string;
}

/** CSS class names of the fallbacks. */
export const FALLBACK_CLASS = {
  root: 'jp-MlflowTraceFallback',
  trace: 'jp-MlflowTraceFallback-trace',
  header: 'jp-MlflowTraceFallback-header',
  note: 'jp-MlflowTraceFallback-note',
  problems: 'jp-MlflowTraceFallback-problems',
  tree: 'jp-MlflowTraceFallback-tree',
  type: 'jp-MlflowTraceFallback-type',
  name: 'jp-MlflowTraceFallback-name',
  duration: 'jp-MlflowTraceFallback-duration',
  status: 'jp-MlflowTraceFallback-status',
  message: 'jp-MlflowTraceFallback-message',
  more: 'jp-MlflowTraceFallback-more',
  table: 'jp-MlflowTraceFallback-table',
  chats: 'jp-MlflowTraceFallback-chats',
  chat: 'jp-MlflowTraceFallback-chat',
  side: 'jp-MlflowTraceFallback-side',
  messages: 'jp-MlflowTraceFallback-messages',
  chatMessage: 'jp-MlflowTraceFallback-chatMessage',
  role: 'jp-MlflowTraceFallback-role',
  part: 'jp-MlflowTraceFallback-part',
  assessments: 'jp-MlflowTraceFallback-assessments',
  assessment: 'jp-MlflowTraceFallback-assessment',
  value: 'jp-MlflowTraceFallback-value',
  error: 'jp-mod-error'
} as const;

/** The fallbacks' only style sheet: constant, with theme variables where JupyterLab has them. */
export const FALLBACK_CSS = [
  `.${FALLBACK_CLASS.root}{font-family:var(--jp-ui-font-family,sans-serif);font-size:13px}`,
  `.${FALLBACK_CLASS.header}{font-weight:600;margin:4px 0}`,
  `.${FALLBACK_CLASS.tree},.${FALLBACK_CLASS.tree} ul{list-style:none;margin:0;padding-left:16px}`,
  `.${FALLBACK_CLASS.type}{font-size:11px;opacity:.7}`,
  `.${FALLBACK_CLASS.duration},.${FALLBACK_CLASS.note},.${FALLBACK_CLASS.more}{opacity:.7}`,
  `.${FALLBACK_CLASS.error}{color:var(--jp-error-color1,#d32f2f)}`,
  `.${FALLBACK_CLASS.table} td,.${FALLBACK_CLASS.table} th{padding:2px 8px;text-align:left}`,
  `.${FALLBACK_CLASS.chat}{margin:8px 0 0 16px}`,
  `.${FALLBACK_CLASS.side}{margin:4px 0;opacity:.7}`,
  `.${FALLBACK_CLASS.messages}{list-style:none;margin:0;padding-left:16px}`,
  `.${FALLBACK_CLASS.chatMessage}{margin:4px 0}`,
  `.${FALLBACK_CLASS.part}{white-space:pre-wrap;overflow-wrap:anywhere;margin-left:16px}`
].join('');

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
};

/** Escapes & < > " ' for use in HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => ESCAPES[char]);
}

function attributes(attrs: IFallbackAttributes | undefined): string {
  let out = '';
  if (attrs?.class !== undefined) {
    out += ` class="${escapeHtml(attrs.class)}"`;
  }
  if (attrs?.title !== undefined) {
    out += ` title="${escapeHtml(attrs.title)}"`;
  }
  return out;
}

/** Writes well-formed, escaped HTML; `toString()` closes what is still open. */
export class HtmlWriter {
  /** Number of elements still open. */
  get depth(): number {
    return this._open.length;
  }

  /** Opens an element. */
  open(tag: FallbackTag, attrs?: IFallbackAttributes): this {
    this._parts.push(`<${tag}${attributes(attrs)}>`);
    this._open.push(tag);
    return this;
  }

  /** Closes the innermost open element. */
  close(): this {
    const tag = this._open.pop();
    if (tag !== undefined) {
      this._parts.push(`</${tag}>`);
    }
    return this;
  }

  /** Closes elements until only `depth` remain open. */
  closeTo(depth: number): this {
    while (this._open.length > Math.max(0, depth)) {
      this.close();
    }
    return this;
  }

  /** Writes escaped text. */
  text(text: string): this {
    this._parts.push(escapeHtml(text));
    return this;
  }

  /** Writes an element holding only escaped text. */
  element(
    tag: FallbackTag,
    attrs: IFallbackAttributes | undefined,
    text: string
  ): this {
    return this.open(tag, attrs).text(text).close();
  }

  /** Writes a link that opens in a new tab; plain text unless `url` is http(s). */
  link(url: string | null, text: string): this {
    const href = url === null ? null : safeHttpUrl(url);
    if (href === null) {
      return this.text(text);
    }
    this._parts.push(
      `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">`
    );
    return this.text(text).raw('</a>');
  }

  /** Writes the constant FALLBACK_CSS style sheet. */
  styleSheet(): this {
    return this.raw(`<style>${FALLBACK_CSS}</style>`);
  }

  /** The HTML written so far, with every open element closed. */
  toString(): string {
    this.closeTo(0);
    return this._parts.join('');
  }

  /** Writes markup as it is: only for constant markup or markup built of escaped parts. */
  protected raw(html: string): this {
    this._parts.push(html);
    return this;
  }

  private _parts: string[] = [];
  /** The open elements, innermost last (a subclass may open its own closed set). */
  protected _open: string[] = [];
}
