/**
 * LLM cost, model and provider as MLflow records them (MLflow 3.17
 * `mlflow/tracing/constant.py`): per span the attributes `mlflow.llm.cost`
 * (`{input_cost, output_cost, total_cost}`, USD), `mlflow.llm.model` and
 * `mlflow.llm.provider`; per trace the metadata `mlflow.trace.cost`, the same
 * object as a JSON string. The one reader of these keys.
 */
import { decodeAttribute, isRecord } from './attributes';
import { formatUsd } from './format';
import { parseJsonExact } from './json';

/** The span attribute of a span's cost. */
export const SPAN_COST_KEY = 'mlflow.llm.cost';
/** The span attribute of the model a span called. */
export const SPAN_MODEL_KEY = 'mlflow.llm.model';
/** The span attribute of the model's provider. */
export const SPAN_PROVIDER_KEY = 'mlflow.llm.provider';
/** The trace metadata of the trace's aggregated cost. */
export const TRACE_COST_KEY = 'mlflow.trace.cost';

/** A cost in USD; input and output are null when the record leaves them out. */
export interface ICost {
  input: number | null;
  output: number | null;
  total: number;
}

/** A cost as read: the figures, or a note saying why they cannot be read; null when absent. */
export type CostReading = { cost: ICost } | { note: string } | null;

/** What a span says of the model it called and its cost; null for a span that says nothing. */
export interface ISpanLlm {
  /** `mlflow.llm.model`; '' when absent. */
  model: string;
  /** `mlflow.llm.provider`; '' when absent. */
  provider: string;
  cost: ICost | null;
  /** Why `mlflow.llm.cost` could not be read; '' when it could or is absent. */
  costNote: string;
}

const FIGURES: [keyof ICost, string][] = [
  ['input', 'input_cost'],
  ['output', 'output_cost'],
  ['total', 'total_cost']
];

/**
 * Reads a cost object, or the JSON text of one, recorded under `key`.
 *
 * #### Notes
 * A record without `total_cost` totals its input and output, as MLflow
 * defines it. Anything else malformed is a note, never a guess.
 */
export function parseCost(value: unknown, key: string): CostReading {
  if (value === undefined || value === null) {
    return null;
  }
  let record: unknown = value;
  if (typeof value === 'string') {
    try {
      record = parseJsonExact(value);
    } catch {
      return { note: `${key} is not valid JSON, so its cost is not shown.` };
    }
  }
  if (!isRecord(record)) {
    return { note: `${key} is not an object, so its cost is not shown.` };
  }
  const figures: Record<string, number | null> = {};
  for (const [field, name] of FIGURES) {
    const raw = record[name];
    if (raw !== undefined && raw !== null) {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        return { note: `${key}: ${name} is not a number.` };
      }
    }
    figures[field] = typeof raw === 'number' ? raw : null;
  }
  const { input, output, total } = figures;
  if (input === null && output === null && total === null) {
    return { note: `${key} has no input_cost, output_cost or total_cost.` };
  }
  return {
    cost: { input, output, total: total ?? (input ?? 0) + (output ?? 0) }
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A span's model, provider and cost, from its raw attributes; null when it records none. */
export function readSpanLlm(rawAttributes: unknown): ISpanLlm | null {
  const rawCost = decodeAttribute(rawAttributes, SPAN_COST_KEY);
  const model = text(decodeAttribute(rawAttributes, SPAN_MODEL_KEY));
  const provider = text(decodeAttribute(rawAttributes, SPAN_PROVIDER_KEY));
  const reading = parseCost(rawCost, SPAN_COST_KEY);
  if (reading === null && model === '' && provider === '') {
    return null;
  }
  return {
    model,
    provider,
    cost: reading && 'cost' in reading ? reading.cost : null,
    costNote: reading && 'note' in reading ? reading.note : ''
  };
}

/** The trace metadata's cost (`mlflow.trace.cost`). */
export function traceMetadataCost(metadata: unknown): CostReading {
  return parseCost(
    isRecord(metadata) ? metadata[TRACE_COST_KEY] : undefined,
    TRACE_COST_KEY
  );
}

/** The fields of a node the cost total needs. */
interface ICostNode {
  parent: ICostNode | null;
  span: { llm: ISpanLlm | null };
}

/**
 * The trace's cost summed over its spans as MLflow sums it: a span's cost
 * counts unless an ancestor already records one. Null when no span does.
 * `nodesInOrder` lists each parent before its children (buildTrace).
 */
export function sumSpanCosts(nodesInOrder: readonly ICostNode[]): ICost | null {
  const covered = new Set<ICostNode>();
  let sum: { input: number; output: number; total: number } | null = null;
  for (const node of nodesInOrder) {
    const cost = node.span.llm?.cost ?? null;
    const parentCovered =
      node.parent !== null &&
      (covered.has(node.parent) ||
        (node.parent.span.llm?.cost ?? null) !== null);
    if (parentCovered) {
      covered.add(node);
    } else if (cost !== null) {
      sum = sum ?? { input: 0, output: 0, total: 0 };
      sum.input += cost.input ?? 0;
      sum.output += cost.output ?? 0;
      sum.total += cost.total;
    }
  }
  return sum;
}

/** The models spans name, each once, in tree order. */
export function spanModels(nodesInOrder: readonly ICostNode[]): string[] {
  const models = new Set<string>();
  for (const node of nodesInOrder) {
    const model = node.span.llm?.model;
    if (model) {
      models.add(model);
    }
  }
  return [...models];
}

/** Models named at most in one line; the rest are counted. */
const MAX_MODELS = 3;

/** "input $x · output $y": the parts a cost records; '' when it records only a total. */
export function costBreakdown(cost: ICost): string {
  return [
    cost.input === null ? '' : `input ${formatUsd(cost.input)}`,
    cost.output === null ? '' : `output ${formatUsd(cost.output)}`
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Models as one line: "a, b, c +2 more". */
export function modelsText(models: readonly string[]): string {
  const more = models.length - MAX_MODELS;
  return (
    models.slice(0, MAX_MODELS).join(', ') + (more > 0 ? ` +${more} more` : '')
  );
}

/** A span row's compact cell: "model · $0.00045"; '' when the span records neither. */
export function spanLlmText(llm: ISpanLlm | null): string {
  if (!llm) {
    return '';
  }
  const cost = llm.costNote ? '$?' : llm.cost ? formatUsd(llm.cost.total) : '';
  return [llm.model, cost].filter(Boolean).join(' · ');
}
