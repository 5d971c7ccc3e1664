/**
 * Credentials for the tracking server, and the Authorization header built
 * from them.
 */

/** A bearer token, or a username and password for basic auth. */
export type IAuth = { token: string } | { username: string; password: string };

/**
 * Reads MLflow's own variables from an environment record.
 *
 * #### Notes
 * The caller passes `process.env` in Node; the browser passes auth
 * explicitly. As in MLflow's Python client, username and password win over
 * a token when both are set. Empty values count as unset.
 */
export function authFromEnv(
  env: Record<string, string | undefined>
): IAuth | undefined {
  const username = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (username && password) {
    return { username, password };
  }
  const token = env.MLFLOW_TRACKING_TOKEN;
  return token ? { token } : undefined;
}

/** The value of the `Authorization` header for `auth`. */
export function authHeader(auth: IAuth): string {
  if ('token' in auth) {
    return `Bearer ${auth.token}`;
  }
  return `Basic ${base64Utf8(`${auth.username}:${auth.password}`)}`;
}

const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of the UTF-8 bytes of `text` (btoa rejects non-Latin-1 input). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
  }
  return out;
}
