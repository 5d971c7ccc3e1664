/**
 * Checks that a DOM subtree is inert: no element that runs script or loads a
 * resource, no event-handler attribute, no URL attribute other than http(s).
 * Returns the problems found (empty = inert).
 */
const ACTIVE_TAGS = new Set([
  'script',
  'iframe',
  'frame',
  'object',
  'embed',
  'img',
  'video',
  'audio',
  'source',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'textarea',
  'math',
  'svg:script',
  'foreignobject',
  'animate',
  'set',
  'use',
  'image',
  'marquee',
  'details',
  'noscript',
  'template',
  'frameset',
  'applet'
]);
const URL_ATTRS = [
  'href',
  'src',
  'xlink:href',
  'action',
  'formaction',
  'srcdoc',
  'data',
  'poster',
  'background'
];

export function inertProblems(
  root: Element,
  allowTags: string[] = []
): string[] {
  const problems: string[] = [];
  const all = [root, ...Array.from(root.querySelectorAll('*'))];
  for (const el of all) {
    const tag = el.tagName.toLowerCase();
    if (ACTIVE_TAGS.has(tag) && !allowTags.includes(tag)) {
      problems.push(`<${tag}> element`);
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) {
        problems.push(`<${tag} ${name}=…> event handler`);
      }
      if (
        URL_ATTRS.includes(name) &&
        !/^https?:\/\//i.test(attr.value.trim())
      ) {
        problems.push(
          `<${tag} ${name}="${attr.value.slice(0, 60)}"> non-http URL`
        );
      }
      if (
        name === 'style' &&
        /url\(|expression\(|javascript:/i.test(attr.value)
      ) {
        problems.push(`<${tag} style="${attr.value.slice(0, 60)}"> active CSS`);
      }
    }
  }
  return problems;
}
