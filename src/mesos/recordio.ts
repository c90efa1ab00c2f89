/**
 * RecordIO, the framing of Mesos's streaming HTTP APIs (`docs/recordio.md`): every record is its length in
 * bytes as ASCII decimal, a `\n`, then that many bytes. Pure: bytes in, bytes out.
 */

/** Thrown when a stream is not RecordIO (a bad length header, or a record over the size limit). */
export class RecordIOError extends Error {
  override readonly name = 'RecordIOError';
}

/** Where {@link RecordIODecoder.feed} hands records: small ones whole, big ones in parts. */
export interface RecordSink {
  record(bytes: Uint8Array): void;
  /** A streamed record of `length` bytes starts; its bytes follow in `part`s, then `end`. */
  begin(length: number): void;
  part(bytes: Uint8Array): void;
  end(): void;
}

/** Longest length header accepted: 15 digits is far beyond any record this decoder would accept. */
const MAX_HEADER_DIGITS = 15;
const NEWLINE = 10;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Incremental decoder: feed it chunks exactly as they arrive (split anywhere, even inside a length header or
 * a multi-byte character) and it returns each complete record once, in order.
 */
export class RecordIODecoder {
  private header = 0;
  private headerDigits = 0;
  /** Byte length of the record being read; -1 while reading a length header. */
  private expected = -1;
  private parts: Uint8Array[] = [];
  private have = 0;

  /** The record being read is handed on as it arrives (see {@link feed}). */
  private streaming = false;

  /**
   * @param maxRecordBytes records announcing more than this are refused (protects memory).
   * @param streamFromBytes records of at least this size are streamed by {@link feed} rather than assembled.
   */
  constructor(
    private readonly maxRecordBytes = 1024 * 1024 * 1024,
    private readonly streamFromBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** True when no partial record or header is buffered, i.e. the stream may end here cleanly. */
  get idle(): boolean {
    return this.expected < 0 && this.headerDigits === 0;
  }

  /** Bytes of the record being assembled so far (for progress reporting on huge records). */
  get pendingBytes(): number {
    return this.have;
  }

  /** Consumes a chunk; returns the records it completed. */
  push(chunk: Uint8Array): Uint8Array[] {
    const records: Uint8Array[] = [];
    this.feed(chunk, { record: (record) => records.push(record), begin() {}, part() {}, end() {} });
    return records;
  }

  /**
   * Consumes a chunk, handing records to `sink`: whole when shorter than `streamFromBytes`, else as they
   * arrive (`begin`, `part`s, `end`), so a record of hundreds of MB is never assembled in memory.
   */
  feed(chunk: Uint8Array, sink: RecordSink): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.expected < 0) {
        pos = this.readHeader(chunk, pos);
        if (this.expected === 0) {
          sink.record(new Uint8Array(0));
          this.expected = -1;
        } else if (this.expected > 0 && this.expected >= this.streamFromBytes) {
          this.streaming = true;
          sink.begin(this.expected);
        }
        continue;
      }
      const take = Math.min(this.expected - this.have, chunk.length - pos);
      // Chunks from a socket are never reused, so a view is safe and avoids copying twice.
      const part = chunk.subarray(pos, pos + take);
      this.have += take;
      pos += take;
      if (this.streaming) {
        sink.part(part);
        if (this.have === this.expected) {
          this.streaming = false;
          this.have = 0;
          this.expected = -1;
          sink.end();
        }
        continue;
      }
      this.parts.push(part);
      if (this.have === this.expected) sink.record(this.takeRecord());
    }
  }

  private readHeader(chunk: Uint8Array, start: number): number {
    let pos = start;
    while (pos < chunk.length) {
      const byte = chunk[pos] as number;
      pos += 1;
      if (byte === NEWLINE) {
        if (this.headerDigits === 0) throw new RecordIOError('RecordIO record without a length');
        if (this.header > this.maxRecordBytes) {
          throw new RecordIOError(
            `RecordIO record of ${this.header} bytes exceeds the limit of ${this.maxRecordBytes}`,
          );
        }
        this.expected = this.header;
        this.header = 0;
        this.headerDigits = 0;
        return pos;
      }
      if (byte < DIGIT_0 || byte > DIGIT_9) {
        throw new RecordIOError(`RecordIO length header contains a non-digit (byte ${byte})`);
      }
      this.headerDigits += 1;
      if (this.headerDigits > MAX_HEADER_DIGITS) throw new RecordIOError('RecordIO length header too long');
      this.header = this.header * 10 + (byte - DIGIT_0);
    }
    return pos;
  }

  private takeRecord(): Uint8Array {
    const parts = this.parts;
    const size = this.have;
    this.parts = [];
    this.have = 0;
    this.expected = -1;
    if (parts.length === 1) return parts[0] as Uint8Array;
    const record = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      record.set(part, offset);
      offset += part.length;
    }
    return record;
  }
}

const encoder = new TextEncoder();

/** Frames one record: `<byte length>\n<bytes>`. */
export function encodeRecord(text: string): Uint8Array {
  const body = encoder.encode(text);
  const header = encoder.encode(`${body.length}\n`);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/**
 * Decodes RecordIO-framed JSON records: each complete record is parsed and passed on. A record that is not
 * JSON throws, naming its position in the stream.
 */
export class RecordIOJsonDecoder {
  private readonly bytes: RecordIODecoder;
  private readonly text = new TextDecoder('utf-8', { fatal: true });
  private count = 0;

  constructor(maxRecordBytes?: number) {
    this.bytes = new RecordIODecoder(maxRecordBytes);
  }

  get idle(): boolean {
    return this.bytes.idle;
  }

  get pendingBytes(): number {
    return this.bytes.pendingBytes;
  }

  push(chunk: Uint8Array): unknown[] {
    return this.bytes.push(chunk).map((record) => {
      this.count += 1;
      let text: string;
      try {
        text = this.text.decode(record);
      } catch {
        throw new RecordIOError(`RecordIO record ${this.count} is not valid UTF-8`);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new RecordIOError(`RecordIO record ${this.count} (${record.length} bytes) is not JSON`);
      }
    });
  }
}
