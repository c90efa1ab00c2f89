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

/**
 * Shows text from the cluster as it really is: each bidirectional control character becomes a visible
 * marker, so `invoice<U+202E>txt.exe` cannot pass for `invoiceexe.txt`.
 * @example revealBidiControls('invoice\u202Etxt.exe') // 'invoice[U+202E RLO]txt.exe'
 */
export function revealBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (char) => {
    const code = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `[U+${code} ${NAMES[char] ?? ''}]`;
  });
}
