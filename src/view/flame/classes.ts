/**
 * CSS class names of the flame graph and the view switch (style/flame.css).
 */
export const FLAME_CSS = {
  flame: 'jp-MlflowTrace-flame',
  breadcrumbs: 'jp-MlflowTrace-flameBreadcrumbs',
  scroller: 'jp-MlflowTrace-flameScroller',
  canvas: 'jp-MlflowTrace-flameCanvas',
  tooltip: 'jp-MlflowTrace-flameTooltip',
  list: 'jp-MlflowTrace-flameList',
  probes: 'jp-MlflowTrace-flameProbes',
  viewSwitch: 'jp-MlflowTrace-viewSwitch'
} as const;
