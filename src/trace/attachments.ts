/**
 * MLflow trace attachments: the `mlflow-attachment://<id>?content_type=…&
 * trace_id=…&size=…` references MLflow's SDK writes into span inputs and
 * outputs in place of an image's or a recording's bytes (it uploads the bytes
 * beside the trace, served by `get-trace-artifact?request_id=<trace>&path=<id>`).
 *
 * #### Notes
 * A reference is read strictly: the attachment id a UUID (as the SDK's
 * `uuid.uuid4()` writes it), the trace id an MLflow trace id, the content type
 * a plain `type/subtype`. Anything else is not an attachment, and nothing in a
 * reference is ever used as a URL: a view asks its own server for
 * (trace id, attachment id) and nothing more.
 */
import { formatCount } from './format';

/** One attachment a span names. */
export interface IAttachmentRef {
  /** A UUID, lower case. */
  id: string;
  /** The trace that holds it. */
  traceId: string;
  /** `type/subtype`, lower case, as the reference names it. */
  contentType: string;
  /** Its size in bytes, when the reference gives a positive one. */
  size: number | undefined;
}

const SCHEME = 'mlflow-attachment://';
/** The attachment ids MLflow writes: `str(uuid.uuid4())`. */
export const ATTACHMENT_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An MLflow trace id: `tr-` and 32 hex digits, or a request id of MLflow 2. */
const TRACE_ID = /^(?:tr-)?[0-9a-f]{32}$/i;
/** A MIME type without parameters (RFC 6838's restricted names). */
const CONTENT_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
/** Image types a browser draws in an <img> without running anything (no SVG). */
const INLINE_IMAGE = /^image\/(png|jpeg|jpg|gif|webp|avif|bmp)$/;

/**
 * The attachment a string references, when the whole string (trimmed) is one
 * reference in MLflow's shape; null for anything else.
 */
export function parseAttachmentRef(value: unknown): IAttachmentRef | null {
  if (typeof value !== 'string' || value.length > 1000) {
    return null;
  }
  const text = value.trim();
  if (!text.startsWith(SCHEME)) {
    return null;
  }
  const rest = text.slice(SCHEME.length);
  const question = rest.indexOf('?');
  if (question < 0) {
    return null;
  }
  const id = rest.slice(0, question).toLowerCase();
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(rest.slice(question + 1));
  } catch {
    return null;
  }
  const contentType = (query.get('content_type') ?? '').toLowerCase();
  const traceId = query.get('trace_id') ?? '';
  if (
    !ATTACHMENT_ID.test(id) ||
    !CONTENT_TYPE.test(contentType) ||
    !TRACE_ID.test(traceId)
  ) {
    return null;
  }
  const sizeText = query.get('size') ?? '';
  const size = /^[0-9]{1,15}$/.test(sizeText) ? Number(sizeText) : 0;
  return { id, traceId, contentType, size: size > 0 ? size : undefined };
}

/** How a view may show an attachment: drawn, played, or only named. */
export type AttachmentKind = 'image' | 'audio' | 'named';

/** Images a browser only draws (no SVG) and audio; every other type is only named. */
export function attachmentKind(contentType: string): AttachmentKind {
  if (INLINE_IMAGE.test(contentType)) {
    return 'image';
  }
  if (/^audio\//.test(contentType) && CONTENT_TYPE.test(contentType)) {
    return 'audio';
  }
  return 'named';
}

/** A size in bytes as people read it: `70 B`, `12.3 KB`, `4.1 MB`. */
export function formatByteSize(bytes: number): string {
  if (bytes < 1000) {
    return `${formatCount(bytes)} B`;
  }
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `attachment <id> (<type>, <size>)`: what a placeholder says. */
export function attachmentLabel(ref: IAttachmentRef): string {
  const size = ref.size === undefined ? '' : `, ${formatByteSize(ref.size)}`;
  return `attachment ${ref.id} (${ref.contentType}${size})`;
}

/**
 * The attachment a note about an image not shown names: the trace model reads
 * an `image_url` holding a reference as `image not shown: <reference>`.
 */
export function attachmentOfNote(text: string): IAttachmentRef | null {
  const prefix = 'image not shown: ';
  return text.startsWith(prefix)
    ? parseAttachmentRef(text.slice(prefix.length))
    : null;
}
