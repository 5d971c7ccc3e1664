/**
 * Shared by the flame graph's view tests: a recording stand-in for the 2D
 * canvas (jsdom has none), a small trace, and rendering helpers.
 */
import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { buildTrace, ITrace } from '../../../src/trace';
import { FlameGraph } from '../../../src/view/flame/FlameGraph';
import { makeSpan } from '../trace/factory';

/** What a stand-in 2D context was asked to draw. */
export interface IFill {
  x: number;
  y: number;
  width: number;
  height: number;
  fillStyle: string;
  alpha: number;
}

/** A 2D context that records fills, texts and strokes (jsdom has no canvas). */
export function recordingContext() {
  const fills: IFill[] = [];
  const texts: string[] = [];
  const strokes: { x: number; y: number; strokeStyle: string }[] = [];
  const transforms: number[][] = [];
  const context = {
    fillStyle: '',
    strokeStyle: '',
    globalAlpha: 1,
    lineWidth: 1,
    font: '',
    textBaseline: '',
    clearRect: () => {
      fills.length = 0;
      texts.length = 0;
      strokes.length = 0;
    },
    fillRect(x: number, y: number, width: number, height: number) {
      fills.push({
        x,
        y,
        width,
        height,
        fillStyle: this.fillStyle,
        alpha: this.globalAlpha
      });
    },
    strokeRect(x: number, y: number) {
      strokes.push({ x, y, strokeStyle: this.strokeStyle });
    },
    fillText: (text: string) => texts.push(text),
    setTransform: (...args: number[]) => transforms.push(args),
    save: () => undefined,
    restore: () => undefined,
    beginPath: () => undefined,
    rect: () => undefined,
    clip: () => undefined
  };
  return { context, fills, texts, strokes, transforms };
}

/** root [0, 100): a [0, 50) with a1 [0, 20) (failed), b [50, 100) with tokens and cost. */
export function smallTrace(): ITrace {
  return buildTrace(undefined, [
    makeSpan({ id: 'root', name: 'agent', type: 'AGENT', endMs: 100 }),
    makeSpan({
      id: 'a',
      parent: 'root',
      name: 'retrieve',
      type: 'RETRIEVER',
      endMs: 50
    }),
    makeSpan({
      id: 'a1',
      parent: 'a',
      name: 'embed',
      type: 'EMBEDDING',
      endMs: 20,
      status: 'STATUS_CODE_ERROR'
    }),
    makeSpan({
      id: 'b',
      parent: 'root',
      name: 'llm',
      type: 'LLM',
      startMs: 50,
      endMs: 100,
      attributes: {
        'mlflow.chat.tokenUsage': {
          input_tokens: 1200,
          output_tokens: 34,
          total_tokens: 1234
        },
        'mlflow.llm.model': 'gpt-4o-mini',
        'mlflow.llm.cost': { input_cost: 0.0002, output_cost: 0.0001 }
      }
    })
  ]);
}

export function renderFlame(
  trace: ITrace,
  props: Partial<React.ComponentProps<typeof FlameGraph>> = {}
) {
  const onSelect = jest.fn();
  const view = render(
    <FlameGraph
      trace={trace}
      totalMs={(trace.endNs - trace.startNs) / 1e6}
      selectedId={undefined}
      matches={undefined}
      currentMatchId={undefined}
      onSelect={onSelect}
      {...props}
    />
  );
  return { ...view, onSelect };
}

export function listed(): string[] {
  return within(screen.getByRole('list', { name: 'Spans in the flame graph' }))
    .getAllByRole('button')
    .map(button => button.textContent!.split(',')[0]);
}

/** The canvas, clicked or hovered at the middle of `row` and `xMs` of a 100 ms window 800 px wide. */
export function pointAt(row: number, xMs: number) {
  return { clientX: (xMs / 100) * 800, clientY: row * 18 + 9 };
}

/**
 * Every canvas draws into a recording context and animation frames run at
 * once, so each render's drawing can be read back; returns the recording.
 */
export function recordCanvas(): ReturnType<typeof recordingContext> {
  const drawn = recordingContext();
  jest
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(() => drawn.context as never);
  jest.spyOn(window, 'requestAnimationFrame').mockImplementation(callback => {
    callback(0);
    return 1;
  });
  return drawn;
}
