/**
 * @jest-environment jsdom
 */
/**
 * The flame graph's free zoom and pan over time in the view: Ctrl + wheel
 * zooms around the pointer, Shift + wheel, a sideways wheel, dragging and
 * the arrow keys pan, + - 0 zoom and reset; a plain wheel scrolls the page;
 * a drag selects nothing; the breadcrumbs show all of the span again.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { fakeLayout } from './helpers';
import {
  IFill,
  pointAt,
  recordCanvas,
  recordingContext,
  renderFlame,
  smallTrace
} from './flame-helpers';

beforeAll(() => {
  fakeLayout();
  // jsdom has no PointerEvent: a MouseEvent with a pointer id, as browsers' are
  class PointerEvent extends MouseEvent {
    readonly pointerId: number;
    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 0;
    }
  }
  Object.assign(window, { PointerEvent });
});

let drawn: ReturnType<typeof recordingContext>;

beforeEach(() => {
  drawn = recordCanvas();
});

afterEach(() => jest.restoreAllMocks());

/** The top row's rectangle (the root, 100 ms over 800 px), as [x, width] in px rounded. */
function rootBody(): [number, number] {
  const body = drawn.fills.find(
    (fill: IFill) => fill.height === 17 && fill.y === 0
  )!;
  return [Math.round(body.x), Math.round(body.width + 1)];
}

function canvas(): HTMLElement {
  return screen.getByRole('img');
}

function crumbs() {
  return within(screen.getByRole('navigation', { name: 'Flame graph zoom' }));
}

describe('FlameGraph zoom and pan over time', () => {
  it('zooms around the pointer with Ctrl + wheel, and keeps the page from zooming', () => {
    renderFlame(smallTrace());
    expect(rootBody()).toEqual([0, 800]);
    // Wheel up by 347 px: exp(-0.694) ≈ half the range, around 200 px (25 ms)
    const event = fireEvent.wheel(canvas(), {
      deltaY: -346.57,
      ctrlKey: true,
      clientX: 200
    });
    expect(event).toBe(false);
    // [12.5, 62.5] ms: the root starts 200 px left of the canvas and is 1600 px wide
    expect(rootBody()).toEqual([-200, 1600]);
    expect(crumbs().getByText('All spans').getAttribute('aria-current')).toBe(
      null
    );
    fireEvent.click(crumbs().getByText('All spans'));
    expect(rootBody()).toEqual([0, 800]);
    expect(crumbs().getByText('All spans').getAttribute('aria-current')).toBe(
      'location'
    );
  });

  it('leaves a plain vertical wheel to the page, and pans with Shift + wheel', () => {
    renderFlame(smallTrace());
    expect(fireEvent.wheel(canvas(), { deltaY: 100 })).toBe(true);
    expect(rootBody()).toEqual([0, 800]);
    fireEvent.wheel(canvas(), { deltaY: -346.57, ctrlKey: true, clientX: 0 });
    expect(rootBody()).toEqual([0, 1600]);
    // 400 px of a 50 ms range over 800 px: 25 ms later
    expect(fireEvent.wheel(canvas(), { deltaY: 400, shiftKey: true })).toBe(
      false
    );
    expect(rootBody()).toEqual([-400, 1600]);
    // A sideways wheel pans too, and stops at the end of the trace
    fireEvent.wheel(canvas(), { deltaX: 2000 });
    expect(rootBody()).toEqual([-800, 1600]);
  });

  it('pans by dragging, and the click that ends a drag selects nothing', () => {
    const { onSelect } = renderFlame(smallTrace());
    fireEvent.wheel(canvas(), { deltaY: -346.57, ctrlKey: true, clientX: 0 });
    fireEvent.pointerDown(canvas(), { button: 0, clientX: 500, pointerId: 1 });
    fireEvent.pointerMove(canvas(), { clientX: 300, pointerId: 1 });
    fireEvent.pointerUp(canvas(), { clientX: 300, pointerId: 1 });
    fireEvent.click(canvas(), { clientX: 300, clientY: 9 });
    expect(rootBody()).toEqual([-200, 1600]);
    expect(onSelect).not.toHaveBeenCalled();
    // A press that does not move is a click: it selects and zooms
    fireEvent.pointerDown(canvas(), { button: 0, clientX: 100, pointerId: 1 });
    fireEvent.pointerUp(canvas(), { clientX: 101, pointerId: 1 });
    fireEvent.click(canvas(), pointAt(1, 10));
    expect(onSelect).toHaveBeenCalledTimes(1);
  });

  it('zooms and pans by keyboard on the focused canvas; 0 shows all', () => {
    renderFlame(smallTrace());
    expect(canvas().tabIndex).toBe(0);
    fireEvent.keyDown(canvas(), { key: '+' });
    // 0.8 of the range around its middle: [10, 90] ms
    expect(rootBody()).toEqual([-100, 1000]);
    fireEvent.keyDown(canvas(), { key: 'ArrowRight' });
    // a tenth of the width: 80 px, 8 ms later
    expect(rootBody()).toEqual([-180, 1000]);
    fireEvent.keyDown(canvas(), { key: '-' });
    expect(rootBody()).toEqual([0, 800]);
    fireEvent.keyDown(canvas(), { key: '+' });
    fireEvent.keyDown(canvas(), { key: '0' });
    expect(rootBody()).toEqual([0, 800]);
  });

  it('starts a zoomed span whole, and its crumb shows all of it after a pan', () => {
    renderFlame(smallTrace());
    fireEvent.keyDown(canvas(), { key: '+' });
    // 20 ms on [10, 90] ms is 100 px: into "retrieve" ([0, 50) ms), drawn whole
    fireEvent.click(canvas(), { clientX: 100, clientY: 18 + 9 });
    expect(rootBody()).toEqual([0, 800]);
    fireEvent.keyDown(canvas(), { key: '+' });
    expect(
      crumbs().getByText('retrieve').getAttribute('aria-current')
    ).toBeNull();
    fireEvent.click(crumbs().getByText('retrieve'));
    expect(rootBody()).toEqual([0, 800]);
    expect(crumbs().getByText('retrieve').getAttribute('aria-current')).toBe(
      'location'
    );
  });

  it('counts its frames on the canvas', () => {
    renderFlame(smallTrace());
    const before = Number(canvas().dataset.draws);
    expect(before).toBeGreaterThanOrEqual(1);
    fireEvent.keyDown(canvas(), { key: '+' });
    expect(Number(canvas().dataset.draws)).toBe(before + 1);
  });
});
