/**
 * A static text/html fallback parsed as a browser parses it, and checked
 * inert: only the writer's own tags, one constant style sheet, http(s)
 * links. Shared by the XSS specs of traces and of conversations.
 */
import { inertProblems } from './inert';

/** Parse HTML as the browser does (no script runs in a template). */
export function parse(html: string): HTMLElement {
  const template = document.createElement('template');
  template.innerHTML = html;
  const div = document.createElement('div');
  div.appendChild(template.content.cloneNode(true));
  return div;
}

const FALLBACK_TAGS = new Set([
  'div',
  'p',
  'ul',
  'li',
  'span',
  'strong',
  'code',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'a',
  'style',
  'details',
  'summary'
]);

const SVG_NS = 'http://www.w3.org/2000/svg';
const HTML_NS = 'http://www.w3.org/1999/xhtml';

/**
 * The trace summary's inline SVG charts (src/bundle/summaryfallback.ts,
 * SvgTag and SvgAttribute): closed sets, allowed in the SVG namespace only.
 */
export const FALLBACK_SVG_TAGS: ReadonlySet<string> = new Set([
  'svg',
  'g',
  'rect',
  'polyline',
  'circle',
  'text',
  'title'
]);
export const FALLBACK_SVG_ATTRIBUTES: ReadonlySet<string> = new Set([
  'xmlns',
  'width',
  'height',
  'viewBox',
  'role',
  'aria-label',
  'x',
  'y',
  'cx',
  'cy',
  'r',
  'fill',
  'stroke',
  'stroke-width',
  'points',
  'font-size',
  'text-anchor'
]);

/** Elements and SVG attributes outside the writers' closed sets. */
function foreignMarkup(root: HTMLElement): string[] {
  const found = new Set<string>();
  for (const el of Array.from(root.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    if (el.namespaceURI === SVG_NS) {
      if (!FALLBACK_SVG_TAGS.has(el.tagName)) {
        found.add(`<svg:${el.tagName}>`);
      }
      for (const attr of Array.from(el.attributes)) {
        if (!FALLBACK_SVG_ATTRIBUTES.has(attr.name)) {
          found.add(`<svg:${el.tagName} ${attr.name}>`);
        }
      }
    } else if (el.namespaceURI !== HTML_NS || !FALLBACK_TAGS.has(tag)) {
      found.add(tag);
    }
  }
  return [...found];
}

export function checkFallback(html: string): void {
  const root = parse(html);
  expect(inertProblems(root, ['details'])).toEqual([]);
  expect(foreignMarkup(root)).toEqual([]);
  // Exactly one <style>, the writer's own, and no payload inside it.
  const styles = Array.from(root.querySelectorAll('style'));
  expect(styles.length).toBeLessThanOrEqual(1);
  for (const style of styles) {
    expect(style.textContent).not.toMatch(/evil|xss|url\(/i);
  }
  for (const a of Array.from(root.querySelectorAll('a'))) {
    expect(a.getAttribute('href')).toMatch(/^https?:\/\//);
  }
}
