/**
 * Reads one JSON document from byte chunks without ever holding it as one string: the elements of chosen
 * arrays (named by their keys from the root, e.g. `subscribed.get_state.get_tasks.tasks`) are cut out of the
 * bytes and parsed one by one as they arrive, and everything else (the small "skeleton" around them) is parsed
 * once at the end. A 900 MB `SUBSCRIBED` is more than V8's longest string; its elements are a few KB each.
 *
 * Only bytes below 0x80 are structural in JSON, and no byte of a multi-byte UTF-8 character is below 0x80, so
 * scanning bytes is exact whatever the text contains. Pure: bytes in, values out.
 */

/** Thrown when the bytes are not one JSON document. */
export class JsonStreamError extends Error {
  override readonly name = 'JsonStreamError';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * The most bytes one element, or everything outside the split arrays, may take: each is parsed as one string,
 * and a document that puts hundreds of MB there is not a Mesos state (V8 strings stop short of 512 MiB).
 */
export const MAX_PIECE_BYTES = 256 * 1024 * 1024;

const EMPTY = new Uint8Array(0);

interface PathNode {
  children: Map<string, PathNode>;
  /** Index of the array path ending here, or -1. */
  target: number;
}

interface Frame {
  object: boolean;
  /** Where this container sits among the chosen paths; null when no chosen array is inside it. */
  node: PathNode | null;
}

export interface SplitterOptions {
  /** Each array to split, as its keys from the root. Arrays must be reached through objects only. */
  arrays: readonly (readonly string[])[];
  /** Called with each element of a chosen array as soon as it has been read (`array` indexes `arrays`). */
  onElement?: (array: number, element: unknown) => void;
  /**
   * What to keep of each element read (`index` is its place in its array): by default the element. A reader
   * that needs less than the JSON keeps less, and the parsed element is let go at once.
   */
  mapElement?: (array: number, element: unknown, index: number) => unknown;
  /**
   * Called with each element's bytes (in pieces when it spans chunks) before it is parsed: `true` says the
   * reader already knows this element, which is then neither parsed, mapped nor collected (it still counts for
   * `index`). Elements wholly inside one chunk are parsed together afterwards, so an element may be offered
   * here before the ones just before it are mapped.
   */
  skipElement?: (array: number, index: number, parts: readonly Uint8Array[]) => boolean;
  /** The most bytes one element, or everything outside the lists, may take (default {@link MAX_PIECE_BYTES}). */
  maxPieceBytes?: number;
}

export class JsonArraySplitter {
  private readonly root: PathNode = { children: new Map(), target: -1 };
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly frames: Frame[] = [];
  private readonly skeleton: Uint8Array[] = [];
  /** Elements of each chosen array met so far (undefined: that array has not been seen). */
  private readonly collected: (unknown[] | undefined)[];
  private inString = false;
  private escaped = false;
  /** In an object, the next string is a key. */
  private expectKey = false;
  /** The path node of the value about to start (root first). */
  private pending: PathNode | null;
  /** Bytes of a key being read on a chosen path, and where it starts in the current chunk. */
  private keyParts: Uint8Array[] | null = null;
  private keyStart = -1;
  /** Inside a chosen array: its index, else -1. */
  private target = -1;
  /** Nesting inside the element being read (0 at the array's own level). */
  private depth = 0;
  private elementParts: Uint8Array[] = [];
  private elementBytes = 0;
  private skeletonBytes = 0;
  /** Elements wholly inside the current chunk, parsed together: where the first starts, where each ends. */
  private runFrom = 0;
  private runEnds: number[] = [];
  private elementsInArray = 0;
  /** The one piece of an element offered to `skipElement`, reused. */
  private readonly oneElement: Uint8Array[] = [EMPTY];
  private ended = false;
  private totalElements = 0;

