/**
 * The OTLP exporter, failing with the client's typed errors: a trace that
 * could not be sent says which server refused it, with which HTTP status and
 * what the server said, as every other helper error does.
 */
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import {
  AuthError,
  BadRequestError,
  IErrorContext,
  MlflowClientError,
  ServerError,
  ServerUnreachableError
} from '../client';
import { causeText, parseMlflowError } from '../client/faults';

/** What an OTLP exporter error carries (OTLPExporterError). */
interface IOtlpError {
  message?: string;
  code?: number;
  data?: string;
}

/** The typed error for an export that failed against `serverUrl`. */
export function exportError(error: unknown, serverUrl: string): Error {
  const otlp = (error ?? {}) as IOtlpError;
  const status = typeof otlp.code === 'number' ? otlp.code : undefined;
  const { errorCode, serverMessage } = parseMlflowError(otlp.data ?? '');
  const context: IErrorContext = {
    serverUrl,
    operation: 'exportTrace',
    status,
    errorCode,
    serverMessage,
    cause: error
  };
  if (status === undefined) {
    return new ServerUnreachableError(causeText(error), context);
  }
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
    `exportTrace on ${serverUrl} failed (HTTP ${status}): ${serverMessage ?? otlp.message ?? 'no message'}`,
    context
  );
}

/** Wraps `inner` so that failed exports carry typed errors. */
export function withTypedErrors(
  inner: SpanExporter,
  serverUrl: string
): SpanExporter {
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      inner.export(spans, result =>
        done(
          result.code === ExportResultCode.SUCCESS
            ? result
            : { code: result.code, error: exportError(result.error, serverUrl) }
        )
      );
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve()
  };
}
