/**
 * The flame graph's free zoom and pan over time, as pure functions: a range
 * never leaves its window, zooming keeps the point under the pointer still,
 * panning stops at the edges (checked over generated windows and gestures).
 */
import {
  clampFlameRange,
  flameView,
  IFlameRange,
  IFlameWindow,
  isWholeFlameWindow,
  MIN_RANGE_FRACTION,
  panFlameRange,
  zoomFlameRange
} from '../../../src/trace';
import { seeded } from '../seeded';

function windowOf(x0Ms: number, x1Ms: number): IFlameWindow {
  return { first: 0, end: 1, x0Ms, x1Ms, topRow: 0, rowCount: 1 };
}

const whole = windowOf(100, 300);

describe('the free zoom and pan of the flame graph', () => {
  it('zooms in around the anchor, which keeps its place on screen', () => {
    const range = zoomFlameRange(whole, { x0Ms: 100, x1Ms: 300 }, 0.5, 150);
    expect(range).toEqual({ x0Ms: 125, x1Ms: 225 });
    // 150 was a quarter across before, and is a quarter across after
    expect((150 - range.x0Ms) / (range.x1Ms - range.x0Ms)).toBeCloseTo(0.25);
  });

  it('zooms out no further than the window, and shifts back inside it at an edge', () => {
    expect(zoomFlameRange(whole, { x0Ms: 125, x1Ms: 225 }, 10, 150)).toEqual({
      x0Ms: 100,
      x1Ms: 300
    });
    expect(zoomFlameRange(whole, { x0Ms: 250, x1Ms: 300 }, 2, 300)).toEqual({
      x0Ms: 200,
      x1Ms: 300
    });
  });

  it('zooms in no further than a millionth of the window', () => {
    let range: IFlameRange = { x0Ms: 100, x1Ms: 300 };
    for (let i = 0; i < 100; i++) {
      range = zoomFlameRange(whole, range, 0.5, 200);
    }
    expect(range.x1Ms - range.x0Ms).toBeCloseTo(200 * MIN_RANGE_FRACTION, 12);
  });

  it('pans by the time asked for, stopping at the edges', () => {
    const range = { x0Ms: 150, x1Ms: 200 };
    expect(panFlameRange(whole, range, 30)).toEqual({ x0Ms: 180, x1Ms: 230 });
    expect(panFlameRange(whole, range, 500)).toEqual({ x0Ms: 250, x1Ms: 300 });
    expect(panFlameRange(whole, range, -500)).toEqual({ x0Ms: 100, x1Ms: 150 });
  });

  it("gives the view the window's spans and rows with the range's times", () => {
    const window = { ...whole, first: 3, end: 9, topRow: 2, rowCount: 4 };
    expect(flameView(window, { x0Ms: 120, x1Ms: 140 })).toEqual({
      ...window,
      x0Ms: 120,
      x1Ms: 140
    });
    expect(flameView(window, undefined)).toBe(window);
    expect(isWholeFlameWindow(window, window)).toBe(true);
    expect(isWholeFlameWindow(window, { x0Ms: 120, x1Ms: 300 })).toBe(false);
  });

  it('keeps every range inside its window over 500 generated gestures', () => {
    const random = seeded(22);
    for (let trial = 0; trial < 500; trial++) {
      const x0 = random() * 1e6;
      const window = windowOf(x0, x0 + 1e-3 + random() * 1e7);
      const full = window.x1Ms - window.x0Ms;
      let range: IFlameRange = { x0Ms: window.x0Ms, x1Ms: window.x1Ms };
      for (let step = 0; step < 20; step++) {
        const anchor = range.x0Ms + random() * (range.x1Ms - range.x0Ms);
        range =
          random() < 0.5
            ? zoomFlameRange(window, range, Math.exp(random() * 4 - 2), anchor)
            : panFlameRange(window, range, (random() - 0.5) * full);
        const width = range.x1Ms - range.x0Ms;
        expect(range.x0Ms).toBeGreaterThanOrEqual(window.x0Ms);
        expect(range.x1Ms).toBeLessThanOrEqual(window.x1Ms + full * 1e-12);
        expect(width).toBeGreaterThanOrEqual(
          full * MIN_RANGE_FRACTION * (1 - 1e-9)
        );
      }
    }
  });

  it('leaves a range already inside its window as it is', () => {
    expect(clampFlameRange(whole, { x0Ms: 130, x1Ms: 170 })).toEqual({
      x0Ms: 130,
      x1Ms: 170
    });
  });
});