  constructor(private readonly options: SplitterOptions) {
    options.arrays.forEach((path, index) => {
      if (path.length === 0) throw new Error('a split array needs at least one key');
      let node = this.root;
      for (const key of path) {
        let child = node.children.get(key);
        if (!child) {
          child = { children: new Map(), target: -1 };
          node.children.set(key, child);
        }
        node = child;
      }
      node.target = index;
    });
    this.collected = options.arrays.map(() => undefined);
    this.pending = this.root;
  }

  /** Elements read so far, over all chosen arrays. */
  get elements(): number {
    return this.totalElements;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new JsonStreamError('bytes after the end of the JSON document');
    let i = 0;
    let skeletonFrom = this.target < 0 ? 0 : -1;
    let elementFrom = this.target < 0 ? -1 : 0;
    const n = chunk.length;
    while (i < n) {
      if (this.target >= 0) {
        // Inside a chosen array: only strings and nesting matter until this element ends.
        const end = this.scanElement(chunk, i);
        if (end < 0) break;
        const closing = chunk[end] === CLOSE_BRACKET;
        if (this.elementParts.length > 0) {
          this.finishElement(chunk, elementFrom, end, closing);
        } else {
          if (this.runEnds.length === 0) this.runFrom = elementFrom;
          this.runEnds.push(end);
        }
        if (!closing) {
          elementFrom = end + 1;
          i = end + 1;
        } else {
          this.flushRun(chunk, true);
          // The `]` belongs to the skeleton again.
          this.target = -1;
          this.frames.pop();
          elementFrom = -1;
          skeletonFrom = end;
          i = end + 1;
        }
        continue;
      }
      const c = chunk[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.closeString(chunk, i);
        i++;
        continue;
      }
      switch (c) {
        case QUOTE:
          this.openString(i);
          break;
        case COLON:
          this.expectKey = false;
          break;
        case COMMA: {
          const frame = this.frames.at(-1);
          this.expectKey = frame?.object ?? false;
          this.pending = null;
          break;
        }
        case OPEN_BRACE:
          this.frames.push({ object: true, node: this.pending?.children.size ? this.pending : null });
          this.expectKey = true;
          this.pending = null;
          break;
        case OPEN_BRACKET: {
          const node = this.pending;
          this.pending = null;
          this.frames.push({ object: false, node: null });
          if (node && node.target >= 0) {
            this.target = node.target;
            this.collected[node.target] ??= [];
            this.depth = 0;
            this.elementsInArray = 0;
            this.elementParts = [];
            this.elementBytes = 0;
            this.keepSkeleton(chunk.slice(skeletonFrom, i + 1));
            skeletonFrom = -1;
            elementFrom = i + 1;
          }
          break;
        }
        case CLOSE_BRACE:
        case CLOSE_BRACKET: {
          const frame = this.frames.pop();
          if (!frame || frame.object !== (c === CLOSE_BRACE)) {
            throw new JsonStreamError(`unexpected '${String.fromCharCode(c)}'`);
          }
          break;
        }
        default:
        // Whitespace and literals (numbers, true, false, null) need nothing: the skeleton parse checks them.
      }
      i++;
    }
    if (this.target >= 0) {
      this.flushRun(chunk, false);
      if (elementFrom < n) {
        this.elementBytes += n - elementFrom;
        if (this.elementBytes > this.maxPiece) throw this.tooBig('one element of a list');
        this.elementParts.push(chunk.subarray(elementFrom, n));
      }
    } else if (skeletonFrom >= 0 && skeletonFrom < n) {
      this.keepSkeleton(chunk.slice(skeletonFrom, n));
    }
    if (this.keyParts && this.keyStart >= 0) {
      this.keyParts.push(chunk.slice(this.keyStart, n));
      this.keyStart = 0;
    }
  }

