/**
 * CSS class names of the conversation view (style/conversation.css).
 */
export const CONVERSATION_CSS = {
  root: 'jp-MlflowTrace-conversation',
  scroller: 'jp-MlflowTrace-conversationScroller',
  step: 'jp-MlflowTrace-step',
  head: 'jp-MlflowTrace-stepHead',
  kind: 'jp-MlflowTrace-stepKind',
  name: 'jp-MlflowTrace-stepName',
  open: 'jp-MlflowTrace-stepOpen',
  body: 'jp-MlflowTrace-stepBody',
  label: 'jp-MlflowTrace-stepLabel',
  text: 'jp-MlflowTrace-stepText'
} as const;

/** The modifier of a step of `kind` (a closed set, never trace text). */
export function stepKindClass(kind: string): string {
  return `jp-MlflowTrace-step-${kind}`;
}
