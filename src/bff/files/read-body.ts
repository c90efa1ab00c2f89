/**
 * Byte-exact parsing of a Mesos `GET /files/read` answer, `{"offset": n, "data": "..."}`.
 *
 * `data` is not text: Mesos copies the file's bytes into the JSON string. Mesos 1.x (rapidjson) writes them
 * as they are, so a read can end inside a UTF-8 character and binary files give invalid UTF-8; Mesos before
 * 1.7 (stout's own writer) escapes every byte above 0x7f as `\u00XX`. A JSON parser decodes both into a
 * string whose length is not the byte count, so offsets drift. This parser works on the raw body and gives
 * back the file's bytes exactly:
 * - raw bytes are copied as they are;
 * - `\u0000`-`\u00ff` is that one byte (old stout's per-byte escape; for ASCII the same as standard JSON);
 * - `\u0100` and above (and surrogate pairs) is the character's UTF-8 encoding.
 */

export class ReadBodyError extends Error {
  override readonly name = 'ReadBodyError';
}

interface ReadBody {
  offset: number;
  data: Buffer;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const SIMPLE_ESCAPES: Record<number, number> = {
  0x22: 0x22, // \"
  0x5c: 0x5c, // \\
  0x2f: 0x2f, // \/
  0x62: 0x08, // \b
  0x66: 0x0c, // \f
  0x6e: 0x0a, // \n
  0x72: 0x0d, // \r
  0x74: 0x09, // \t
};

class Cursor {
  position = 0;

  constructor(readonly body: Buffer) {}

  fail(what: string): never {
    throw new ReadBodyError(`Malformed /files/read answer: ${what} at byte ${this.position}`);
  }

  skipWhitespace(): void {
    const { body } = this;
    while (this.position < body.length) {
      const byte = body[this.position];
      if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return;
      this.position += 1;
    }
  }

  peek(): number | undefined {
    return this.body[this.position];
  }

  expect(byte: number): void {
    if (this.body[this.position] !== byte) this.fail(`expected '${String.fromCharCode(byte)}'`);
    this.position += 1;
  }

  hex4(): number {
    const text = this.body.toString('latin1', this.position, this.position + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(text)) this.fail('bad \\u escape');
    this.position += 4;
    return Number.parseInt(text, 16);
  }

  /** Reads a JSON string (the cursor is on its opening quote) into bytes. */
  bytes(): Buffer {
    const { body } = this;
    this.expect(QUOTE);
    // Escapes only ever shrink, so the output fits in what is left of the body.
    const out = Buffer.allocUnsafe(body.length - this.position);
    let length = 0;
    // Both positions are looked up again only once passed, so a string full of escapes stays linear.
    let nextBackslash = body.indexOf(BACKSLASH, this.position);
    let quote = body.indexOf(QUOTE, this.position);
    for (;;) {
      if (quote !== -1 && quote < this.position) quote = body.indexOf(QUOTE, this.position);
      if (quote === -1) this.fail('unterminated string');
      if (nextBackslash !== -1 && nextBackslash < this.position) {
        nextBackslash = body.indexOf(BACKSLASH, this.position);
      }
      if (nextBackslash === -1 || quote < nextBackslash) {
        length += body.copy(out, length, this.position, quote);
        this.position = quote + 1;
        return out.subarray(0, length);
      }
      length += body.copy(out, length, this.position, nextBackslash);
      this.position = nextBackslash + 1;
      length = this.escape(out, length);
    }
  }

  private escape(out: Buffer, length: number): number {
    const code = this.body[this.position];
    if (code === undefined) this.fail('unterminated escape');
    this.position += 1;
    const simple = SIMPLE_ESCAPES[code];
    if (simple !== undefined) {
      out[length] = simple;
      return length + 1;
    }
    if (code !== 0x75) this.fail('unknown escape');
    let unit = this.hex4();
    if (unit <= 0xff) {
      out[length] = unit;
      return length + 1;
    }
    if (unit >= 0xd800 && unit <= 0xdbff && this.body[this.position] === BACKSLASH) {
      const save = this.position;
      this.position += 1;
      if (this.body[this.position] === 0x75) {
        this.position += 1;
        const low = this.hex4();
        if (low >= 0xdc00 && low <= 0xdfff) unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
        else this.position = save;
      } else this.position = save;
    }
    // A lone surrogate has no UTF-8 form: String.fromCodePoint + utf8 gives U+FFFD for it.
    return length + out.write(String.fromCodePoint(unit), length, 'utf8');
  }

  number(): number {
    const start = this.position;
    while (this.position < this.body.length && /[-+0-9.eE]/.test(String.fromCharCode(this.peek() ?? 0))) {
      this.position += 1;
    }
    const value = Number(this.body.toString('latin1', start, this.position));
    if (this.position === start || !Number.isSafeInteger(value)) this.fail('bad offset');
    return value;
  }

  /** Skips a value of a key this parser does not know (strings, numbers, literals, nested containers). */
  skipValue(): void {
    const first = this.peek();
    if (first === QUOTE) {
      this.bytes();
      return;
    }
    if (first === 0x7b || first === 0x5b) {
      let depth = 0;
      do {
        const byte = this.peek();
        if (byte === undefined) this.fail('unterminated value');
        if (byte === QUOTE) {
          this.bytes();
          continue;
        }
        if (byte === 0x7b || byte === 0x5b) depth += 1;
        if (byte === 0x7d || byte === 0x5d) depth -= 1;
        this.position += 1;
      } while (depth > 0);
      return;
    }
    while (this.position < this.body.length && !/[,}\]\s]/.test(String.fromCharCode(this.peek() ?? 0))) {
      this.position += 1;
    }
  }
}

/** Parses a `/files/read` body into the offset and the file's exact bytes; throws `ReadBodyError`. */
export function parseReadBody(body: Buffer): ReadBody {
  const cursor = new Cursor(body);
  let offset: number | null = null;
  let data: Buffer | null = null;
  cursor.skipWhitespace();
  cursor.expect(0x7b);
  cursor.skipWhitespace();
  if (cursor.peek() !== 0x7d) {
    for (;;) {
      cursor.skipWhitespace();
      if (cursor.peek() !== QUOTE) cursor.fail('expected a key');
      const key = cursor.bytes().toString('latin1');
      cursor.skipWhitespace();
      cursor.expect(0x3a);
      cursor.skipWhitespace();
      if (key === 'data') {
        if (cursor.peek() !== QUOTE) cursor.fail('data is not a string');
        data = cursor.bytes();
      } else if (key === 'offset') offset = cursor.number();
      else cursor.skipValue();
      cursor.skipWhitespace();
      if (cursor.peek() === 0x2c) {
        cursor.position += 1;
        continue;
      }
      break;
    }
  }
  cursor.expect(0x7d);
  if (offset === null || data === null)
    throw new ReadBodyError('Malformed /files/read answer: no offset or data');
  return { offset, data };
}
