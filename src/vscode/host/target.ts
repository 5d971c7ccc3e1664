/**
 * The tracking server of the extension host's environment, read as MLflow's
 * client reads it: MLFLOW_TRACKING_URI (http or https only; a local store
 * cannot be read from here), with MLFLOW_TRACKING_USERNAME and _PASSWORD or
 * MLFLOW_TRACKING_TOKEN, or the URI's own `user:password@`.
 */
import { authFromEnv, normalizeTrackingUri } from '../../client';
import type { ITarget } from './forward';

/** The target, or why there is none (said to the user in place of the traces). */
export function targetFromEnv(
  env: Record<string, string | undefined>
): ITarget | { problem: string } {
  const raw = (env.MLFLOW_TRACKING_URI ?? '').trim();
  if (!raw) {
    return {
      problem:
        "VS Code's environment has no MLFLOW_TRACKING_URI, so traces given by id cannot be fetched. " +
        'Start VS Code with MLFLOW_TRACKING_URI set to your tracking server.'
    };
  }
  if (!/^https?:\/\//i.test(raw)) {
    return {
      problem:
        "VS Code's MLFLOW_TRACKING_URI is not an http(s) tracking server " +
        '(a local store cannot be read by the notebook renderer).'
    };
  }
  try {
    const { baseUrl, auth } = normalizeTrackingUri(raw);
    return { baseUrl, auth: authFromEnv(env) ?? auth };
  } catch (error) {
    return {
      problem: `VS Code's MLFLOW_TRACKING_URI cannot be used: ${
        error instanceof Error ? error.message : String(error)
      }`
    };
  }
}
