/**
 * The one URL rule for links and tracking URIs: absolute http(s), nothing
 * hidden in it, and never credentials (they would end up in a notebook).
 */
import { isRecord } from './attributes';
import { encodeUriComponentSafe } from './wellformed';

/** True when the text holds whitespace or a control character. */
function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || /\s/.test(text[i])) {
      return true;
    }
  }
  return false;
}

/** The parsed URL when the text is an absolute http(s) URL with a host and no whitespace; else null. */
function parseHttpUrl(text: string): URL | null {
  // No whitespace or control characters anywhere, so nothing can be smuggled
  if (!/^https?:\/\/[^\s/?#]+/i.test(text) || hasControlChar(text)) {
    return null;
  }
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The URL without trailing slashes when it is an absolute http(s) URL
 * without credentials; else null (javascript:, data:, `user:pw@`, …).
 */
export function safeHttpUrl(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  const text = value.trim();
  const url = parseHttpUrl(text);
  if (url === null || url.username !== '' || url.password !== '') {
    return null;
  }
  return text.replace(/\/+$/, '');
}

/**
 * An http(s) URL with any `user:password@` removed, for writing a tracking
 * URI down; `credentials` says whether some were removed. Null when the
 * value is not an http(s) URL at all.
 */
export function withoutCredentials(
  value: string
): { url: string; credentials: boolean } | null {
  const url = parseHttpUrl(value.trim());
  if (url === null) {
    return null;
  }
  const credentials = url.username !== '' || url.password !== '';
  url.username = '';
  url.password = '';
  const clean = safeHttpUrl(credentials ? url.href : value);
  return clean === null ? null : { url: clean, credentials };
}

/** The experiment id of a TraceInfoV3's MLflow location, if it names one. */
function experimentIdOf(info: unknown): string | null {
  const location = isRecord(info) ? info.trace_location : undefined;
  const experiment = isRecord(location)
    ? location.mlflow_experiment
    : undefined;
  const id = isRecord(experiment) ? experiment.experiment_id : undefined;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * The MLflow UI page of a trace, or null without an http(s) tracking URI,
 * an experiment id in `info`, or a trace id.
 *
 * #### Notes
 * The experiment's Traces tab with the trace's details drawer open: the
 * route MLflow's own UI links a trace with (3.17.2). The older
 * `#/experiments/{id}?selectedTraceId=` now lands on the overview page.
 */
export function mlflowTraceUiUrl(
  trackingUri: unknown,
  traceId: string,
  info: unknown
): string | null {
  const base = safeHttpUrl(trackingUri);
  const experimentId = experimentIdOf(info);
  if (base === null || experimentId === null || !traceId) {
    return null;
  }
  return (
    `${base}/#/experiments/${encodeUriComponentSafe(experimentId)}/traces` +
    `?selectedEvaluationId=${encodeUriComponentSafe(traceId)}`
  );
}
