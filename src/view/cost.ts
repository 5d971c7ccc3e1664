/**
 * Display text of costs and models, shared by the header, the span rows,
 * the span details and the comparison. Pure.
 */
import { formatUsd, ICost, ISpanLlm } from '../trace';

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

/** The tooltip of that cell: model, provider, the cost's parts or why it is unreadable. */
export function spanLlmTitle(llm: ISpanLlm): string {
  return [
    llm.model && `model ${llm.model}`,
    llm.provider && `provider ${llm.provider}`,
    llm.cost && `cost ${formatUsd(llm.cost.total)}`,
    llm.cost && costBreakdown(llm.cost),
    llm.costNote
  ]
    .filter(Boolean)
    .join('\n');
}
