import { AnsiUp } from 'ansi_up';
import type { CSSProperties } from 'react';

/**
 * ANSI colours and styles of a log line, interpreted by ansi_up (HTML escaping on) and turned into plain
 * segments the viewer renders as React text: no HTML from the cluster ever reaches the DOM, and styles are set
 * through React's style prop (CSSOM), which a strict Content-Security-Policy allows.
 *
 * Each line starts with the default style (lines are rendered independently, as they scroll into view).
 */
export interface Segment {
  text: string;
  className?: string;
  style?: CSSProperties;
  /** An OSC 8 hyperlink (ansi_up allows only http and https). */
  href?: string;
}

const ESC = '\u001b';

/** ansi_up's output: plain escaped text, `<span style=".." class="..">text</span>` and `<a href="..">text</a>`. */
const TOKEN =
  /<span(?: style="([^"]*)")?(?: class="([^"]*)")?>([^<]*)<\/span>|<a href="([^"]*)">([^<]*)<\/a>|([^<]+)/g;

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
};

/** The CSS properties ansi_up writes, and nothing else. */
const STYLE_PROPERTIES: Record<string, keyof CSSProperties> = {
  'font-weight': 'fontWeight',
  opacity: 'opacity',
  'font-style': 'fontStyle',
  'text-decoration': 'textDecoration',
  color: 'color',
  'background-color': 'backgroundColor',
};

function unescapeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#x27);/g, (entity) => ENTITIES[entity] ?? entity);
}

function parseStyle(style: string): CSSProperties | undefined {
  const result: Record<string, string> = {};
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon === -1) continue;
    const property = STYLE_PROPERTIES[declaration.slice(0, colon).trim()];
    const value = declaration.slice(colon + 1).trim();
    if (property && /^[\w\s.,()#%-]+$/.test(value)) result[property] = value;
  }
  return Object.keys(result).length > 0 ? (result as CSSProperties) : undefined;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** A control character as a visible escape: `\x00`. */
function escapeControl(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * Control characters made visible as `\xNN` escapes (styled apart), so a NUL, a bell or a stray carriage
 * return shows up instead of vanishing or breaking the layout. Tabs stay.
 */
export function visibleText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, escapeControl);
}

/** Splits a segment at its control characters, each becoming a `log-ctrl` segment of its escape. */
function withControls(segment: Segment): Segment[] {
  if (!CONTROL.test(segment.text)) return [segment];
  const pieces: Segment[] = [];
  let text = '';
  for (const char of segment.text) {
    if (CONTROL.test(char)) {
      if (text !== '') pieces.push({ ...segment, text });
      text = '';
      pieces.push({
        ...segment,
        text: escapeControl(char),
        className: [segment.className, 'log-ctrl'].filter(Boolean).join(' '),
      });
    } else text += char;
  }
  if (text !== '') pieces.push({ ...segment, text });
  return pieces;
}

/** The segments of one line (a final carriage return, CRLF, dropped); without escapes, one plain segment. */
export function ansiSegments(text: string): Segment[] {
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (!line.includes(ESC)) return withControls({ text: line });
  const ansiUp = new AnsiUp();
  ansiUp.use_classes = true;
  ansiUp.escape_html = true;
  const html = ansiUp.ansi_to_html(line);
  const segments: Segment[] = [];
  for (const match of html.matchAll(TOKEN)) {
    const [, style, className, spanText, href, linkText, plain] = match;
    if (plain !== undefined) segments.push({ text: unescapeHtml(plain) });
    else if (href !== undefined) {
      segments.push({ text: unescapeHtml(linkText ?? ''), href: unescapeHtml(href) });
    } else {
      const segment: Segment = { text: unescapeHtml(spanText ?? '') };
      const css = style ? parseStyle(style) : undefined;
      if (css) segment.style = css;
      if (className) segment.className = className;
      segments.push(segment);
    }
  }
  return segments.filter((segment) => segment.text !== '').flatMap(withControls);
}

/** What the line reads as on screen: its text without escape sequences, control characters made visible. */
export function plainText(segments: readonly Segment[]): string {
  return segments.length === 1 ? (segments[0]?.text ?? '') : segments.map((segment) => segment.text).join('');
}

/** A range of the plain text to highlight; `current` for the search match in focus. */
export interface Highlight {
  start: number;
  end: number;
  current: boolean;
}

/** Splits segments at highlight boundaries: each piece says whether (and how) it is highlighted. */
export function highlightSegments(
  segments: readonly Segment[],
  highlights: readonly Highlight[],
): (Segment & { mark?: 'match' | 'current' })[] {
  if (highlights.length === 0) return [...segments];
  const pieces: (Segment & { mark?: 'match' | 'current' })[] = [];
  let position = 0;
  for (const segment of segments) {
    const from = position;
    const to = position + segment.text.length;
    let cursor = from;
    for (const highlight of highlights) {
      if (highlight.end <= cursor || highlight.start >= to) continue;
      const start = Math.max(highlight.start, cursor);
      const end = Math.min(highlight.end, to);
      if (start > cursor) pieces.push({ ...segment, text: segment.text.slice(cursor - from, start - from) });
      pieces.push({
        ...segment,
        text: segment.text.slice(start - from, end - from),
        mark: highlight.current ? 'current' : 'match',
      });
      cursor = end;
    }
    if (cursor < to) pieces.push({ ...segment, text: segment.text.slice(cursor - from) });
    position = to;
  }
  return pieces;
}