  /** The whole document, equal to `JSON.parse` of all the bytes pushed. Throws if it is cut short. */
  end(): unknown {
    if (this.target >= 0 || this.frames.length > 0 || this.inString) {
      throw new JsonStreamError('the JSON document is cut short');
    }
    this.ended = true;
    const text = this.decode(this.skeleton);
    this.skeleton.length = 0;
    let document: unknown;
    try {
      document = JSON.parse(text) as unknown;
    } catch (error) {
      throw new JsonStreamError(`not JSON: ${(error as Error).message}`);
    }
    this.options.arrays.forEach((path, index) => {
      const elements = this.collected[index];
      if (!elements) return;
      let node = document as Record<string, unknown>;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
      node[path.at(-1) as string] = elements;
    });
    return document;
  }

  private get maxPiece(): number {
    return this.options.maxPieceBytes ?? MAX_PIECE_BYTES;
  }

  private tooBig(what: string): JsonStreamError {
    return new JsonStreamError(`${what} takes more than ${this.maxPiece} bytes`);
  }

  private keepSkeleton(piece: Uint8Array): void {
    this.skeletonBytes += piece.length;
    if (this.skeletonBytes > this.maxPiece) throw this.tooBig('what lies outside the lists');
    this.skeleton.push(piece);
  }

  private openString(i: number): void {
    const frame = this.frames.at(-1);
    this.inString = true;
    if (frame?.object && this.expectKey && frame.node) {
      this.keyParts = [];
      this.keyStart = i;
    }
  }

  private closeString(chunk: Uint8Array, i: number): void {
    this.inString = false;
    const frame = this.frames.at(-1);
    if (this.keyParts && frame?.node) {
      this.keyParts.push(chunk.slice(Math.max(this.keyStart, 0), i + 1));
      let key: unknown;
      try {
        key = JSON.parse(this.decode(this.keyParts));
      } catch {
        throw new JsonStreamError('a key is not a JSON string');
      }
      this.pending = frame.node.children.get(key as string) ?? null;
      this.keyParts = null;
      this.keyStart = -1;
    }
  }

  /**
   * Scans the element being read from `start`; returns the index of the `,` or `]` that ends it at the array's
   * level, or -1 when the chunk ends first. Most bytes are inside strings: they are skipped in a loop of their
   * own, which is what makes this fast.
   */
  private scanElement(chunk: Uint8Array, start: number): number {
    const n = chunk.length;
    let i = this.inString ? this.skipString(chunk, start) : start;
    let depth = this.depth;
    while (i < n) {
      const c = chunk[i] as number;
      if (c === QUOTE) {
        i = this.skipString(chunk, i + 1);
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) {
          if (c === CLOSE_BRACE) throw new JsonStreamError("unexpected '}' in an array");
          this.depth = 0;
          return i;
        }
        depth--;
      } else if (c === COMMA && depth === 0) {
        this.depth = 0;
        return i;
      }
      i++;
    }
    this.depth = depth;
    return -1;
  }

  /** Skips string bytes from `start` (just after the opening quote); returns the index after the closing one. */
  private skipString(chunk: Uint8Array, start: number): number {
    const n = chunk.length;
    // An escape begun at the end of the previous chunk takes this chunk's first byte.
    let i = this.escaped ? start + 1 : start;
    while (i < n) {
      const c = chunk[i++] as number;
      if (c === QUOTE) {
        this.inString = false;
        this.escaped = false;
        return i;
      }
      if (c === BACKSLASH) i++;
    }
    this.inString = true;
    this.escaped = i > n;
    return n;
  }

  /** Parses the run of whole elements in one go (much cheaper than one by one), or one by one to say which is bad. */
  private flushRun(chunk: Uint8Array, closing: boolean): void {
    const ends = this.runEnds;
    if (ends.length === 0) return;
    this.runEnds = [];
    const skip = this.options.skipElement;
    if (!skip) return this.parseRun(chunk, this.runFrom, ends, closing);
    // Known elements are let through unparsed; the others are still parsed in runs of neighbours.
    let runFrom = this.runFrom;
    let run: number[] = [];
    let start = runFrom;
    for (const end of ends) {
      this.oneElement[0] = chunk.subarray(start, end);
      if (skip(this.target, this.elementsInArray + run.length, this.oneElement)) {
        if (run.length > 0) this.parseRun(chunk, runFrom, run, false);
        run = [];
        this.skipped();
        runFrom = end + 1;
      } else run.push(end);
      start = end + 1;
    }
    this.oneElement[0] = EMPTY;
    if (run.length > 0) this.parseRun(chunk, runFrom, run, closing);
  }

