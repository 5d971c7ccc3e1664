/**
 * The flame graph's colours, read from the theme: each span type's colour
 * from the same `.jp-MlflowTrace-type-*` rule the tree's badges and bars use
 * (style/base.css), through hidden probe elements, and the rest from
 * `--jp-*` variables. Read once per theme (again on a theme switch), not per frame.
 */
import { RefObject, useLayoutEffect, useState } from 'react';
import { SPAN_TYPES } from '../../trace';

/** Colours and font of the canvas. */
export interface IFlamePalette {
  /** Fill by span type category (SPAN_TYPES). */
  types: Record<string, string>;
  error: string;
  text: string;
  selected: string;
  match: string;
  /** The critical path's band. */
  critical: string;
  font: string;
}

/** Used before the theme is read, and where nothing is computed (tests). */
export const FALLBACK_PALETTE: IFlamePalette = {
  types: Object.fromEntries(SPAN_TYPES.map(type => [type, '#9e9e9e'])),
  error: '#d32f2f',
  text: '#000000',
  selected: '#000000',
  match: '#f57c00',
  critical: '#000000',
  font: '11px sans-serif'
};

/**
 * The palette under `root`: `probes` holds one element per span type, with
 * `data-type` and the type's class.
 */
export function readPalette(
  root: HTMLElement,
  probes: HTMLElement | null
): IFlamePalette {
  const style = getComputedStyle(root);
  const variable = (name: string, fallback: string) =>
    style.getPropertyValue(name).trim() || fallback;
  const types = { ...FALLBACK_PALETTE.types };
  for (const probe of Array.from(probes?.children ?? [])) {
    const type = (probe as HTMLElement).dataset.type;
    const colour = getComputedStyle(probe).backgroundColor;
    if (type && colour) {
      types[type] = colour;
    }
  }
  return {
    types,
    error: variable('--jp-error-color1', FALLBACK_PALETTE.error),
    text: variable('--jp-ui-font-color0', FALLBACK_PALETTE.text),
    selected: variable('--jp-ui-font-color0', FALLBACK_PALETTE.selected),
    match: variable('--jp-warn-color0', FALLBACK_PALETTE.match),
    critical: variable('--jp-ui-font-color1', FALLBACK_PALETTE.critical),
    font: `${variable('--jp-ui-font-size0', '11px')} ${variable(
      '--jp-ui-font-family',
      'sans-serif'
    )}`
  };
}

/**
 * The colours of the current theme, read again when JupyterLab switches
 * themes; null until first read (before the first paint, so the first frame
 * drawn has the theme's colours).
 */
export function usePalette(
  rootRef: RefObject<HTMLElement>,
  probesRef: RefObject<HTMLElement>
): IFlamePalette | null {
  const [palette, setPalette] = useState<IFlamePalette | null>(null);
  useLayoutEffect(() => {
    const read = () => {
      if (rootRef.current) {
        setPalette(readPalette(rootRef.current, probesRef.current));
      }
    };
    read();
    if (typeof MutationObserver === 'undefined') {
      return;
    }
    const observer = new MutationObserver(read);
    observer.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
    });
    return () => observer.disconnect();
  }, [rootRef, probesRef]);
  return palette;
}
