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

export function checkFallback(html: string): void {
  const root = parse(html);
  expect(inertProblems(root, ['details'])).toEqual([]);
  const tags = new Set(
    Array.from(root.querySelectorAll('*')).map(e => e.tagName.toLowerCase())
  );
  expect([...tags].filter(t => !FALLBACK_TAGS.has(t))).toEqual([]);
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
