/** Unicode controls that reorder text (overrides, embeddings, isolates, marks). */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const NAMES: Record<string, string> = {
  '\u061C': 'ALM',
  '\u200E': 'LRM',
  '\u200F': 'RLM',
  '\u202A': 'LRE',
  '\u202B': 'RLE',
  '\u202C': 'PDF',
  '\u202D': 'LRO',
  '\u202E': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
};

function describe(char: string): string {
  const code = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} ${NAMES[char] ?? ''}`.trim();
}

/** The bidirectional control characters in a text, named (`U+202E RLO`), each once. */
export function bidiControlsIn(text: string): string[] {
  return [...new Set(text.match(BIDI_CONTROLS) ?? [])].map(describe);
}

/**
 * Text with each bidi control replaced by a visible marker, for places that hold plain text only
 * (tooltips, `<option>`s), so `invoice<U+202E>txt.exe` cannot pass for `invoiceexe.txt` there.
 * @example revealBidiControls('invoice\u202Etxt.exe') // 'invoice[U+202E RLO]txt.exe'
 */
export function revealBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (char) => `[${describe(char)}]`);
}

/** JSON text with bidi controls written as `\uXXXX` escapes (still the same JSON, but shown as it is). */
export function escapeBidiInJson(json: string): string {
  return json.replace(BIDI_CONTROLS, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).toUpperCase()}`);
}
