/**
 * CSS class names of review mode, `jp-MlflowTrace-review*` (style/review.css).
 */
export const REVIEW_CSS = {
  root: 'jp-MlflowTrace-review',
  bar: 'jp-MlflowTrace-reviewBar',
  row: 'jp-MlflowTrace-reviewRow',
  progress: 'jp-MlflowTrace-reviewProgress',
  position: 'jp-MlflowTrace-reviewPosition',
  name: 'jp-MlflowTrace-reviewName',
  thumb: 'jp-MlflowTrace-reviewThumb',
  rationale: 'jp-MlflowTrace-reviewRationale',
  help: 'jp-MlflowTrace-reviewHelp',
  pending: 'jp-MlflowTrace-reviewPending',
  unsaved: 'jp-MlflowTrace-reviewUnsaved',
  notice: 'jp-MlflowTrace-reviewNotice',
  start: 'jp-MlflowTrace-reviewStart',
  pressed: 'jp-mod-pressed'
} as const;
