/**
 * The OTLP exporter as the helper uses it: spans leave with well-formed
 * strings, and a trace that could not be sent fails with the client's typed
 * errors, saying which server refused it, with which HTTP status and what
 * the server said, as every other helper error does.
 */
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import {
  errorForStatus,
  IErrorContext,
  ServerUnreachableError
} from '../client';
import { causeText, parseMlflowError } from '../client/faults';
import { wellFormedJson } from './wellformed';

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
  return errorForStatus(
    { ...context, status },
    serverMessage ?? otlp.message ?? 'no message'
  );
}

/**
 * The span with lone UTF-16 surrogates in its name, attributes, events and
 * status replaced (see wellformed.ts): OTLP sends strings as UTF-8, and the
 * server rejects the whole request, so the whole trace, over one of them.
 */
export function wellFormedSpan(span: ReadableSpan): ReadableSpan {
  const fixed = {
    name: wellFormedJson(span.name),
    attributes: wellFormedJson(span.attributes),
    events: wellFormedJson(span.events),
    status: wellFormedJson(span.status)
  };
  const same =
    fixed.name === span.name &&
    fixed.attributes === span.attributes &&
    fixed.events === span.events &&
    fixed.status === span.status;
  if (same) {
    return span;
  }
  // Everything else, spanContext() included, still comes from the span
  const copy = Object.create(span) as ReadableSpan;
  for (const [key, value] of Object.entries(fixed)) {
    Object.defineProperty(copy, key, { value, enumerable: true });
  }
  return copy;
}

/** Wraps `inner`: well-formed spans out, typed errors back. */
export function forMlflow(
  inner: SpanExporter,
  serverUrl: string
): SpanExporter {
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      inner.export(spans.map(wellFormedSpan), result =>
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
