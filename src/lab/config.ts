/**
 * The renderer's settings. A mime extension cannot load settings itself, so
 * the regular plugin (plugin.ts) fills this in, as JupyterLab's mermaid
 * extension does with its manager.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import type { IAuth } from '../client';

/** Settings from `schema/plugin.json`. */
export interface ITraceSettings {
  /** The tracking server to fetch from; '' when not configured. */
  trackingUri: string;
  /** Bearer token for `trackingUri` only; '' when unset. */
  trackingToken?: string;
  /** Basic-auth user for `trackingUri` only (wins over the token, as in MLflow). */
  trackingUsername?: string;
  /** Basic-auth password for `trackingUri` only. */
  trackingPassword?: string;
  /** Per answer of the tracking server, body included. */
  requestTimeoutSeconds?: number;
}

const DEFAULT_TIMEOUT_SECONDS = 30;

const DEFAULTS: ITraceSettings = {
  trackingUri: '',
  trackingToken: '',
  trackingUsername: '',
  trackingPassword: '',
  requestTimeoutSeconds: DEFAULT_TIMEOUT_SECONDS
};

let current: ITraceSettings = { ...DEFAULTS };
const loaded = new PromiseDelegate<void>();

// Settings normally load within a second of start-up; past this the renderer goes on without them.
const SETTINGS_WAIT_MS = 3000;

/** Called by the plugin whenever the settings load or change. */
export function updateSettings(settings: Partial<ITraceSettings>): void {
  current = { ...DEFAULTS, ...settings };
  loaded.resolve();
}

/** The settings, once loaded (or the defaults after a short wait). */
export async function getSettings(): Promise<ITraceSettings> {
  await Promise.race([
    loaded.promise,
    new Promise(resolve => setTimeout(resolve, SETTINGS_WAIT_MS))
  ]);
  return current;
}

/**
 * What is wrong with a `trackingUri` setting, naming the setting and its
 * value; undefined when it is empty or an http(s) URL with a host.
 *
 * #### Notes
 * The same rule as the `pattern` of `schema/plugin.json`. A user:password@
 * written into a bad value is not repeated.
 */
export function trackingUriProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed || originOf(trimmed) !== null) {
    return undefined;
  }
  const shown = trimmed.replace(/^([^/@]*:\/\/)?[^/@]*@/, '$1…@');
  const hint = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
    ? 'a URL starting with http:// or https://'
    : `a URL with its scheme, e.g. "http://${shown}"`;
  return (
    `The "trackingUri" setting (Settings › MLflow traces › Tracking server URI) is "${shown}", ` +
    `which is not an http(s) URL: write ${hint}. Until then no trace is fetched; embedded traces still show.`
  );
}

/**
 * The server to fetch from: the configured one, else the output's own
 * `tracking_uri` but only when the output is trusted (an untrusted notebook
 * must not make the browser call a server of its choosing). A bad setting
 * (see {@link trackingUriProblem}) names no server.
 */
export function resolveTrackingUri(
  settings: ITraceSettings,
  bundleTrackingUri: string | undefined,
  trusted: boolean
): string | undefined {
  if (settings.trackingUri.trim()) {
    return trackingUriProblem(settings.trackingUri)
      ? undefined
      : settings.trackingUri.trim();
  }
  return trusted ? bundleTrackingUri : undefined;
}

/** The origin of an http(s) URL with a host; null for anything else. */
function originOf(uri: string): string | null {
  try {
    const url = new URL(uri.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.hostname
      ? url.origin
      : null;
  } catch {
    return null;
  }
}

/**
 * The credentials to send to `fetchUri`: those of the settings, and only when
 * `fetchUri` has the same origin as the configured tracking server. A server
 * named by an output (even a trusted one) never gets them.
 */
export function resolveAuth(
  settings: ITraceSettings,
  fetchUri: string | undefined
): IAuth | undefined {
  if (!fetchUri) {
    return undefined;
  }
  const configured = originOf(settings.trackingUri);
  if (configured === null || originOf(fetchUri) !== configured) {
    return undefined;
  }
  const username = settings.trackingUsername ?? '';
  const password = settings.trackingPassword ?? '';
  if (username && password) {
    return { username, password };
  }
  const token = settings.trackingToken ?? '';
  return token ? { token } : undefined;
}

/** The per-request timeout of the settings, in ms (the default when unset or invalid). */
export function requestTimeoutMs(settings: ITraceSettings): number {
  const seconds = settings.requestTimeoutSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds * 1000
    : DEFAULT_TIMEOUT_SECONDS * 1000;
}

/** What the settings add to each request to `fetchUri`: credentials and a timeout. */
export function requestOptions(
  settings: ITraceSettings,
  fetchUri: string | undefined
): { auth: IAuth | undefined; timeoutMs: number } {
  return {
    auth: resolveAuth(settings, fetchUri),
    timeoutMs: requestTimeoutMs(settings)
  };
}
