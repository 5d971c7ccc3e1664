/**
 * The renderer's settings. A mime extension cannot load settings itself, so
 * the regular plugin (plugin.ts) fills this in, as JupyterLab's mermaid
 * extension does with its manager.
 */
import { PromiseDelegate } from '@lumino/coreutils';

/** Settings from `schema/plugin.json`. */
export interface ITraceSettings {
  /** The tracking server to fetch from; '' when not configured. */
  trackingUri: string;
}

const DEFAULTS: ITraceSettings = { trackingUri: '' };

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
 * The server to fetch from: the configured one, else the output's own
 * `tracking_uri` but only when the output is trusted (an untrusted notebook
 * must not make the browser call a server of its choosing).
 */
export function resolveTrackingUri(
  settings: ITraceSettings,
  bundleTrackingUri: string | undefined,
  trusted: boolean
): string | undefined {
  if (settings.trackingUri.trim()) {
    return settings.trackingUri.trim();
  }
  return trusted ? bundleTrackingUri : undefined;
}
