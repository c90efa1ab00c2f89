/** Characters looked at: enough to judge, little enough to do on every first read. */
const SAMPLE = 8_192;
/** Share of odd characters above which a file is taken for binary (text logs have almost none). */
const ODD_SHARE = 0.1;

/**
 * Whether lines read from a file look like a binary file rather than text, as `file` and `grep` judge: a NUL
 * byte, or more than a tenth of the characters being undecodable bytes (U+FFFD) or control characters other
 * than tab, carriage return and the escape that starts colours.
 */
export function looksBinary(lines: ReadonlyArray<{ t: string }>): boolean {
  let seen = 0;
  let odd = 0;
  for (const line of lines) {
    for (let at = 0; at < line.t.length && seen < SAMPLE; at += 1) {
      const code = line.t.charCodeAt(at);
      if (code === 0) return true;
      seen += 1;
      if (code === 0xfffd || (code < 32 && code !== 9 && code !== 13 && code !== 27) || code === 127)
        odd += 1;
    }
    if (seen >= SAMPLE) break;
  }
  return seen > 0 && odd / seen > ODD_SHARE;
}
