/**
 * Parent resolution for a list of parsed spans: duplicate ids, orphans and
 * parent cycles are repaired here, each with a warning.
 */
import { ISpan } from './span';
import { ITraceWarning } from './warnings';

/**
 * Renames repeated span ids to `<id>#2`, `<id>#3`, … so every id is unique;
 * returns `valueAt(index)` of each span by its final id.
 */
export function dedupeSpanIds<T>(
  spans: ISpan[],
  warnings: ITraceWarning[],
  valueAt: (index: number) => T
): Map<string, T> {
  const seen = new Map<string, T>();
  const nextSuffix = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (!seen.has(span.spanId)) {
      seen.set(span.spanId, valueAt(i));
      continue;
    }
    const original = span.spanId;
    let suffix = nextSuffix.get(original) ?? 2;
    while (seen.has(`${original}#${suffix}`)) {
      suffix++;
    }
    nextSuffix.set(original, suffix + 1);
    span.spanId = `${original}#${suffix}`;
    seen.set(span.spanId, valueAt(i));
    warnings.push({
      kind: 'duplicate-id',
      spanId: span.spanId,
      message: `Span id ${original} appears more than once; this one is shown as ${span.spanId}.`
    });
  }
  return seen;
}

function earlier(spans: ISpan[], a: number, b: number): boolean {
  return (
    spans[a].startNs < spans[b].startNs ||
    (spans[a].startNs === spans[b].startNs && a < b)
  );
}

/**
 * Breaks every parent cycle by making its earliest member a root.
 * Each span is walked once, so this is linear.
 */
function breakCycles(
  spans: ISpan[],
  parentOf: Int32Array,
  warnings: ITraceWarning[]
): void {
  const DONE = -2;
  // pathPos[i] >= 0: i is on the current walk at that position
  const pathPos = new Int32Array(spans.length).fill(-1);
  const path: number[] = [];
  for (let start = 0; start < spans.length; start++) {
    path.length = 0;
    let at = start;
    while (at >= 0 && pathPos[at] === -1) {
      pathPos[at] = path.length;
      path.push(at);
      at = parentOf[at];
    }
    if (at >= 0 && pathPos[at] >= 0) {
      let cut = at;
      for (let k = pathPos[at]; k < path.length; k++) {
        if (earlier(spans, path[k], cut)) {
          cut = path[k];
        }
      }
      const via = spans[parentOf[cut]].spanId;
      parentOf[cut] = -1;
      warnings.push({
        kind: 'cycle',
        spanId: spans[cut].spanId,
        message: `Span ${spans[cut].spanId} is in a parent cycle (via ${via}); it is shown as a root.`
      });
    }
    for (const i of path) {
      pathPos[i] = DONE;
    }
  }
}

/**
 * The index of each span's parent, or -1 for a root.
 *
 * #### Notes
 * `indexOf` gives the index of the span with a (deduplicated) id. An orphan
 * goes under the earliest span that has no parent id; when there is none it
 * stays a root.
 */
export function resolveParents(
  spans: ISpan[],
  indexOf: (spanId: string) => number | undefined,
  warnings: ITraceWarning[]
): Int32Array {
  const parentOf = new Int32Array(spans.length).fill(-1);
  const orphans: number[] = [];
  let firstRoot = -1;
  for (let i = 0; i < spans.length; i++) {
    const parentId = spans[i].parentId;
    if (parentId === null) {
      if (firstRoot < 0 || earlier(spans, i, firstRoot)) {
        firstRoot = i;
      }
      continue;
    }
    const parent = indexOf(parentId);
    if (parent === undefined) {
      orphans.push(i);
    } else {
      parentOf[i] = parent;
    }
  }
  breakCycles(spans, parentOf, warnings);
  for (const i of orphans) {
    parentOf[i] = firstRoot;
    const where =
      firstRoot >= 0
        ? `under the root ${spans[firstRoot].spanId}`
        : 'as a top-level span';
    warnings.push({
      kind: 'orphan',
      spanId: spans[i].spanId,
      message: `Parent ${spans[i].parentId} of span ${spans[i].spanId} is not in the trace; it is shown ${where}.`
    });
  }
  return parentOf;
}
