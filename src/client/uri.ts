/** Tracking-URI normalisation: a base URL safe to print, and its credentials. */
import { IAuth } from './auth';
import { MlflowClientError } from './errors';

/** A tracking URI split into a credential-free base URL and its auth. */
export interface INormalizedUri {
  baseUrl: string;
  auth?: IAuth;
}

/** Strips trailing slashes, query and credentials; keeps a path prefix. */
export function normalizeTrackingUri(trackingUri: string): INormalizedUri {
  let url: URL;
  try {
    url = new URL(trackingUri.trim());
  } catch {
    throw configError('the tracking URI is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(
      `the tracking URI must be http(s), not "${url.protocol}"`
    );
  }
  let auth: IAuth | undefined;
  if (url.username || url.password) {
    auth = {
      username: decodeCredential(url.username),
      password: decodeCredential(url.password)
    };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { baseUrl: url.origin + path, auth };
}

/** A percent-encoded user name or password, decoded; never echoed in the error. */
function decodeCredential(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw configError(
      'the credentials in the tracking URI are not valid percent-encoding'
    );
  }
}

function configError(detail: string): MlflowClientError {
  return new MlflowClientError(`Invalid MLflow tracking URI: ${detail}`, {
    serverUrl: '',
    operation: 'configure'
  });
}
