/**
 * @jest-environment jsdom
 */
import React from 'react';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { buildTrace, flameLayout, flameWindow } from '../../../src/trace';
import {
  drawFlame,
  flameXPx,
  MIN_DRAWN_PX
} from '../../../src/view/flame/draw';
import { FlameGraph } from '../../../src/view/flame/FlameGraph';
import { FALLBACK_PALETTE } from '../../../src/view/flame/palette';
import { makeSpan } from '../trace/factory';
import { fakeLayout, wideTrace } from './helpers';
import { seeded } from '../seeded';
import {
  listed,
  pointAt,
  recordCanvas,
  recordingContext,
  renderFlame,
  smallTrace
} from './flame-helpers';

beforeAll(fakeLayout);

let drawn: ReturnType<typeof recordingContext>;

beforeEach(() => {
  drawn = recordCanvas();
});

afterEach(() => jest.restoreAllMocks());

describe('FlameGraph', () => {
  it('draws one rectangle per span, in its row and at its time, coloured by type, an error band on the failed one', () => {
    renderFlame(smallTrace());
    const bodies = drawn.fills.filter(fill => fill.height === 17);
    expect(bodies).toHaveLength(4);
    const at = (y: number) =>
      bodies
        .filter(fill => fill.y === y)
        .map(fill => [Math.round(fill.x), Math.round(fill.width + 1)]);
    expect(at(0)).toEqual([[0, 800]]);
    expect(at(18)).toEqual([
      [0, 400],
      [400, 400]
    ]);
    expect(at(36)).toEqual([[0, 160]]);
    const errorBands = drawn.fills.filter(
      fill => fill.fillStyle === FALLBACK_PALETTE.error
    );
    expect(errorBands).toEqual([
      expect.objectContaining({ y: 36 + 13, height: 4 })
    ]);
    expect(drawn.texts).toEqual(['agent', 'retrieve', 'llm', 'embed']);
  });

  it("takes each type's colour from the rule of the tree's badges, and the error's from the theme", () => {
    const style = document.createElement('style');
    style.textContent = `
      .jp-MlflowTrace-type-AGENT { background: rgb(1, 2, 3); }
      .jp-MlflowTrace-type-LLM { background: rgb(4, 5, 6); }
      .jp-MlflowTrace-flame { --jp-error-color1: rgb(7, 8, 9); }`;
    document.head.appendChild(style);
    try {
      renderFlame(smallTrace());
      const colours = drawn.fills.map(fill => fill.fillStyle);
      expect(colours).toContain('rgb(1, 2, 3)');
      expect(colours).toContain('rgb(4, 5, 6)');
      expect(colours).toContain('rgb(7, 8, 9)');
    } finally {
      style.remove();
    }
  });

  it('scales the canvas to the device pixels', () => {
    Object.defineProperty(window, 'devicePixelRatio', {
      configurable: true,
      value: 2
    });
    try {
      const { container } = renderFlame(smallTrace());
      const canvas = container.querySelector('canvas')!;
      expect(canvas.width).toBe(1600);
      expect(canvas.height).toBe(3 * 18 * 2);
      expect(canvas.style.width).toBe('800px');
      expect(drawn.transforms.at(-1)).toEqual([2, 0, 0, 2, 0, 0]);
    } finally {
      Object.defineProperty(window, 'devicePixelRatio', {
        configurable: true,
        value: 1
      });
    }
  });

  it('lists what it draws for screen readers, and a listed span selects on click', () => {
    const { onSelect } = renderFlame(smallTrace());
    expect(listed()).toEqual(['agent', 'retrieve', 'embed', 'llm']);
    const embed = screen.getByRole('button', { name: /^embed/ });
    expect(embed.textContent).toBe('embed, EMBEDDING, 20 ms, error');
    fireEvent.click(embed);
    expect(onSelect).toHaveBeenCalledWith('a1');
  });

  it('selects and zooms into a clicked span; the breadcrumbs zoom out', () => {
    const { onSelect } = renderFlame(smallTrace());
    fireEvent.click(screen.getByRole('img'), pointAt(1, 25));
    expect(onSelect).toHaveBeenCalledWith('a');
    const crumbs = screen.getByRole('navigation', { name: 'Flame graph zoom' });
    expect(
      within(crumbs)
        .getAllByRole('button')
        .map(button => button.textContent)
    ).toEqual(['All spans', 'agent', 'retrieve']);
    expect(
      within(crumbs).getByText('retrieve').getAttribute('aria-current')
    ).toBe('location');
    // The zoomed span fills the width on the top row; its child below
    expect(listed()).toEqual(['retrieve', 'embed']);
    const bodies = drawn.fills.filter(fill => fill.height === 17);
    expect(bodies.map(fill => [fill.y, Math.round(fill.width + 1)])).toEqual([
      [0, 800],
      [18, 320]
    ]);
    fireEvent.click(within(crumbs).getByText('agent'));
    expect(listed()).toEqual(['agent', 'retrieve', 'embed', 'llm']);
    fireEvent.click(screen.getByRole('img'), pointAt(1, 75));
    expect(listed()).toEqual(['llm']);
    fireEvent.click(within(crumbs).getByText('All spans'));
    expect(listed()).toHaveLength(4);
    expect(
      within(crumbs).getByText('All spans').getAttribute('aria-current')
    ).toBe('location');
  });

  it('zooms out when a span outside the zoom is selected elsewhere, and only then', () => {
    const trace = smallTrace();
    const { rerender, onSelect } = renderFlame(trace);
    fireEvent.click(screen.getByRole('img'), pointAt(1, 25));
    expect(listed()).toEqual(['retrieve', 'embed']);
    const select = (selectedId: string) =>
      rerender(
        <FlameGraph
          trace={trace}
          totalMs={100}
          selectedId={selectedId}
          matches={undefined}
          currentMatchId={undefined}
          onSelect={onSelect}
        />
      );
    select('a1');
    expect(listed()).toEqual(['retrieve', 'embed']);
    select('b');
    expect(listed()).toEqual(['agent', 'retrieve', 'embed', 'llm']);
  });

  it('shows name, duration, self time, tokens, model and cost on hover', () => {
    renderFlame(smallTrace());
    fireEvent.mouseMove(screen.getByRole('img'), pointAt(1, 75));
    const tooltip = screen.getByRole('tooltip');
    const lines = Array.from(tooltip.children).map(line => line.textContent);
    expect(lines).toEqual([
      'llm',
      'LLM · 50 ms · self 50 ms',
      'tokens 1,200 in · 34 out · 1,234 total',
      'model gpt-4o-mini',
      'cost $0.000300',
      'input $0.000200 · output $0.000100'
    ]);
    fireEvent.mouseMove(screen.getByRole('img'), pointAt(0, 10));
    expect(screen.getByRole('tooltip').firstChild!.textContent).toBe('agent');
    expect(screen.getByRole('tooltip').children[1].textContent).toBe(
      'AGENT · 100 ms · self 0 µs'
    );
    fireEvent.mouseLeave(screen.getByRole('img'));
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('dims what the search does not match and outlines the selected span and the current match', () => {
    renderFlame(smallTrace(), {
      matches: new Set(['a1', 'b']),
      currentMatchId: 'b',
      selectedId: 'a'
    });
    const bodies = drawn.fills.filter(fill => fill.height === 17);
    expect(bodies.map(fill => fill.alpha)).toEqual([0.3, 0.3, 1, 1]);
    expect(drawn.strokes).toEqual([
      expect.objectContaining({
        y: 19,
        strokeStyle: FALLBACK_PALETTE.selected
      }),
      expect.objectContaining({ strokeStyle: FALLBACK_PALETTE.match })
    ]);
    expect(screen.getByRole('button', { name: /^llm/ }).textContent).toBe(
      'llm, LLM, 50 ms, search match'
    );
  });

  it("marks the critical path with a band and dims what the explorer's filters hide", () => {
    renderFlame(smallTrace(), {
      critical: new Set(['root', 'b']),
      shown: node => ['root', 'b'].includes(node.span.spanId)
    });
    const bands = drawn.fills.filter(
      fill => fill.fillStyle === FALLBACK_PALETTE.critical && fill.height === 2
    );
    expect(bands.map(fill => fill.y)).toEqual([0, 18]);
    const bodies = drawn.fills.filter(fill => fill.height === 17);
    expect(bodies.map(fill => fill.alpha)).toEqual([1, 0.3, 1, 0.3]);
  });

  it('shows a hostile span name as text, in the list and the tooltip', () => {
    const hostile = '<img src=x onerror="alert(1)">';
    const trace = buildTrace(undefined, [makeSpan({ id: 'x', name: hostile })]);
    const { container } = renderFlame(trace);
    expect(listed()).toEqual([hostile.split(',')[0]]);
    fireEvent.mouseMove(screen.getByRole('img'), pointAt(0, 50));
    expect(screen.getByRole('tooltip').firstChild!.textContent).toBe(hostile);
    expect(container.querySelector('img')).toBeNull();
  });

  it('at 100k spans draws only rectangles half a pixel wide and lists at most 200', () => {
    const started = performance.now();
    renderFlame(wideTrace(100_000));
    const elapsedMs = performance.now() - started;
    const bodies = drawn.fills.filter(fill => fill.height === 17);
    // Each child is 0.5 ms of a 100 s trace over 800 px: 0.004 px, not drawn
    expect(bodies).toHaveLength(1);
    expect(listed()).toEqual(['root']);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('lists at most 200 spans, saying how many more are drawn', () => {
    // 399 children of 2 ms over 400 ms and 800 px: 4 px wide, all drawn
    const trace = wideTrace(400);
    const wide = buildTrace(
      undefined,
      trace.spans.map(span => ({
        span_id: span.spanId,
        parent_span_id: span.parentId,
        name: span.name,
        start_time_unix_nano: span.startNs,
        end_time_unix_nano:
          span.spanId === 'root' ? span.endNs : span.startNs + 1e6
      }))
    );
    renderFlame(wide);
    expect(listed()).toHaveLength(200);
    expect(
      screen.getByText('200 more spans are drawn; zoom in to list them.')
    ).toBeTruthy();
  });

  it('still lists the spans where there is no canvas', () => {
    jest
      .spyOn(HTMLCanvasElement.prototype, 'getContext')
      .mockImplementation(() => null);
    renderFlame(smallTrace());
    expect(listed()).toHaveLength(4);
  });

  it('draws a change at once, then at most once per frame however many come before the next', () => {
    const frames: FrameRequestCallback[] = [];
    jest
      .spyOn(window, 'requestAnimationFrame')
      .mockImplementation(callback => frames.push(callback));
    const { rerender, onSelect } = renderFlame(smallTrace());
    const trace = smallTrace();
    for (const selectedId of ['a', 'b', 'a1']) {
      rerender(
        <FlameGraph
          trace={trace}
          totalMs={100}
          selectedId={selectedId}
          matches={undefined}
          currentMatchId={undefined}
          onSelect={onSelect}
        />
      );
    }
    // The first render drew without waiting; the three changes wait for the frame
    const draws = () => Number(screen.getByRole('img').dataset.draws);
    expect(draws()).toBe(1);
    expect(frames).toHaveLength(1);
    act(() => frames[0](0));
    expect(draws()).toBe(2);
    expect(drawn.strokes).toEqual([
      expect.objectContaining({ y: 37, strokeStyle: FALLBACK_PALETTE.selected })
    ]);
    // A frame with no change draws nothing and asks for no more frames
    act(() => frames[1](0));
    expect(draws()).toBe(2);
    expect(frames).toHaveLength(2);
    // The next change draws at once again
    rerender(
      <FlameGraph
        trace={trace}
        totalMs={100}
        selectedId="b"
        matches={undefined}
        currentMatchId={undefined}
        onSelect={onSelect}
      />
    );
    expect(draws()).toBe(3);
  });
});

describe('drawFlame', () => {
  it('skips runs of narrow rectangles and draws every one half a pixel wide (50 generated rows)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = seeded(seed);
      const spans = [makeSpan({ id: 'root', endMs: 1000 })];
      let atMs = 0;
      while (atMs < 1000) {
        // Mostly slivers (under 0.5 px at 800 px over 1 s: 0.625 ms), some wide
        const lengthMs = random() < 0.9 ? random() * 0.7 : random() * 30;
        const endMs = Math.min(atMs + lengthMs, 1000);
        spans.push(
          makeSpan({
            id: `s${spans.length}`,
            parent: 'root',
            startMs: atMs,
            endMs
          })
        );
        atMs = endMs + (random() < 0.5 ? 0 : random() * 0.3);
      }
      const layout = flameLayout(buildTrace(undefined, spans), 1000);
      const window = flameWindow(layout, undefined);
      const expected = layout.rects.filter(
        rect =>
          flameXPx(window, 800, rect.x1Ms) - flameXPx(window, 800, rect.x0Ms) >=
          MIN_DRAWN_PX
      ).length;
      const recorder = recordingContext();
      const count = drawFlame(
        recorder.context as never,
        layout,
        window,
        { widthPx: 800, heightPx: 36, scrollTopPx: 0 },
        FALLBACK_PALETTE,
        {
          selectedId: undefined,
          matches: undefined,
          currentMatchId: undefined,
          critical: undefined,
          shown: undefined,
          hoveredIndex: -1
        }
      );
      expect({ seed, count }).toEqual({ seed, count: expected });
    }
  });
});
