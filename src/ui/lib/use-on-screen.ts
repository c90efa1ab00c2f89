import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether an element is on screen or within `marginPx` of it. True until the browser has said otherwise (and
 * always where there is no IntersectionObserver), so that what is measured this way starts as it always did.
 */
export function useOnScreen(ref: RefObject<Element | null>, marginPx = 200): boolean {
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') return undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        const entry = entries.at(-1);
        if (entry) setOnScreen(entry.isIntersecting);
      },
      { rootMargin: `${marginPx}px 0px` },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, marginPx]);
  return onScreen;
}
