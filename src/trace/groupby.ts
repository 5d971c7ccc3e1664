/**
 * Segments: a summary's traces split by the value of a tag or a metadata
 * key (`groupBy`). Pure; the twin of the Python package's
 * `_summary_options.parse_group_by` and `_summary_segments.py`.
 *
 * #### Notes
 * The server's aggregation cannot group by a tag, so the values are found
 * from the traces in range, newest first, reading at most
 * SEGMENT_SAMPLE trace infos: the MAX_SEGMENTS most common values (ties:
 * value ascending), biggest first. Traces without the key are in no
 * segment.
 */
import { formatCount, pyRepr } from './format';
import { ITraceInfoV3 } from './wire';

/** Most segments a summary holds. */
export const MAX_SEGMENTS = 12;
/** Most trace infos read to find the values. */
export const SEGMENT_SAMPLE = 2000;

/** `query.group_by`, as the payload writes it. */
export interface IGroupByJson {
  kind: 'tag' | 'metadata';
  key: string;
}

/** group_by prefixes as search_traces spells them (exact case), and the payload's kind. */
const PREFIXES: Record<string, IGroupByJson['kind']> = {
  tags: 'tag',
  tag: 'tag',
  metadata: 'metadata',
  request_metadata: 'metadata'
};
const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const GROUP_BY = new RegExp(
  `^([A-Za-z_]+)\\.(?:\`([^\`]+)\`|(${NAME}(?:\\.${NAME})*))$`
);
const HINT =
  "write a tag or metadata key as in search_traces: 'tags.version', 'metadata.segment'";

/**
 * `{kind, key}` of `tags.version`, `tag.version`, `metadata.segment`,
 * `request_metadata.segment` or a backquoted key (``tags.`my key` ``); an
 * Error naming what is wrong otherwise.
 */
export function parseGroupBy(groupBy: unknown): IGroupByJson {
  const shown = typeof groupBy === 'string' ? pyRepr(groupBy) : String(groupBy);
  if (typeof groupBy !== 'string') {
    throw new Error(`groupBy ${shown}: ${HINT}`);
  }
  const found = GROUP_BY.exec(groupBy.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
  if (!found) {
    throw new Error(`groupBy ${shown}: ${HINT}`);
  }
  const prefix = found[1];
  if (!Object.prototype.hasOwnProperty.call(PREFIXES, prefix)) {
    throw new Error(
      `groupBy ${shown}: ${pyRepr(prefix)} is not a tag or metadata prefix ` +
        `(${Object.keys(PREFIXES).join(', ')}); ${HINT}`
    );
  }
  return { kind: PREFIXES[prefix], key: found[2] ?? found[3] };
}

/** The trace's value of the group_by key, or null without it. */
export function segmentValueOf(
  info: ITraceInfoV3,
  groupBy: IGroupByJson
): string | null {
  const found = groupBy.kind === 'tag' ? info.tags : info.trace_metadata;
  const value =
    found && Object.prototype.hasOwnProperty.call(found, groupBy.key)
      ? (found as Record<string, unknown>)[groupBy.key]
      : undefined;
  return typeof value === 'string' ? value : null;
}

/** The MAX_SEGMENTS most common values among `infos`, biggest first (ties: value ascending). */
export function topSegmentValues(
  infos: Iterable<ITraceInfoV3>,
  groupBy: IGroupByJson
): string[] {
  const counts = new Map<string, number>();
  for (const info of infos) {
    const value = segmentValueOf(info, groupBy);
    if (value !== null) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }
  return Array.from(counts.keys())
    .sort(
      (a, b) =>
        (counts.get(b) as number) - (counts.get(a) as number) ||
        (a < b ? -1 : a > b ? 1 : 0)
    )
    .slice(0, MAX_SEGMENTS);
}

function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * How the values were found, and how many traces are in no segment:
 * "values of tag version from the 40 traces in range" or "values of tag
 * version from the newest 2,000 of 5,000 traces", then "; 3 traces in no
 * segment" when some are.
 */
export function segmentsNote(
  groupBy: IGroupByJson,
  read: number,
  total: number,
  segmented: number
): string {
  const where = `${groupBy.kind} ${groupBy.key}`;
  let note =
    read >= total
      ? `values of ${where} from the ${plural(total, 'trace')} in range`
      : `values of ${where} from the newest ${formatCount(read)} of ${plural(total, 'trace')}`;
  const outside = total - segmented;
  if (outside > 0) {
    note += `; ${plural(outside, 'trace')} in no segment`;
  }
  return note;
}
