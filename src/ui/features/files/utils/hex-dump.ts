/** Bytes per line of a hex view, as `hexdump -C` and `xxd` show them. */
const HEX_BYTES_PER_LINE = 16;

interface HexLine {
  /** Offset of the line's first byte in the file, 8 hex digits. */
  offset: string;
  /** The line's bytes as two hex digits each, an extra space after the eighth. */
  hex: string;
  /** Printable ASCII as itself, everything else as a dot. */
  ascii: string;
}

/** A hex view of `bytes`, which start at `start` in the file. */
export function hexDump(bytes: Uint8Array, start = 0): HexLine[] {
  const lines: HexLine[] = [];
  for (let at = 0; at < bytes.length; at += HEX_BYTES_PER_LINE) {
    const chunk = bytes.subarray(at, at + HEX_BYTES_PER_LINE);
    let hex = '';
    let ascii = '';
    chunk.forEach((byte, index) => {
      hex += (index === 0 ? '' : index === 8 ? '  ' : ' ') + byte.toString(16).padStart(2, '0');
      ascii += byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
    });
    lines.push({ offset: (start + at).toString(16).padStart(8, '0'), hex, ascii });
  }
  return lines;
}
