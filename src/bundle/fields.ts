/**
 * Readers for the fields every bundle shares. Each reports problems with the
 * field's path and never throws.
 */
import { BUNDLE_VERSION } from './mimetypes';
import { isRecord, safeHttpUrl, withoutCredentials } from '../trace';
import { describeType, parseJsonData } from './util';

/** Where readers put what they found wrong. */
export interface IProblems {
  errors: string[];
  warnings: string[];
}

/** The bundle version; null (with an error) when missing or invalid. */
export function readVersion(raw: unknown, problems: IProblems): number | null {
  if (raw === undefined) {
    problems.errors.push('version is missing');
    return null;
  }
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    problems.errors.push(
      `version is not a positive integer (got ${typeof raw === 'number' ? raw : describeType(raw)})`
    );
    return null;
  }
  if (raw > BUNDLE_VERSION) {
    problems.warnings.push(
      `version ${raw} is newer than version ${BUNDLE_VERSION}, which this reader knows; it is read best-effort`
    );
  }
  return raw;
}

/** The tracking URI when it is an http(s) URL; anything else is dropped with a warning. */
export function readTrackingUri(
  raw: unknown,
  problems: IProblems
): string | undefined {
  if (raw === undefined || raw === null || raw === '') {
    return undefined;
  }
  const url = safeHttpUrl(raw);
  if (url === null && typeof raw === 'string' && withoutCredentials(raw)) {
    // Never echo them: warnings are shown and may be written to the page.
    problems.warnings.push('tracking_uri holds credentials and is ignored');
    return undefined;
  }
  if (url === null) {
    const shown =
      typeof raw === 'string'
        ? JSON.stringify(raw.length > 80 ? raw.slice(0, 80) + '…' : raw)
        : describeType(raw);
    problems.warnings.push(
      `tracking_uri is not an http(s) URL and is ignored (got ${shown})`
    );
    return undefined;
  }
  return url;
}

/** A required, non-empty string id, or a problem naming `path`. */
export function readId(
  raw: unknown,
  path: string
): { id: string } | { problem: string } {
  if (raw === undefined) {
    return { problem: `${path} is missing` };
  }
  if (typeof raw !== 'string') {
    return { problem: `${path} is not a string (got ${describeType(raw)})` };
  }
  if (raw.trim() === '') {
    return { problem: `${path} is empty` };
  }
  return { id: raw.trim() };
}

/** What every bundle starts with: its version and its tracking server. */
export interface IBundleHeader extends IProblems {
  version: number | null;
  trackingUri?: string;
}

/**
 * Parse `data` (JSON text or an already parsed value), check it is an
 * object, and read its version and tracking URI into `result`. Returns the
 * object, or null (with an error in `result`) when there is none.
 */
export function readBundleHeader(
  data: unknown,
  result: IBundleHeader
): Record<string, unknown> | null {
  const parsed = parseJsonData(data);
  if (parsed.error !== undefined) {
    result.errors.push(parsed.error);
    return null;
  }
  const root = parsed.value;
  if (!isRecord(root)) {
    result.errors.push(
      `the bundle is not an object (got ${describeType(root)})`
    );
    return null;
  }
  result.version = readVersion(root.version, result);
  const trackingUri = readTrackingUri(root.tracking_uri, result);
  if (trackingUri !== undefined) {
    result.trackingUri = trackingUri;
  }
  return root;
}
