import type { ByteSource } from './line-reader';
import { StreamUnavailable } from './line-reader';

interface ScanOptions {
  /** Bytes per read (Mesos answers at most 64 KiB per read). */
  chunkBytes: number;
  /** Reads kept in flight ahead of the consumer. */
  inFlight: number;
  signal?: AbortSignal;
}

/**
 * Reads `[from, to)` front to back and yields the bytes in order. From the start of a file that the source
 * can stream, it is one stream; otherwise (or when the stream is refused) reads of `chunkBytes`, a few in
 * flight ahead of the consumer. Stops early when the file ends or the signal aborts.
 */
export async function* scanChunks(
  source: ByteSource,
  from: number,
  to: number,
  options: ScanOptions,
): AsyncGenerator<{ offset: number; bytes: Buffer }> {
  if (from === 0 && source.stream) {
    let offset = 0;
    try {
      for await (const bytes of source.stream(to)) {
        options.signal?.throwIfAborted();
        yield { offset, bytes };
        offset += bytes.length;
      }
      return;
    } catch (error) {
      // Refused before the first byte: read instead. Anything else is the scan's failure.
      if (!(error instanceof StreamUnavailable) || offset > 0) throw error;
    }
  }
  yield* readChunks(source, from, to, options);
}

/** `[from, to)` as reads of `chunkBytes`, `inFlight` of them ahead of the consumer. */
async function* readChunks(
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
