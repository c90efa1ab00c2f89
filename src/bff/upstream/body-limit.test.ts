import { describe, expect, it } from 'vitest';
import { readCapped, readCappedText } from './body-limit';

/** A body that yields `chunks` and records whether it was dropped. */
function bodyOf(chunks: Buffer[]) {
  const body = {
    destroyed: false,
    destroy() {
      body.destroyed = true;
    },
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield chunk;
    },
  };
  return body;
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const ends = [...at, bytes.length];
  return ends.map((end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
}

const tooLarge = () => new Error('too large');

describe('reading an answer as text, chunk by chunk', () => {
  it('decodes as Buffer#toString does, wherever the chunks cut a character, a BOM or a broken sequence', async () => {
    const bytes = Buffer.concat([
      Buffer.from('\uFEFF{"name":"agent-é","rack":"東京","emoji":"🛰️"}', 'utf8'),
      Buffer.from([0xe6, 0x9d, 0x41, 0xff, 0xf0, 0x9f, 0x98]),
    ]);
    let seed = 7;
    for (let round = 0; round < 50; round += 1) {
      const at: number[] = [];
      for (let offset = 0; offset < bytes.length;) {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        offset += 1 + (seed % 5);
        if (offset < bytes.length) at.push(offset);
      }
      const read = await readCappedText(bodyOf(cut(bytes, at)), {}, 1024, tooLarge);
      expect(read).toEqual({ text: bytes.toString('utf8'), bytes: bytes.length });
      expect(read.text).toBe((await readCapped(bodyOf(cut(bytes, at)), {}, 1024, tooLarge)).toString('utf8'));
    }
  });

  it('stops at the bound, dropping the body, as the whole read does', async () => {
    const body = bodyOf([Buffer.alloc(600, 0x20), Buffer.alloc(600, 0x20), Buffer.alloc(600, 0x20)]);
    await expect(readCappedText(body, {}, 1000, tooLarge)).rejects.toThrow('too large');
    expect(body.destroyed).toBe(true);
    const announced = bodyOf([Buffer.from('[]')]);
    await expect(readCappedText(announced, { 'content-length': '1001' }, 1000, tooLarge)).rejects.toThrow(
      'too large',
    );
    expect(announced.destroyed).toBe(true);
  });
});
