/**
 * What hovering a span in the flame graph tells: name, type, duration,
 * self time, tokens, model and cost. Text only (trace content stays text).
 */
import { formatCount, formatDurationMs, ISpanNode } from '../../trace';
import { spanLlmTitle } from '../cost';

/** The lines of a hovered span's tooltip, name first. */
export function flameHoverLines(node: ISpanNode): string[] {
  const { span } = node;
  const usage = span.tokenUsage;
  return [
    span.name,
    `${span.spanType} · ${formatDurationMs(node.durationMs)} · self ${formatDurationMs(node.selfTimeMs)}`,
    usage
      ? `tokens ${formatCount(usage.input)} in · ${formatCount(usage.output)} out · ${formatCount(usage.total)} total`
      : '',
    ...(span.llm ? spanLlmTitle(span.llm).split('\n') : []),
    span.error
      ? `error${span.statusMessage ? `: ${span.statusMessage}` : ''}`
      : '',
    span.inProgress ? 'running' : ''
  ].filter(Boolean);
}

/** One line naming a span for the list of what is drawn. */
export function flameItemText(node: ISpanNode, match: boolean): string {
  const { span } = node;
  return [
    span.name,
    span.spanType,
    formatDurationMs(node.durationMs),
    span.error ? 'error' : '',
    match ? 'search match' : ''
  ]
    .filter(Boolean)
    .join(', ');
}
