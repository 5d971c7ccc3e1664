/**
 * The spans of one agent-graph node, in time order, each a button that
 * selects it. Long lists grow a page at a time.
 */
import React, { useState } from 'react';
import {
  formatCount,
  formatDurationMs,
  IAgentGraphNode,
  ITrace
} from '../../trace';
import { CSS } from '../classes';
import { GRAPH_CSS } from './classes';
import { callFigures, errorCount } from './figures';

/** Spans listed at first, and added by each "Show more". */
export const SPANS_PAGE = 100;

/** Props of {@link GraphSpanList}. */
export interface IGraphSpanListProps {
  trace: ITrace;
  node: IAgentGraphNode;
  selectedId: string | undefined;
  onSelectSpan: (spanId: string) => void;
  /** Search matches while a query is set: matching spans are marked. */
  matches?: ReadonlySet<string>;
}

/** The list of a node's spans under the graph. */
export function GraphSpanList({
  trace,
  node,
  selectedId,
  onSelectSpan,
  matches
}: IGraphSpanListProps): React.ReactElement {
  const [limit, setLimit] = useState(SPANS_PAGE);
  const listed = node.spanIds.slice(0, limit);
  const more = node.spanIds.length - listed.length;
  const errors = node.errors > 0 ? ` · ${errorCount(node.errors)}` : '';
  return (
    <section className={GRAPH_CSS.spans} aria-label={`Spans of ${node.name}`}>
      <h3 className={GRAPH_CSS.spansTitle}>
        {`${node.name} (${node.spanType}): ${callFigures(node)}${errors}`}
      </h3>
      <ol>
        {listed.map((spanId, i) => {
          const spanNode = trace.nodeById.get(spanId);
          if (spanNode === undefined) {
            return null;
          }
          const selected = spanId === selectedId;
          return (
            <li key={spanId}>
              <button
                type="button"
                className={`${CSS.button} ${selected ? CSS.modSelected : ''}`}
                aria-current={selected ? 'true' : undefined}
                onClick={() => onSelectSpan(spanId)}
              >
                {`#${formatCount(i + 1)} · ${formatDurationMs(spanNode.durationMs)} · at ${formatDurationMs(spanNode.startOffsetMs)}`}
                {spanNode.parent !== null &&
                  ` · from ${spanNode.parent.span.name}`}
              </button>
              {spanNode.span.error && (
                <span className={CSS.errorBadge}>error</span>
              )}
              {matches?.has(spanId) && (
                <span className={GRAPH_CSS.matchBadge}>match</span>
              )}
            </li>
          );
        })}
      </ol>
      {more > 0 && (
        <button
          type="button"
          className={CSS.button}
          onClick={() => setLimit(limit + SPANS_PAGE)}
        >
          {`Show ${formatCount(Math.min(more, SPANS_PAGE))} more of ${formatCount(more)}`}
        </button>
      )}
    </section>
  );
}
