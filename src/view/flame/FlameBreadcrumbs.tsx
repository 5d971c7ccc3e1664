/**
 * The flame graph's zoom path: "All spans" and each span from the top level
 * down to the zoomed one; each zooms out to itself.
 */
import React from 'react';
import { flameBreadcrumbs, ISpanNode } from '../../trace';
import { CSS } from '../classes';
import { FLAME_CSS } from './classes';

/** Props of {@link FlameBreadcrumbs}. */
export interface IFlameBreadcrumbsProps {
  zoomed: ISpanNode | undefined;
  onZoom: (spanId: string | undefined) => void;
}

/** The breadcrumbs of the zoomed span. */
export function FlameBreadcrumbs({
  zoomed,
  onZoom
}: IFlameBreadcrumbsProps): React.ReactElement {
  const path = zoomed ? flameBreadcrumbs(zoomed) : [];
  return (
    <nav className={FLAME_CSS.breadcrumbs} aria-label="Flame graph zoom">
      <button
        className={CSS.button}
        aria-current={zoomed ? undefined : 'location'}
        onClick={() => onZoom(undefined)}
      >
        All spans
      </button>
      {path.map((node, i) => (
        <React.Fragment key={node.span.spanId}>
          <span aria-hidden={true}>›</span>
          <button
            className={CSS.button}
            aria-current={i === path.length - 1 ? 'location' : undefined}
            onClick={() => onZoom(node.span.spanId)}
          >
            {node.span.name}
          </button>
        </React.Fragment>
      ))}
    </nav>
  );
}
