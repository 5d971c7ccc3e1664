/**
 * The route of an output (config.ts decides it) turned into what a widget
 * needs: the Jupyter server asked when the route depends on it, and the
 * options of a client whose requests go where the route says.
 */
import { IMlflowClientOptions, MlflowClient } from '../client';
import {
  getSettings,
  ITraceSettings,
  needsServerConfig,
  requestTimeoutMs,
  resolveRoute,
  Route
} from './config';
import { getServerConfig, proxyClientOptions } from './jupyterServer';
import type { ListConnection } from '../output/listModel';

/** The route of an output, asking the Jupyter server first when it depends on it. */
export async function routeOf(
  settings: ITraceSettings,
  output: { trackingUri: string | undefined; trusted: boolean }
): Promise<Route> {
  const server = needsServerConfig(settings)
    ? await getServerConfig()
    : undefined;
  return resolveRoute(settings, output, server);
}

/** The options of a client that sends requests along `route`; undefined when it goes nowhere. */
export function clientOptions(
  route: Route,
  settings: ITraceSettings
): IMlflowClientOptions | undefined {
  const timeoutMs = requestTimeoutMs(settings);
  switch (route.via) {
    case 'direct':
      return { trackingUri: route.trackingUri, auth: route.auth, timeoutMs };
    case 'jupyter-server':
      return {
        ...proxyClientOptions(),
        uiBaseUrl: route.trackingUri,
        timeoutMs
      };
    default:
      return undefined;
  }
}

/**
 * The route of an output that names `trackingUri` (config.ts decides it)
 * and a client along it, or why there is none.
 */
export async function connectOutput(
  trackingUri: string | undefined,
  trusted: boolean
): Promise<ListConnection & { route: Route }> {
  const settings = await getSettings();
  const route = await routeOf(settings, { trackingUri, trusted });
  const options = clientOptions(route, settings);
  if (route.via === 'none' || !options) {
    return {
      route,
      problem: route.via === 'none' ? route.problem : 'no route'
    };
  }
  try {
    return { route, client: new MlflowClient(options) };
  } catch (error) {
    return {
      route,
      problem: error instanceof Error ? error.message : String(error)
    };
  }
}
