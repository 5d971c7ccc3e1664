/**
 * The timeline strip's markup grammar (src/bundle/timelinesvg.ts), for
 * specs that check a trace fallback tag by tag: every opening tag of the
 * strip is one of four shapes whose attributes are numbers or constants,
 * so no trace content can reach an attribute.
 */

/** The opening tags the strip writes, each whole. */
export const TIMELINE_STRIP_TAG = new RegExp(
  [
    '^<svg xmlns="http://www\\.w3\\.org/2000/svg" width="640" height="\\d+" ' +
      'viewBox="0 0 640 \\d+" role="img" ' +
      'aria-label="Timeline of the spans, the critical path underlined">$',
    '^<text x="\\d+" y="\\d+" font-size="10" fill="currentColor">$',
    '^<rect x="\\d+" y="\\d+" width="\\d+" height="\\d+" fill="(#[0-9a-f]{6}|currentColor)">$',
    '^<title>$'
  ].join('|')
);

/**
 * `html` with each timeline strip cut out, after checking every opening tag
 * inside it against TIMELINE_STRIP_TAG (throws on any other).
 */
export function withoutTimelineStrips(html: string): string {
  return html.replace(/<svg[^>]*>[\s\S]*?<\/svg>/g, strip => {
    for (const tag of strip.match(/<[a-zA-Z][^>]*>/g) ?? []) {
      if (!TIMELINE_STRIP_TAG.test(tag)) {
        throw new Error(`not a timeline strip tag: ${tag}`);
      }
    }
    return '';
  });
}
