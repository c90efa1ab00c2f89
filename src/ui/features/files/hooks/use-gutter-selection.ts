import type { MouseEvent } from 'react';
import { useState } from 'react';
import type { DisplayRow } from '../utils/log-window';

interface GutterSelection {
  from: number;
  to: number;
  fromOffset: number;
  toOffset: number;
}

/**
 * Selecting lines by their gutter: a click selects a line (and anchors), shift-click extends from the anchor;
 * `onSelect` gets the first and last line (numbers and byte offsets). Without `onSelect`, clicks do nothing.
 */
export function useGutterSelection(
  onSelect: ((selection: GutterSelection | null) => void) | undefined,
): (row: DisplayRow, event: MouseEvent<HTMLButtonElement>) => void {
  const [anchor, setAnchor] = useState<DisplayRow | null>(null);
  return (row, event) => {
    if (row.kind !== 'line' || !onSelect) return;
    const start = event.shiftKey && anchor?.kind === 'line' ? anchor : row;
    if (!event.shiftKey) setAnchor(row);
    if (start.kind !== 'line') return;
    const [first, last] = start.line.o <= row.line.o ? [start, row] : [row, start];
    if (first.kind !== 'line' || last.kind !== 'line') return;
    onSelect({
      from: first.number ?? 0,
      to: last.number ?? 0,
      fromOffset: first.line.o,
      toOffset: last.line.o,
    });
  };
}
