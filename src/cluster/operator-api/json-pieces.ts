/**
 * Writes very large JSON documents as a lazy sequence of string pieces instead of one string: a gigantic
 * cluster's state is close to 1 GB of JSON, more than V8's longest string, and pieces are made only when the
 * writer asks for them (see send-pieces.ts), so the whole document never exists as JavaScript strings.
 */

/**
 * Text made only when it is written, whose length in UTF-8 bytes is known before: a task's JSON in a big
 * document, so that the document's length can be announced without holding every task's text at once.
 */
export interface LaterText {
  readonly bytes: number;
  text(): string;
}

/** A piece of a document: its text, or text made when it is written. */
export type Piece = string | LaterText;

/** A JSON document as pieces, made as they are read; the concatenation of their text is the document. */
export type Pieces = Iterable<Piece>;

/** The text of a piece (made now if it is a {@link LaterText}). */
export function pieceText(piece: Piece): string {
  return typeof piece === 'string' ? piece : piece.text();
}

/** A piece is flushed once it holds about this many characters (one huge string is what pieces avoid). */
export const PIECE_CHARS = 1 << 20;

/**
 * Levels of a value {@link valuePieces} walks; what is deeper is written with one `JSON.stringify` each (a
 * task, an agent), so that a list of 300,000 tasks is never one string but a task is not 40 pieces.
 */
const WALK_DEPTH = 3;

/** `[a,b,...]` as pieces, or null when there is nothing (protobuf JSON leaves empty lists out). */
export function arrayPieces<T>(items: Iterable<T>, render: (item: T) => unknown): Pieces | null {
  return textArrayPieces(items, (item) => JSON.stringify(render(item)));
}

/**
 * Like {@link arrayPieces}, for items given as JSON text (or text made when written). The first item is looked
 * at now (to know whether the list is empty); the others when the pieces are read.
 */
export function textArrayPieces<T>(items: Iterable<T>, text: (item: T) => Piece): Pieces | null {
  const iterator = items[Symbol.iterator]();
  const first = iterator.next();
  if (first.done) return null;
  return batchedList(first.value, iterator, text);
}

function* batchedList<T>(first: T, rest: Iterator<T>, text: (item: T) => Piece): Generator<Piece> {
  yield '[';
  yield text(first);
  // One piece per item: the writer copies each into its chunk, so joining them first would copy twice.
  for (let next = rest.next(); !next.done; next = rest.next()) {
    yield ',';
    yield text(next.value);
  }
  yield ']';
}

/** Like {@link arrayPieces}, but `[]` when empty (v0 JSON always writes its lists). */
export function listPieces<T>(items: Iterable<T>, render: (item: T) => unknown): Pieces {
  return arrayPieces(items, render) ?? ['[]'];
}

/** Like {@link textArrayPieces}, but `[]` when empty. */
export function textListPieces<T>(items: Iterable<T>, text: (item: T) => Piece): Pieces {
  return textArrayPieces(items, text) ?? ['[]'];
}

/** `[a,b,...]` where each item is itself pieces (e.g. a framework with its task lists), rendered when read. */
export function* piecesList<T>(items: Iterable<T>, render: (item: T) => Pieces): Generator<Piece> {
  yield '[';
  let first = true;
  for (const item of items) {
    if (!first) yield ',';
    yield* render(item);
    first = false;
  }
  yield ']';
}

/**
 * Joins runs of small pieces (keys, commas, small values) into pieces of about {@link PIECE_CHARS}; text made
 * when written stays a piece of its own.
 */
export function* coalescePieces(pieces: Pieces): Generator<Piece> {
  let run: string[] = [];
  let chars = 0;
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      if (run.length > 0) yield run.join('');
      run = [];
      chars = 0;
      yield piece;
      continue;
    }
    if (chars + piece.length > PIECE_CHARS && run.length > 0) {
      yield run.join('');
      run = [];
      chars = 0;
    }
    run.push(piece);
    chars += piece.length;
  }
  if (run.length > 0) yield run.join('');
}

/** `{"k":v,...}` from fields whose values are pieces (null values are left out). */
export function* objectPieces(fields: ReadonlyArray<readonly [string, Pieces | null]>): Generator<Piece> {
  let first = true;
  for (const [key, value] of fields) {
    if (!value) continue;
    yield `${first ? '{' : ','}${JSON.stringify(key)}:`;
    yield* value;
    first = false;
  }
  yield first ? '{}' : '}';
}

/**
 * Any JSON value as pieces, equal to `JSON.stringify(value)` once joined: big lists and objects near the top
 * are written item by item, everything deeper with `JSON.stringify`. `value` must be something
 * `JSON.stringify` turns into text (not `undefined` or a function).
 */
export function valuePieces(value: unknown, walkDepth = WALK_DEPTH): Iterable<string> {
  return walkable(value) && walkDepth > 0 ? walk(value, walkDepth) : [JSON.stringify(value)];
}

/**
 * A plain object or array without `toJSON`: what the writer walks. Anything else is one `JSON.stringify`,
 * which applies `toJSON` (called without the member's key), drops what JSON cannot hold and unwraps boxes.
 */
function walkable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function* walk(value: Record<string, unknown> | readonly unknown[], depth: number): Generator<string> {
  if (Array.isArray(value)) yield* arrayWalk(value, depth);
  else yield* objectWalk(value as Record<string, unknown>, depth);
}

function* arrayWalk(list: readonly unknown[], depth: number): Generator<string> {
  let batch: string[] = ['['];
  let chars = 1;
  for (let i = 0; i < list.length; i++) {
    if (i > 0) batch.push(',');
    const item = list[i];
    if (depth > 1 && walkable(item)) {
      yield batch.join('');
      batch = [];
      chars = 0;
      yield* walk(item, depth - 1);
      continue;
    }
    // What a list cannot hold (undefined, a function) is written `null`, as JSON.stringify does.
    const json = JSON.stringify(item) ?? 'null';
    batch.push(json);
    chars += json.length;
    if (chars >= PIECE_CHARS) {
      yield batch.join('');
      batch = [];
      chars = 0;
    }
  }
  batch.push(']');
  yield batch.join('');
}

function* objectWalk(object: Record<string, unknown>, depth: number): Generator<string> {
  let first = true;
  for (const key of Object.keys(object)) {
    const member = object[key];
    if (depth > 1 && walkable(member)) {
      yield `${first ? '{' : ','}${JSON.stringify(key)}:`;
      yield* walk(member, depth - 1);
    } else {
      // Members JSON cannot hold (undefined, a function) are left out, as JSON.stringify does.
      const json = JSON.stringify(member) as string | undefined;
      if (json === undefined) continue;
      yield `${first ? '{' : ','}${JSON.stringify(key)}:${json}`;
    }
    first = false;
  }
  yield first ? '{}' : '}';
}
