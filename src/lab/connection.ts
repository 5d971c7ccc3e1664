/**
 * The route of an output (config.ts decides it) turned into what a widget
 * needs: the Jupyter server asked when the route depends on it, and the
 * options of a client whose requests go where the route says.
 */
import type { IMlflowClientOptions } from '../client';
import {
  ITraceSettings,
  needsServerConfig,
  requestTimeoutMs,
  resolveRoute,
  Route
} from './config';
import { getServerConfig, proxyClientOptions } from './jupyterServer';

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
