import { useEffect, useState, type RefObject } from 'react';

/** The computed font size (px) of an element, re-read when the window resizes: charts scale their text by it. */
export function useFontPx(ref: RefObject<HTMLElement | null>, fallback = 13): number {
  const [px, setPx] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const read = () => {
      const value = Number.parseFloat(window.getComputedStyle(element).fontSize);
      if (Number.isFinite(value) && value > 0) setPx(value);
    };
    read();
    window.addEventListener('resize', read);
    return () => window.removeEventListener('resize', read);
  }, [ref]);
  return px;
}
