/**
 * The width of an element, kept current with a ResizeObserver.
 */
import { RefObject, useEffect, useState } from 'react';

/** Width in px of `ref`'s element; `fallbackPx` until it is measured. */
export function useElementWidth(
  ref: RefObject<HTMLElement>,
  fallbackPx: number
): number {
  const [widthPx, setWidthPx] = useState(fallbackPx);
  useEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    const measure = () => setWidthPx(element.clientWidth || fallbackPx);
    measure();
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, fallbackPx]);
  return widthPx;
}
