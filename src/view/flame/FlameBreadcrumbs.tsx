/**
 * The flame graph's zoom path: "All spans" and each span from the top level
 * down to the zoomed one; each zooms out to itself. While the time axis is
 * zoomed or panned freely, the zoomed span's crumb shows all of it again.
 */
import React from 'react';
import { flameBreadcrumbs, ISpanNode } from '../../trace';
import { CSS } from '../classes';
import { FLAME_CSS } from './classes';

/** Props of {@link FlameBreadcrumbs}. */
export interface IFlameBreadcrumbsProps {
  zoomed: ISpanNode | undefined;
  /** Whether the time axis shows less than the zoomed span (or trace). */
  narrowed: boolean;
  onZoom: (spanId: string | undefined) => void;
}

/** The breadcrumbs of the zoomed span. */
export function FlameBreadcrumbs({
  zoomed,
  narrowed,
  onZoom
}: IFlameBreadcrumbsProps): React.ReactElement {
  const path = zoomed ? flameBreadcrumbs(zoomed) : [];
  return (
    <nav className={FLAME_CSS.breadcrumbs} aria-label="Flame graph zoom">
      <button
        className={CSS.button}
        aria-current={zoomed || narrowed ? undefined : 'location'}
        onClick={() => onZoom(undefined)}
      >
        All spans
      </button>
      {path.map((node, i) => (
        <React.Fragment key={node.span.spanId}>
          <span aria-hidden={true}>›</span>
          <button
            className={CSS.button}
            aria-current={
              i === path.length - 1 && !narrowed ? 'location' : undefined
            }
            onClick={() => onZoom(node.span.spanId)}
          >
            {node.span.name}
          </button>
        </React.Fragment>
      ))}
    </nav>
  );
}
