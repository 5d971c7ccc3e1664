/**
 * Typed errors of the tracking-server client.
 *
 * #### Notes
 * Messages name the server and the operation, and carry the server's own
 * message when it sent one. They never carry credentials: `serverUrl` is the
 * normalised tracking URI, from which any `user:password@` has been removed.
 */

/** What every client error knows about the failed request. */
export interface IErrorContext {
  /** The tracking URI, without credentials. */
  serverUrl: string;
  /** The client operation, e.g. `getTraceInfo`. */
  operation: string;
  /** What the request was about, e.g. `assessment a-1 of trace tr-2`. */
  subject?: string;
  /** HTTP status, when the server answered. */
  status?: number;
  /** MLflow's `error_code`, e.g. `RESOURCE_DOES_NOT_EXIST`. */
  errorCode?: string;
  /** MLflow's `message`. */
  serverMessage?: string;
  /** The underlying error (network failure, JSON parse error). */
  cause?: unknown;
}

/** Base class of every error the client throws. */
export class MlflowClientError extends Error {
  constructor(message: string, context: IErrorContext) {
    super(message);
    this.name = 'MlflowClientError';
    this.serverUrl = context.serverUrl;
    this.operation = context.operation;
    this.subject = context.subject;
    this.status = context.status;
    this.errorCode = context.errorCode;
    this.serverMessage = context.serverMessage;
    if (context.cause !== undefined) {
      // Assigned rather than passed to super() because lib is ES2020.
      (this as { cause?: unknown }).cause = context.cause;
    }
  }

  readonly serverUrl: string;
  readonly operation: string;
  readonly subject?: string;
  readonly status?: number;
  readonly errorCode?: string;
  readonly serverMessage?: string;
}

/** The server answered 404 for something other than a whole trace. */
export class NotFoundError extends MlflowClientError {
  constructor(message: string, context: IErrorContext) {
    super(message, context);
    this.name = 'NotFoundError';
  }
}

/** The trace id is unknown to the server. */
export class TraceNotFoundError extends NotFoundError {
  constructor(traceId: string, context: IErrorContext) {
    super(`Trace ${traceId} not found on ${context.serverUrl}`, context);
    this.name = 'TraceNotFoundError';
    this.traceId = traceId;
  }

  readonly traceId: string;
}

/** The trace exists but this assessment of it does not. */
export class AssessmentNotFoundError extends NotFoundError {
  constructor(traceId: string, assessmentId: string, context: IErrorContext) {
    super(
      `Assessment ${assessmentId} of trace ${traceId} not found on ` +
        context.serverUrl +
        suffix(context.serverMessage),
      context
    );
    this.name = 'AssessmentNotFoundError';
    this.traceId = traceId;
    this.assessmentId = assessmentId;
  }

  readonly traceId: string;
  readonly assessmentId: string;
}

/** The trace exists but the server holds no span data for it. */
export class TraceDataNotFoundError extends NotFoundError {
  constructor(traceId: string, context: IErrorContext) {
    super(
      `Span data of trace ${traceId} not found on ${context.serverUrl}` +
        suffix(context.serverMessage),
      context
    );
    this.name = 'TraceDataNotFoundError';
    this.traceId = traceId;
  }

  readonly traceId: string;
}

/** No connection could be made to the server. */
export class ServerUnreachableError extends MlflowClientError {
  constructor(causeText: string, context: IErrorContext) {
    super(
      `MLflow tracking server unreachable at ${context.serverUrl}: ${causeText}`,
      context
    );
    this.name = 'ServerUnreachableError';
  }
}

/**
 * The answer began (a status arrived) but its body broke off before its end.
 *
 * #### Notes
 * JupyterLab's server extension ends an answer this way when it passes the
 * extension's size limit or deadline after its first bytes went out.
 */
export class AnswerBrokenOffError extends MlflowClientError {
  constructor(causeText: string, context: IErrorContext) {
    super(
      `The answer of the MLflow tracking server at ${context.serverUrl} to ` +
        `${operationText(context)} broke off before its end: ${causeText}. Through ` +
        "JupyterLab, the Jupyter server's log says why (an answer past the " +
        "server extension's size limit or deadline ends this way).",
      context
    );
    this.name = 'AnswerBrokenOffError';
  }
}

