import { useEffect } from 'react';

function isTypingTarget(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

/**
 * The viewer's keys, anywhere on the page but in a text field: End (`onEnd`), Home (`onHome`) and `/`
 * (`onSearch`, for the one pane of a split that owns it). Every pane listens, so End and Home move them all.
 */
export function useViewerKeys({
  onEnd,
  onHome,
  onSearch,
}: {
  onEnd: () => void;
  onHome: () => void;
  onSearch?: (() => void) | undefined;
}): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target) || event.altKey || event.metaKey || event.ctrlKey) return;
      if (event.key === 'End') {
        event.preventDefault();
        onEnd();
      } else if (event.key === 'Home') {
        event.preventDefault();
        onHome();
      } else if (event.key === '/' && onSearch) {
        event.preventDefault();
        onSearch();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onEnd, onHome, onSearch]);
}
