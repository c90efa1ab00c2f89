import type { ByteSource } from './line-reader';

export interface ScanOptions {
  /** Bytes per read (Mesos answers at most 64 KiB per read). */
  chunkBytes: number;
  /** Reads kept in flight ahead of the consumer. */
  inFlight: number;
  signal?: AbortSignal;
}

/**
 * Reads `[from, to)` front to back in chunks, with a few reads in flight ahead of the consumer, and yields
 * the chunks in order. Stops early at a short read (the file ended) or when the signal aborts.
 */
export async function* scanChunks(
  source: ByteSource,
  from: number,
  to: number,
  options: ScanOptions,
): AsyncGenerator<{ offset: number; bytes: Buffer }> {
  const pending: { offset: number; length: number; bytes: Promise<Buffer> }[] = [];
  let next = from;
  const fill = () => {
    while (pending.length < options.inFlight && next < to && !options.signal?.aborted) {
      const length = Math.min(options.chunkBytes, to - next);
      const bytes = source.read(next, length);
      // The consumer may stop early; a read failing after that must not be an unhandled rejection.
      bytes.catch(() => undefined);
      pending.push({ offset: next, length, bytes });
      next += length;
    }
  };
  fill();
  while (pending.length > 0) {
    options.signal?.throwIfAborted();
    const head = pending.shift();
    if (!head) break;
    const bytes = await head.bytes;
    fill();
    yield { offset: head.offset, bytes };
    if (bytes.length < head.length) return;
  }
}