/** The server did not answer within the timeout. */
export class RequestTimeoutError extends MlflowClientError {
  constructor(timeoutMs: number, url: string, context: IErrorContext) {
    super(
      `MLflow tracking server did not answer within ${timeoutMs} ms: ${url}`,
      context
    );
    this.name = 'RequestTimeoutError';
    this.timeoutMs = timeoutMs;
  }

  readonly timeoutMs: number;
}

/** 401 or 403: missing or refused credentials. */
export class AuthError extends MlflowClientError {
  constructor(context: IErrorContext) {
    super(
      `MLflow tracking server at ${context.serverUrl} refused ` +
        `${operationText(context)} (HTTP ${context.status})` +
        suffix(context.serverMessage) +
        '. Check MLFLOW_TRACKING_TOKEN or ' +
        'MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD.',
      context
    );
    this.name = 'AuthError';
  }
}

/** 400: the server rejected the request, e.g. a malformed search filter. */
export class BadRequestError extends MlflowClientError {
  constructor(context: IErrorContext) {
    super(
      `${operationText(context)} rejected by ${context.serverUrl}` +
        suffix(context.serverMessage ?? `HTTP ${context.status}`),
      context
    );
    this.name = 'BadRequestError';
  }
}

/** 5xx: the server failed. */
export class ServerError extends MlflowClientError {
  constructor(context: IErrorContext) {
    super(
      `MLflow tracking server at ${context.serverUrl} failed ` +
        `${operationText(context)} (HTTP ${context.status})` +
        suffix(context.serverMessage),
      context
    );
    this.name = 'ServerError';
  }
}

/** The body is not JSON, is truncated, or has an unexpected shape. */
export class InvalidResponseError extends MlflowClientError {
  constructor(detail: string, context: IErrorContext) {
    super(
      `Unexpected answer from ${context.serverUrl} to ${operationText(context)}: ${detail}`,
      context
    );
    this.name = 'InvalidResponseError';
  }
}

/** Longest page token shown in a message, in characters. */
const MAX_TOKEN_CHARS = 40;

/** A page token as a message shows it: at most MAX_TOKEN_CHARS, then "…". */
export function shortenToken(token: string): string {
  return token.length > MAX_TOKEN_CHARS
    ? `${token.slice(0, MAX_TOKEN_CHARS)}…`
    : token;
}

/**
 * The server's page tokens went round in a cycle (a token came back that
 * was already read): paging on would loop forever.
 */
export class PageTokenCycleError extends InvalidResponseError {
  constructor(tokens: readonly string[], context: IErrorContext) {
    const shown = tokens.map(shortenToken);
    super(`the page tokens go round in a cycle: ${shown.join(' → ')}`, context);
    this.name = 'PageTokenCycleError';
    this.tokens = tokens.slice();
  }

  /** The cycle, from the token's first visit to its return. */
  readonly tokens: string[];
}

/** The operation as messages name it: with its subject when it has one. */
export function operationText(context: IErrorContext): string {
  return context.subject
    ? `${context.operation} of ${context.subject}`
    : context.operation;
}

function suffix(serverMessage: string | undefined): string {
  return serverMessage ? `: ${serverMessage}` : '';
}

/**
 * The typed error for an HTTP error status: 401/403, 400 and 5xx have their
 * classes; any other status gets the base class with `detail` (the server's
 * message, else the status text). A 404 is the caller's to interpret first.
 */
export function errorForStatus(
  context: IErrorContext & { status: number },
  detail: string
): MlflowClientError {
  const { status } = context;
  if (status === 401 || status === 403) {
    return new AuthError(context);
  }
  if (status === 400) {
    return new BadRequestError(context);
  }
  if (status >= 500) {
    return new ServerError(context);
  }
  return new MlflowClientError(
    `${operationText(context)} on ${context.serverUrl} failed (HTTP ${status}): ${detail}`,
    context
  );
}
