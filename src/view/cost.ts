/**
 * The tooltip of a span's model and cost (the one-line texts are the trace
 * model's, src/trace/cost.ts, as the fallbacks write them). Pure.
 */
import { costBreakdown, formatUsd, ISpanLlm } from '../trace';

/** A span row's model and cost cell, in full: model, provider, the cost's parts or why it is unreadable. */
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
