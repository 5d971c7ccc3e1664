/**
 * The renderer's settings. A mime extension cannot load settings itself, so
 * the regular plugin (plugin.ts) fills this in, as JupyterLab's mermaid
 * extension does with its manager.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import type { IAuth } from '../client';

/** How the browser reaches the tracking server (the `connection` setting). */
export type Connection = 'jupyter-server' | 'direct';

/** Settings from `schema/plugin.json`. */
export interface ITraceSettings {
  /** The tracking server to fetch from; '' when not configured. */
  trackingUri: string;
  /** Through the Jupyter server's extension (default), or straight from the browser. */
  connection?: Connection;
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
  connection: 'jupyter-server',
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
 * The server the browser fetches from itself ("direct", or a `trackingUri`
 * setting; see {@link resolveRoute}): the configured one, else the output's own
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

/** What the Jupyter server's `mlflow-traces/config` answered. */
export interface IServerConfig {
  /** The server's MLFLOW_TRACKING_URI without credentials; null when it has none. */
  trackingUri: string | null;
  /** Why the server forwards nothing; null when it forwards. */
  problem: string | null;
  /**
   * The Jupyter user's name: who labels written through the server are by
   * (JupyterHub's user behind a hub); null from a server extension too old to say.
   */
  user: string | null;
}

/** The server extension's answer, or why there is none (e.g. a 404: not installed). */
export type ServerConfigAnswer =
  { config: IServerConfig } | { missing: string };

/** Where the requests of one output go, and what the output says about it. */
export type Route =
  | {
      /** Through `{base_url}mlflow-traces/proxy/` of the Jupyter server. */
      via: 'jupyter-server';
      /** The tracking server the Jupyter server forwards to (for messages and UI links). */
      trackingUri: string;
      notes: string[];
    }
  | {
      /** From the browser to `trackingUri`, with `auth`. */
      via: 'direct';
      trackingUri: string;
      auth: IAuth | undefined;
      notes: string[];
    }
  | {
      /** Nothing is fetched; `problem` says why (embedded traces still show). */
      via: 'none';
      problem: string;
      notes: string[];
    };

const CONNECTION_HINT =
  'set the "connection" setting (Settings › MLflow traces) to "direct" to fetch from the browser';

/** The connection of the settings; anything but "direct" is the default. */
export function connectionOf(settings: ITraceSettings): Connection {
  return settings.connection === 'direct' ? 'direct' : 'jupyter-server';
}

/** True when the route depends on the Jupyter server's answer (ask it first). */
export function needsServerConfig(settings: ITraceSettings): boolean {
  return (
    connectionOf(settings) === 'jupyter-server' && !settings.trackingUri.trim()
  );
}

/**
 * Where the requests of an output go: the one place that decides.
 *
 * - A `trackingUri` setting (an http(s) URL) wins in both connections: the
 *   browser calls it with the settings' credentials, and a note says they
 *   are stored in plain text. A bad one fetches nothing.
 * - "jupyter-server" (default): the Jupyter server's extension forwards to
 *   its own MLFLOW_TRACKING_URI; a missing extension or a server without a
 *   tracking server fetches nothing, with a message naming both.
 * - "direct": the output's `tracking_uri`, only when the output is trusted.
 *
 * An output naming another server than the one read from gets a note naming
 * both; the output never moves a request. `server` is the Jupyter server's
 * answer, needed only when {@link needsServerConfig}.
 */
export function resolveRoute(
  settings: ITraceSettings,
  output: { trackingUri: string | undefined; trusted: boolean },
  server: ServerConfigAnswer | undefined
): Route {
  const settingProblem = trackingUriProblem(settings.trackingUri);
  if (settingProblem) {
    return { via: 'none', problem: settingProblem, notes: [] };
  }
  if (settings.trackingUri.trim() || connectionOf(settings) === 'direct') {
    const trackingUri = resolveTrackingUri(
      settings,
      output.trackingUri,
      output.trusted
    );
    if (!trackingUri) {
      return {
        via: 'none',
        problem:
          'no tracking server is known. Set "Tracking server URI" in Settings › MLflow traces' +
          (output.trackingUri
            ? ', or trust the notebook to use the one it names.'
            : '.'),
        notes: []
      };
    }
    const auth = resolveAuth(settings, trackingUri);
    const notes = Private.otherServerNote(output.trackingUri, trackingUri);
    if (auth) {
      notes.push(Private.plainTextNote(auth));
    }
    return { via: 'direct', trackingUri, auth, notes };
  }
  if (!server || 'missing' in server) {
    return {
      via: 'none',
      problem:
        `${server ? server.missing : 'The Jupyter server was not asked which tracking server it reads from.'} ` +
        'Install jupyterlab-mlflow-traces into the Jupyter server’s environment and start it with ' +
        `MLFLOW_TRACKING_URI set to your tracking server, or ${CONNECTION_HINT}.`,
      notes: []
    };
  }
  const { problem, trackingUri } = server.config;
  if (problem || !trackingUri) {
    return {
      via: 'none',
      problem: `${problem ?? 'The Jupyter server names no tracking server (MLFLOW_TRACKING_URI).'} Or ${CONNECTION_HINT}.`,
      notes: []
    };
  }
  return {
    via: 'jupyter-server',
    trackingUri,
    notes: Private.otherServerNote(output.trackingUri, trackingUri)
  };
}

namespace Private {
  /** The URL an output names, shown without credentials; null when not http(s). */
  function shownUri(uri: string): string | null {
    try {
      const url = new URL(uri.trim());
      if (!(url.protocol === 'http:' || url.protocol === 'https:')) {
        return null;
      }
      return url.origin + url.pathname.replace(/\/+$/, '');
    } catch {
      return null;
    }
  }

  /** A note when the output names another server than `readFrom`; else none. */
  export function otherServerNote(
    outputUri: string | undefined,
    readFrom: string
  ): string[] {
    const written = outputUri ? shownUri(outputUri) : null;
    const read = shownUri(readFrom) ?? readFrom;
    if (written === null || written === read) {
      return [];
    }
    return [
      `This output was written against ${written}; this JupyterLab reads traces from ${read}.`
    ];
  }

  /** The warning shown while a secret of the settings is in use. */
  export function plainTextNote(auth: IAuth): string {
    const what = 'token' in auth ? 'token' : 'password';
    return (
      `The tracking server ${what} in your settings (Settings › MLflow traces) is stored in plain text. ` +
      'Prefer MLflow’s variables (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD) ' +
      'in the Jupyter server’s environment, with an empty "Tracking server URI" and the "connection" setting "jupyter-server".'
    );
  }
}
