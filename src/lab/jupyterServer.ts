/**
 * The Jupyter server side of the renderer's requests: which tracking server
 * the server extension forwards to (`{base_url}mlflow-traces/config`), and
 * the client options that send a request through it
 * (`{base_url}mlflow-traces/proxy/...`) with Jupyter's token and XSRF headers.
 *
 * #### Notes
 * The plugin hands over the application's server settings; without them
 * (tests, a host with no plugin) they are made from the page config.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { IMlflowClientOptions } from '../client';
import { IServerConfig, ServerConfigAnswer } from './config';

/** The path of the server extension below the Jupyter server's base_url. */
export const ROUTE = 'mlflow-traces';

let serverSettings: ServerConnection.ISettings | undefined;
let configAnswer: Promise<ServerConfigAnswer> | undefined;
let jupyterUser: Promise<string | undefined> | undefined;

/** Called by the plugin with the application's server settings. */
export function setServerSettings(
  settings: ServerConnection.ISettings | undefined
): void {
  serverSettings = settings;
  configAnswer = undefined;
  jupyterUser = undefined;
}

/** The server settings in use (made from the page config when none were set). */
export function getServerSettings(): ServerConnection.ISettings {
  serverSettings ??= ServerConnection.makeSettings();
  return serverSettings;
}

/**
 * What the server extension says of its tracking server; asked once per page
 * (the server reads its environment once, at start). A failure to ask is not
 * kept, so the next output asks again.
 */
export function getServerConfig(): Promise<ServerConfigAnswer> {
  if (!configAnswer) {
    const asked = Private.askConfig();
    configAnswer = asked.then(result => result.answer);
    const kept = configAnswer;
    void asked.then(result => {
      if (!result.final && configAnswer === kept) {
        configAnswer = undefined;
      }
    });
  }
  return configAnswer;
}

/**
 * The Jupyter user's name (who labels are by): the server extension's when it
 * answers, else Jupyter's own `api/me`; undefined when neither says. Asked once
 * per page; an answer that may change on asking again is not kept.
 */
export function getJupyterUser(): Promise<string | undefined> {
  if (!jupyterUser) {
    const asked = Private.askUser();
    jupyterUser = asked;
    void asked.then(user => {
      if (user === undefined && jupyterUser === asked) {
        jupyterUser = undefined;
      }
    });
  }
  return jupyterUser;
}

/** Client options whose requests go through the server extension's proxy. */
export function proxyClientOptions(): Pick<
  IMlflowClientOptions,
  'trackingUri' | 'fetch'
> {
  const settings = getServerSettings();
  return {
    trackingUri: URLExt.join(settings.baseUrl, ROUTE, 'proxy'),
    fetch: (input, init) =>
      // 'reload': no HTTP cache, and no cache-busting query for the server to forward.
      ServerConnection.makeRequest(
        String(input),
        { ...init, cache: 'reload' },
        settings
      )
  };
}

namespace Private {
  /** The config route's user, else `api/me`'s identity.username; never rejects. */
  export async function askUser(): Promise<string | undefined> {
    const answer = await getServerConfig();
    if ('config' in answer && answer.config.user) {
      return answer.config.user;
    }
    try {
      const settings = getServerSettings();
      const response = await ServerConnection.makeRequest(
        URLExt.join(settings.baseUrl, 'api', 'me'),
        { method: 'GET', cache: 'reload' },
        settings
      );
      if (!response.ok) {
        return undefined;
      }
      return usernameOf(await response.json());
    } catch {
      return undefined;
    }
  }

  /** `identity.username` of Jupyter's `api/me` answer, if it is a non-empty string. */
  function usernameOf(body: unknown): string | undefined {
    const identity =
      typeof body === 'object' && body !== null
        ? (body as { identity?: unknown }).identity
        : undefined;
    const username =
      typeof identity === 'object' && identity !== null
        ? (identity as { username?: unknown }).username
        : undefined;
    return typeof username === 'string' && username ? username : undefined;
  }

  /** Asks `mlflow-traces/config`; never rejects. Not `final` when asking again may help. */
  export async function askConfig(): Promise<{
    answer: ServerConfigAnswer;
    final: boolean;
  }> {
    let url = `${ROUTE}/config`;
    let response: Response;
    try {
      const settings = getServerSettings();
      url = URLExt.join(settings.baseUrl, ROUTE, 'config');
      response = await ServerConnection.makeRequest(
        url,
        { method: 'GET', cache: 'reload' },
        settings
      );
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return {
        answer: {
          missing: `The Jupyter server did not answer GET ${url} (${detail}).`
        },
        final: false
      };
    }
    // A 404 or the extension's answer holds until the server restarts.
    if (response.status === 404) {
      return {
        answer: {
          missing: `This JupyterLab's server has no jupyterlab_mlflow_traces server extension (GET ${url}: 404), so it cannot fetch traces.`
        },
        final: true
      };
    }
    if (!response.ok) {
      return {
        answer: {
          missing: `The Jupyter server answered GET ${url} with ${response.status} ${response.statusText}.`
        },
        final: false
      };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const config = parse(body);
    return config
      ? { answer: { config }, final: true }
      : {
          answer: {
            missing: `The Jupyter server's answer to GET ${url} is not the server extension's.`
          },
          final: false
        };
  }

  function parse(body: unknown): IServerConfig | undefined {
    if (typeof body !== 'object' || body === null) {
      return undefined;
    }
    const {
      tracking_uri: trackingUri,
      problem,
      user
    } = body as Record<string, unknown>;
    const stringOrNull = (value: unknown) =>
      typeof value === 'string' || value === null;
    if (!stringOrNull(trackingUri) || !stringOrNull(problem)) {
      return undefined;
    }
    return {
      trackingUri: trackingUri as string | null,
      problem: problem as string | null,
      // a server extension from before labels does not say (null, not a refusal)
      user: typeof user === 'string' && user ? user : null
    };
  }
}
