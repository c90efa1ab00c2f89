import { describe, expect, it } from 'vitest';
import { looksBinary } from './binary';

const lines = (...texts: string[]) => texts.map((t) => ({ t }));

describe('looksBinary', () => {
  it('takes a NUL byte or a file of undecodable bytes for binary', () => {
    expect(looksBinary(lines('ELF\u0002\u0001\u0001\u0000\u0000'))).toBe(true);
    expect(looksBinary(lines('\ufffd\ufffdPNG\ufffd\u001a', '\ufffd\ufffd\ufffd'))).toBe(true);
  });

  it('reads logs as text, colours, tabs, odd characters and all', () => {
    expect(
      looksBinary(lines('I1122 07:56:29.858 exec.cpp:162] Version: 1.11.0', '\u001b[31mred\u001b[0m\tok')),
    ).toBe(false);
    expect(looksBinary(lines('one stray \ufffd in a long line of perfectly ordinary text output'))).toBe(
      false,
    );
    expect(looksBinary(lines('日本語のログ ✓ émoji 🚀'))).toBe(false);
    expect(looksBinary([])).toBe(false);
  });
});
