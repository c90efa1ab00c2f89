import { describe, expect, it } from 'vitest';
import { hexDump } from './hex-dump';

describe('hexDump', () => {
  it('shows 16 bytes a line with their offset, in hex and as ASCII with dots for the rest', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('Hello, world!'),
      0x00,
      0xff,
      0x0a,
      0x41,
      0x7f,
    ]);
    expect(hexDump(bytes)).toEqual([
      {
        offset: '00000000',
        hex: '48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 00 ff 0a',
        ascii: 'Hello, world!...',
      },
      { offset: '00000010', hex: '41 7f', ascii: 'A.' },
    ]);
  });

  it('counts offsets from where the bytes start in the file', () => {
    const lines = hexDump(new Uint8Array(40), 0x1000);
    expect(lines.map((line) => line.offset)).toEqual(['00001000', '00001010', '00001020']);
    expect(lines[2]?.hex).toBe('00 00 00 00 00 00 00 00');
  });

  it('has no lines for no bytes', () => {
    expect(hexDump(new Uint8Array())).toEqual([]);
  });
});
