/**
 * The trace as one conversation: the request, each model call's new
 * messages, each tool call and retrieval, in time order, then the response
 * (trace/conversationSteps.ts). Each step opens its span. Steps are
 * virtualized; their heights are measured.
 */
import React, {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { conversationSteps, formatCount, ITrace } from '../../trace';
import { CSS } from '../classes';
import { CONVERSATION_CSS } from './classes';
import { ConversationStep, stepClassName } from './ConversationStep';

/** A first guess of a step's height, before it is measured. */
const STEP_ESTIMATE_PX = 120;
const stepEstimate = () => STEP_ESTIMATE_PX;

/** Props of {@link ConversationView}. */
export interface IConversationViewProps {
  trace: ITrace;
  /** The explorer's selected span: its first step is marked and scrolled to. */
  selectedId: string | undefined;
  onSelectSpan: (spanId: string) => void;
}

/** The conversation of one trace. */
export function ConversationView({
  trace,
  selectedId,
  onSelectSpan
}: IConversationViewProps): React.ReactElement {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const steps = useMemo(() => conversationSteps(trace), [trace]);
  // The request and the response share the root's id: keyed by kind too.
  const getItemKey = useCallback(
    (index: number) => `${steps[index].kind} ${steps[index].spanId}`,
    [steps]
  );
  const virtualizer = useVirtualizer({
    count: steps.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: stepEstimate,
    overscan: 4,
    getItemKey,
    initialRect: { width: 800, height: 400 }
  });
  // The step last opened here: the request and the response share the
  // root's span, so the span alone does not say which of them was opened.
  const [openedIndex, setOpenedIndex] = useState<number | undefined>();
  const selectedIndex = useMemo(() => {
    if (selectedId === undefined) {
      return -1;
    }
    if (
      openedIndex !== undefined &&
      steps[openedIndex]?.spanId === selectedId
    ) {
      return openedIndex;
    }
    return steps.findIndex(step => step.spanId === selectedId);
  }, [steps, selectedId, openedIndex]);
  useEffect(() => {
    if (selectedIndex >= 0) {
      virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    }
    // Scroll when the selection moves, not when the trace updates.
  }, [selectedId]);
  return (
    <div className={CONVERSATION_CSS.root}>
      <div
        className={CONVERSATION_CSS.scroller}
        ref={scrollerRef}
        role="list"
        aria-label={`Conversation, ${formatCount(steps.length)} steps`}
      >
        <div
          style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
        >
          {virtualizer.getVirtualItems().map(item => {
            const step = steps[item.index];
            const selected = item.index === selectedIndex;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                role="listitem"
                aria-posinset={item.index + 1}
                aria-setsize={steps.length}
                aria-current={selected}
                className={stepClassName(step, selected)}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <ConversationStep
                  step={step}
                  span={trace.nodeById.get(step.spanId)?.span}
                  onSelectSpan={spanId => {
                    setOpenedIndex(item.index);
                    onSelectSpan(spanId);
                  }}
                />
              </div>
            );
          })}
        </div>
      </div>
      {steps.length === 0 && (
        <div className={CSS.notice}>This trace has no spans.</div>
      )}
    </div>
  );
}
