/**
 * Length of `buf` without a trailing, incomplete UTF-8 sequence, so a chunked reader can
 * stop before a split character and pick it up whole on the next read.
 */
export function completeUtf8Length(buf: Uint8Array): number {
  const len = buf.length;
  // A UTF-8 sequence is at most 4 bytes, so only the last 3 bytes can start a partial one.
  for (let back = 1; back <= Math.min(3, len); back++) {
    const byte = buf[len - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back && byte >= 0xc0 ? len - back : len;
  }
  return len;
}
