import { describe, expect, it } from 'vitest';
import { scanChunks } from './file-scan';
import type { ByteSource } from './line-reader';
import { StreamUnavailable } from './line-reader';

const file = Buffer.from('0123456789'.repeat(100));

function source(stream: ByteSource['stream']): ByteSource & { reads: number } {
  const result = {
    reads: 0,
    size: async () => file.length,
    read: async (offset: number, length: number) => {
      result.reads += 1;
      return file.subarray(offset, offset + length);
    },
    stream,
  };
  return result;
}

async function collect(scan: AsyncIterable<{ offset: number; bytes: Buffer }>, from = 0): Promise<Buffer> {
  const parts: Buffer[] = [];
  let expected = from;
  for await (const { offset, bytes } of scan) {
    expect(offset).toBe(expected);
    expected += bytes.length;
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

const options = { chunkBytes: 64, inFlight: 3 };

describe('scanChunks', () => {
  it('streams a whole file in one go when the source can', async () => {
    const streamed = source(async function* (limit) {
      for (let at = 0; at < limit; at += 300) yield file.subarray(at, Math.min(limit, at + 300));
    });
    expect(await collect(scanChunks(streamed, 0, 700, options))).toEqual(file.subarray(0, 700));
    expect(streamed.reads).toBe(0);
  });

  it('reads in pieces when the stream is refused, or from the middle of a file', async () => {
    const refused = source(() => {
      throw new StreamUnavailable('no download here');
    });
    expect(await collect(scanChunks(refused, 0, file.length, options))).toEqual(file);
    expect(refused.reads).toBe(Math.ceil(file.length / 64));
    const middle = source(undefined);
    expect(await collect(scanChunks(middle, 100, 300, options), 100)).toEqual(file.subarray(100, 300));
  });

  it('stops at the end of a file shorter than expected', async () => {
    expect(await collect(scanChunks(source(undefined), 0, 5_000, options))).toEqual(file);
  });
});
