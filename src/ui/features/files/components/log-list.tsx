import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReactNode, Ref } from 'react';
import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef } from 'react';

/** Height of one unwrapped row (matches the CSS line height). */
const ROW_HEIGHT = 18;
/** Rows from either end of the window at which the next page is fetched. */
const EDGE_ROWS = 60;
/** Within this many pixels of the bottom counts as "at the bottom". */
const BOTTOM_SLACK_PX = 6;

export interface LogListHandle {
  scrollToIndex(index: number, align?: 'start' | 'center' | 'end'): void;
  scrollToBottom(): void;
  scrollToTop(): void;
  element(): HTMLDivElement | null;
}

export interface LogListProps {
  keys: readonly string[];
  renderRow: (index: number) => ReactNode;
  wrap: boolean;
  /** Keep the last row in view as rows arrive. */
  following: boolean;
  /** The user scrolled to (true) or away from (false) the bottom. */
  onAtBottomChange: (atBottom: boolean) => void;
  /** The first rows are in view: time to fetch the page before. */
  onNearTop?: () => void;
  /** The last rows are in view: time to fetch the page after. */
  onNearBottom?: () => void;
  label: string;
  testId?: string;
  handle?: Ref<LogListHandle>;
}

/**
 * A virtualized list of log rows: only the rows in view (and a margin) are in the DOM, whatever the window
 * holds. Keeps the row at the top of the view in place when rows are added or dropped above it, and the
 * bottom in view while following.
 */
export function LogList({
  keys,
  renderRow,
  wrap,
  following,
  onAtBottomChange,
  onNearTop,
  onNearBottom,
  label,
  testId,
  handle,
}: LogListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual returns fresh functions each render; nothing here relies on the React Compiler memoizing it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: keys.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30,
    getItemKey: (index) => keys[index] ?? index,
  });
  /** The row at the top of the view and how far its top is above the view's top. */
  const anchor = useRef<{ key: string; delta: number } | null>(null);
  /**
   * Set while the user scrolls (wheel, keys, scrollbar, touch). Only those scroll events pause or resume
   * following: the list's own scrolling (to the bottom, to a match) and a scroll event that arrives after new
   * rows were added must not look like the user leaving the bottom.
   */
  const userScrolling = useRef(false);
  const pointerDown = useRef(false);
  const userTimer = useRef<number | undefined>(undefined);
  const markUser = useCallback(() => {
    userScrolling.current = true;
    window.clearTimeout(userTimer.current);
    userTimer.current = window.setTimeout(() => (userScrolling.current = pointerDown.current), 400);
  }, []);

  const rememberAnchor = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const top = element.scrollTop;
    const item = virtualizer.getVirtualItems().find((candidate) => candidate.end > top);
    const key = item ? keys[item.index] : undefined;
    anchor.current = item && key !== undefined ? { key, delta: item.start - top } : null;
  }, [virtualizer, keys]);

  const scrollToBottom = useCallback(() => {
    const element = scrollRef.current;
    if (!element || keys.length === 0) return;
    // The list's own scrolling ends the user's: End pressed right after a wheel must not pause again.
    userScrolling.current = false;
    virtualizer.scrollToIndex(keys.length - 1, { align: 'end' });
    element.scrollTop = element.scrollHeight;
  }, [virtualizer, keys.length]);

  useImperativeHandle(
    handle,
    () => ({
      scrollToIndex: (index, align = 'center') => {
        virtualizer.scrollToIndex(index, { align });
      },
      scrollToBottom,
      scrollToTop: () => {
        virtualizer.scrollToIndex(0, { align: 'start' });
      },
      element: () => scrollRef.current,
    }),
    [virtualizer, scrollToBottom],
  );

  // After rows change: stick to the bottom while following, else keep the anchored row where it was.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    if (following) {
      scrollToBottom();
      return;
    }
    const kept = anchor.current;
    if (!kept) return;
    const index = keys.indexOf(kept.key);
    if (index === -1) return;
    const start = virtualizer.measurementsCache[index]?.start;
    if (start === undefined) return;
    const wanted = start - kept.delta;
    if (Math.abs(element.scrollTop - wanted) > 1) {
      element.scrollTop = wanted;
    }
  }, [keys, following, virtualizer, scrollToBottom]);

  // The view got smaller or larger (a panel opened, the window was resized): stay at the bottom if following.
  const followingRef = useRef(following);
  followingRef.current = following;
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (followingRef.current) scrollToBottom();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [scrollToBottom]);

  // Switching wrap changes every row's height: measure again.
  useEffect(() => {
    virtualizer.measure();
  }, [wrap, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  // Checked again whenever the rows change too: a page added while the view sits at the very top (or bottom)
  // leaves the first (or last) index where it was, and the next page is still needed.
  useEffect(() => {
    if (keys.length === 0) return;
    if (firstIndex < EDGE_ROWS) onNearTop?.();
    if (lastIndex > keys.length - EDGE_ROWS) onNearBottom?.();
  }, [firstIndex, lastIndex, keys, onNearTop, onNearBottom]);

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    rememberAnchor();
    if (!userScrolling.current) return;
    onAtBottomChange(element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX);
  };

  // The user's own scrolling (wheel, keys, scrollbar, touch): scrolling up pauses at once, before a new line
  // could pull the view back down.
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const up = () => {
      if (element.scrollTop > 0) onAtBottomChange(false);
    };
    const onWheel = (event: WheelEvent) => {
      markUser();
      if (event.deltaY < 0) up();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', ' '].includes(event.key)) markUser();
      if (event.key === 'ArrowUp' || event.key === 'PageUp') up();
    };
    element.addEventListener('wheel', onWheel, { passive: true });
    element.addEventListener('keydown', onKeyDown);
    // Dragging the scrollbar: the whole drag counts as the user's.
    const onPointerDown = () => {
      pointerDown.current = true;
      markUser();
    };
    const onPointerUp = () => {
      pointerDown.current = false;
      markUser();
    };
    element.addEventListener('pointerdown', onPointerDown);
    window.addEventListener('pointerup', onPointerUp);
    element.addEventListener('touchmove', markUser, { passive: true });
    return () => {
      element.removeEventListener('wheel', onWheel);
      element.removeEventListener('keydown', onKeyDown);
      element.removeEventListener('pointerdown', onPointerDown);
      window.removeEventListener('pointerup', onPointerUp);
      element.removeEventListener('touchmove', markUser);
    };
  }, [onAtBottomChange, markUser]);

  return (
    <div
      ref={scrollRef}
      className={wrap ? 'log-scroll log-wrap' : 'log-scroll'}
      onScroll={onScroll}
      data-testid={testId}
      // A scrollable region must be reachable by keyboard.
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      role="log"
      aria-label={label}
      aria-live="off"
    >
      <div className="log-canvas" style={{ height: virtualizer.getTotalSize() }}>
        <div className="log-rows" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {items.map((item) => (
            <div
              key={item.key}
              data-index={item.index}
              ref={wrap ? virtualizer.measureElement : undefined}
              className="log-row-slot"
              style={wrap ? undefined : { height: ROW_HEIGHT }}
            >
              {renderRow(item.index)}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
