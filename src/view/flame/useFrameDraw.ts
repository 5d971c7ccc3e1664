/**
 * Drawing a canvas at most once per animation frame without waiting for one:
 * the first request in a frame draws at once (so a change is on screen in
 * the frame it happens in), and every later request until the next frame
 * is drawn once, at that frame's start.
 */
import { useCallback, useEffect, useRef } from 'react';

/**
 * A request to draw with `draw`, which says whether it drew (it may not be
 * able to yet). Where there are no animation frames, every request draws.
 */
export function useFrameDraw(draw: () => boolean): () => void {
  // The frame requested (-1 while requesting, null when none), and whether
  // a request came after this frame's draw
  const gate = useRef<{ frame: number | null; dirty: boolean }>({
    frame: null,
    dirty: false
  });
  const latestDraw = useRef(draw);
  latestDraw.current = draw;

  const onFrame = useCallback(() => {
    const state = gate.current;
    state.frame = null;
    if (state.dirty) {
      state.dirty = false;
      if (latestDraw.current()) {
        // This frame has drawn: a request in it waits for the next one
        watchFrame();
      }
    }
  }, []);
  const watchFrame = useCallback(() => {
    const state = gate.current;
    state.frame = -1;
    const id = requestAnimationFrame(onFrame);
    // A frame may run at once (a test's stand-in): then none is pending
    if (state.frame === -1) {
      state.frame = id;
    }
  }, [onFrame]);

  useEffect(
    () => () => {
      const { frame } = gate.current;
      if (frame !== null && frame >= 0) {
        cancelAnimationFrame(frame);
      }
    },
    []
  );

  return useCallback(() => {
    if (typeof requestAnimationFrame === 'undefined') {
      latestDraw.current();
      return;
    }
    const state = gate.current;
    if (state.frame !== null) {
      state.dirty = true;
      return;
    }
    if (latestDraw.current()) {
      watchFrame();
    }
  }, [watchFrame]);
}
