import type { MouseEvent, ReactNode } from 'react';
import { memo } from 'react';
import { formatBytes } from '../../../components/resources/format';
import type { Highlight, Segment } from '../utils/ansi';
import { highlightSegments } from '../utils/ansi';

export interface LogRowProps {
  segments: readonly Segment[];
  highlights: readonly Highlight[];
  /** What the gutter shows (a line number or a byte offset); empty for no gutter. */
  gutter: string;
  gutterTitle: string;
  offset: number;
  /** Bytes in the line; when `cut`, how much more there is than shown. */
  bytes: number;
  cut: boolean;
  stale: boolean;
  partial: boolean;
  selected: boolean;
  anchored: boolean;
  /** A label before the text (the instance, in merged logs). */
  badge?: ReactNode;
  onGutterClick?: (event: MouseEvent<HTMLButtonElement>) => void;
  onShowWholeLine?: () => void;
}

function classes(props: LogRowProps): string {
  const names = ['log-row'];
  if (props.stale) names.push('log-row-stale');
  if (props.partial) names.push('log-row-partial');
  if (props.selected) names.push('log-row-selected');
  if (props.anchored) names.push('log-row-anchored');
  return names.join(' ');
}

/** One line: gutter, ANSI-styled text with search highlights, and an affordance for lines that were cut. */
export const LogRow = memo(function LogRow(props: LogRowProps) {
  const pieces = highlightSegments(props.segments, props.highlights);
  return (
    <div
      className={classes(props)}
      data-offset={props.offset}
      data-bytes={props.bytes}
      data-testid="log-line"
    >
      {props.gutter !== '' &&
        (props.onGutterClick ? (
          <button
            type="button"
            className="log-gutter"
            title={props.gutterTitle}
            onClick={props.onGutterClick}
            aria-label={`Select ${props.gutterTitle}`}
          >
            {props.gutter}
          </button>
        ) : (
          <span className="log-gutter" title={props.gutterTitle}>
            {props.gutter}
          </span>
        ))}
      {props.badge}
      <span className="log-text">
        {pieces.map((piece, index) => {
          const className = [piece.className, piece.mark ? `log-mark log-mark-${piece.mark}` : '']
            .filter(Boolean)
            .join(' ');
          if (piece.href) {
            return (
              <a
                key={index}
                href={piece.href}
                className={className || undefined}
                style={piece.style}
                target="_blank"
                rel="noopener noreferrer nofollow"
              >
                {piece.text}
              </a>
            );
          }
          return className || piece.style ? (
            <span key={index} className={className || undefined} style={piece.style}>
              {piece.text}
            </span>
          ) : (
            piece.text
          );
        })}
        {props.cut && (
          <button type="button" className="log-cut" onClick={props.onShowWholeLine}>
            … {formatBytes(props.bytes)} line, show it whole
          </button>
        )}
      </span>
    </div>
  );
});

export function MarkerRow({ text }: { text: string }) {
  return (
    <div className="log-row log-marker" role="note" data-testid="log-marker">
      {text}
    </div>
  );
}
