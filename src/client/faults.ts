/** Helpers of the request core: server error bodies, Retry-After, socket error codes. */

/** Milliseconds from a Retry-After header (seconds or an HTTP date). */
export function parseRetryAfterMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const dateMs = Date.parse(value);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - Date.now());
}

/** MLflow's `{error_code, message}`, when the body is one. */
export function parseMlflowError(text: string): {
  errorCode?: string;
  serverMessage?: string;
} {
  try {
    const body = JSON.parse(text);
    return {
      errorCode:
        typeof body?.error_code === 'string' ? body.error_code : undefined,
      serverMessage:
        typeof body?.message === 'string' ? body.message : undefined
    };
  } catch {
    return {};
  }
}

/** The socket error code under a fetch failure, if any. */
export function causeCode(err: unknown): string | undefined {
  // Node's fetch throws TypeError('fetch failed') with the socket error as
  // `cause`, sometimes one level deeper; browsers give no code at all.
  let current: unknown = err;
  for (let depth = 0; depth < 3 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The most specific message of a fetch failure. */
export function causeText(err: unknown): string {
  const cause = (err as { cause?: { message?: unknown } })?.cause;
  if (cause && typeof cause.message === 'string' && cause.message) {
    return cause.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Waits `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const IN_NODE =
  typeof process !== 'undefined' &&
  typeof process.versions?.node === 'string' &&
  typeof setImmediate === 'function';

/**
 * In Node, one turn of the event loop (its timers, then its I/O) before a
 * request goes out. After the loop was blocked (a tslab cell compiling, a
 * synchronous child process), a pooled keep-alive socket may already be
 * closed by the server while neither the pool's expiry timer nor the FIN
 * has been handled; a request written to it fails with "other side closed",
 * and a POST cannot be retried. Browsers handle stale sockets themselves.
 */
export async function letPendingIoLand(): Promise<void> {
  if (!IN_NODE) {
    return;
  }
  await new Promise(resolve => setTimeout(resolve, 0));
  await new Promise(resolve => setImmediate(resolve));
}