  private skipped(): void {
    this.elementsInArray++;
    this.totalElements++;
  }

  private parseRun(chunk: Uint8Array, runFrom: number, ends: number[], closing: boolean): void {
    const to = ends[ends.length - 1] as number;
    let values: unknown[] | null = null;
    try {
      const parsed = JSON.parse(`[${this.decoder.decode(chunk.subarray(runFrom, to))}]`) as unknown;
      // Fewer values than elements: an empty slot, which only `[]` may have (checked one by one below).
      if (Array.isArray(parsed) && parsed.length === ends.length) values = parsed;
    } catch {
      values = null;
    }
    if (!values) {
      let start = runFrom;
      for (const end of ends) {
        this.parseElement(chunk, start, end, closing && end === to);
        start = end + 1;
      }
      return;
    }
    const collected = this.collected[this.target] as unknown[];
    const map = this.options.mapElement;
    for (const element of values) {
      collected.push(map ? map(this.target, element, this.elementsInArray) : element);
      this.elementsInArray++;
      this.totalElements++;
      this.options.onElement?.(this.target, element);
    }
  }

  /** Finishes the element whose first pieces came in earlier chunks. */
  private finishElement(chunk: Uint8Array, from: number, to: number, last: boolean): void {
    const parts = this.elementParts;
    if (to > from) parts.push(chunk.subarray(from, to));
    this.elementParts = [];
    this.elementBytes = 0;
    if (this.options.skipElement?.(this.target, this.elementsInArray, parts)) return this.skipped();
    this.parseParts(parts, last);
  }

  /** Parses one element wholly inside the chunk, on its own (to say which of a run is not JSON). */
  private parseElement(chunk: Uint8Array, from: number, to: number, last: boolean): void {
    this.parseParts(to > from ? [chunk.subarray(from, to)] : [], last);
  }

  private parseParts(parts: Uint8Array[], last: boolean): void {
    if (parts.every(isBlank)) {
      // `[]` and `[ ]` are empty arrays; an empty slot anywhere else is not JSON.
      if (last && this.elementsInArray === 0) return;
      throw new JsonStreamError('an array has an empty element');
    }
    let element: unknown;
    try {
      element = JSON.parse(this.decode(parts)) as unknown;
    } catch (error) {
      const path = this.options.arrays[this.target]?.join('.') ?? '';
      throw new JsonStreamError(
        `element ${this.elementsInArray} of ${path} is not JSON: ${(error as Error).message}`,
      );
    }
    const map = this.options.mapElement;
    (this.collected[this.target] as unknown[]).push(
      map ? map(this.target, element, this.elementsInArray) : element,
    );
    this.elementsInArray++;
    this.totalElements++;
    this.options.onElement?.(this.target, element);
  }

  private decode(parts: Uint8Array[]): string {
    try {
      if (parts.length === 1) return this.decoder.decode(parts[0]);
      const size = parts.reduce((sum, part) => sum + part.length, 0);
      const joined = new Uint8Array(size);
      let offset = 0;
      for (const part of parts) {
        joined.set(part, offset);
        offset += part.length;
      }
      return this.decoder.decode(joined);
    } catch (error) {
      if (error instanceof JsonStreamError) throw error;
      throw new JsonStreamError('the bytes are not valid UTF-8');
    }
  }
}

function isBlank(part: Uint8Array): boolean {
  for (const c of part) if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  return true;
}
