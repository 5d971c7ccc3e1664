/**
 * Quality over time: the valid assessments of a summary's traces per name,
 * counted and averaged per bucket of the trace's request time, as MLflow's
 * ASSESSMENTS view computes them. Pure; the twin of the Python package's
 * `_summary_quality.py`.
 *
 * #### Notes
 * Checked against MLflow 3.17.2 (`trace_analytics.assessment_aggregate`,
 * `SqlAssessments.from_mlflow_entity`): a boolean is 1 or 0, a finite
 * number itself, a string "yes"/"no" (trimmed, any case) 1 or 0, anything
 * else has no numeric value; an overridden assessment (`valid: false`) is
 * left out. The value dimension is the stored text, Python's
 * `json.dumps(value)` (numbers arrive as floats: `4.0`).
 */
import { isRecord } from './attributes';
import { fsum, roundShare, SummaryGrid } from './aggregate';

/** Most distinct values a name may have for its `values` counts. */
export const MAX_QUALITY_VALUES = 10;

/** One point of a quality series, as the payload writes it. */
export interface IQualityPointJson {
  count: number;
  mean: number | null;
}

/** One assessment name's entry of `quality`, as the payload writes it. */
export interface IQualityJson extends IQualityPointJson {
  name: string;
  values?: Record<string, number>;
  buckets: (IQualityPointJson & { start_time_ms: number })[];
}

/** What a summary reads of one assessment. */
export interface IAssessmentFacts {
  name: string;
  /** The stored text of the value (Python's json.dumps). */
  valueText: string;
  /** The value as MLflow aggregates it; null when it has none. */
  number: number | null;
}

/** Python's `repr` of a float (what `json.dumps` writes for one). */
export function pyFloatRepr(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) {
    return value.toFixed(1);
  }
  const shortest = String(value);
  const exp = /^(-?[\d.]+)e([+-])(\d+)$/.exec(shortest);
  if (exp) {
    return `${exp[1]}e${exp[2]}${exp[3].padStart(2, '0')}`;
  }
  const abs = Math.abs(value);
  if (abs >= 1e16) {
    // Python switches to exponent form at 1e16, JavaScript at 1e21
    const [mantissa, power] = value.toExponential().split('e');
    const digits = power.replace(/^([+-])(\d)$/, '$10$2');
    return `${mantissa}e${digits}`;
  }
  return shortest;
}

/** Python's `json.dumps` of a JSON value (ensure_ascii, `", "` and `": "` separators). */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? pyFloatRepr(value)
      : value > 0
        ? 'Infinity'
        : value < 0
          ? '-Infinity'
          : 'NaN';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u0080-\uffff]/g,
      c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
    );
  }
  if (Array.isArray(value)) {
    return `[${value.map(pyJsonDumps).join(', ')}]`;
  }
  if (isRecord(value)) {
    const items = Object.entries(value).map(
      ([k, v]) => `${pyJsonDumps(k)}: ${pyJsonDumps(v)}`
    );
    return `{${items.join(', ')}}`;
  }
  return pyJsonDumps(String(value));
}

/** The numeric value MLflow aggregates for an assessment value; null when none. */
export function assessmentNumber(value: unknown): number | null {
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : null;
  }
  if (typeof value === 'string') {
    const word = value.replace(/^\s+|\s+$/g, '').toLowerCase();
    return word === 'yes' ? 1 : word === 'no' ? 0 : null;
  }
  return null;
}

/** The valid feedback and expectation assessments of a trace info. */
export function assessmentFacts(info: unknown): IAssessmentFacts[] {
  const list = isRecord(info) ? info.assessments : undefined;
  if (!Array.isArray(list)) {
    return [];
  }
  const facts: IAssessmentFacts[] = [];
  for (const item of list) {
    if (!isRecord(item) || item.valid === false) {
      continue;
    }
    const name = item.assessment_name;
    const holder = isRecord(item.feedback)
      ? item.feedback
      : isRecord(item.expectation)
        ? item.expectation
        : null;
    if (typeof name !== 'string' || holder === null) {
      continue;
    }
    const value = holder.value;
    facts.push({
      name,
      valueText: pyJsonDumps(value),
      number: assessmentNumber(value)
    });
  }
  return facts;
}

class MeanTally {
  add(number: number | null): void {
    this.count += 1;
    if (number !== null) {
      this.numbers.push(number);
    }
  }

  json(): IQualityPointJson {
    const n = this.numbers.length;
    return {
      count: this.count,
      mean: n === 0 ? null : roundShare(fsum(this.numbers) / n)
    };
  }

  count = 0;
  numbers: number[] = [];
}

/** Per-name, per-bucket assessment tallies, filled one trace at a time. */
export class QualityTallies {
  /** Empty tallies over `grid`. */
  constructor(grid: SummaryGrid) {
    this.grid = grid;
  }

  /** Counts the assessments of a trace whose request time is `timestampMs` (in range). */
  add(timestampMs: number, facts: readonly IAssessmentFacts[]): void {
    const index = this.grid.index(timestampMs);
    for (const fact of facts) {
      let entry = this._names.get(fact.name);
      if (entry === undefined) {
        entry = {
          total: new MeanTally(),
          buckets: new Map(),
          values: new Map()
        };
        this._names.set(fact.name, entry);
      }
      entry.total.add(fact.number);
      let bucket = entry.buckets.get(index);
      if (bucket === undefined) {
        bucket = new MeanTally();
        entry.buckets.set(index, bucket);
      }
      bucket.add(fact.number);
      entry.values.set(
        fact.valueText,
        (entry.values.get(fact.valueText) ?? 0) + 1
      );
    }
  }

  /** `quality`, sorted by name. */
  json(): IQualityJson[] {
    return Array.from(this._names.keys())
      .sort(compareText)
      .map(name => {
        const entry = this._names.get(name) as INameTally;
        const points = Array.from({ length: this.grid.count }, (_, i) => {
          const point = entry.buckets.get(i)?.json() ?? {
            count: 0,
            mean: null
          };
          return {
            start_time_ms: this.grid.firstMs + i * this.grid.intervalMs,
            ...point
          };
        });
        return qualityJson(name, entry.total.json(), entry.values, points);
      });
  }

  readonly grid: SummaryGrid;
  private _names = new Map<string, INameTally>();
}

interface INameTally {
  total: MeanTally;
  buckets: Map<number, MeanTally>;
  values: Map<string, number>;
}

/** Code-unit order, as Python's `sorted` orders str (for the BMP). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One name's entry; `values` kept only when there are at most MAX_QUALITY_VALUES. */
export function qualityJson(
  name: string,
  total: IQualityPointJson,
  values: ReadonlyMap<string, number>,
  buckets: IQualityJson['buckets']
): IQualityJson {
  const entry: IQualityJson = { name, ...total, buckets };
  if (values.size > 0 && values.size <= MAX_QUALITY_VALUES) {
    const sorted = Array.from(values.keys()).sort(compareText);
    entry.values = Object.fromEntries(
      sorted.map(k => [k, values.get(k) as number])
    );
  }
  // key order as the schema lists it
  return {
    name: entry.name,
    count: entry.count,
    mean: entry.mean,
    ...(entry.values ? { values: entry.values } : {}),
    buckets: entry.buckets
  };
}
