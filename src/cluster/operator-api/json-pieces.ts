/**
 * Writes very large JSON documents as a list of string pieces instead of one string: a massive cluster's
 * state is hundreds of MB, and pieces can be counted and written without ever building one giant string.
 */

export type Pieces = string[];

/** A piece is flushed once it holds about this many characters (one huge string is what pieces avoid). */
const PIECE_CHARS = 1 << 20;

/** `[a,b,...]` as pieces, or null when there is nothing (protobuf JSON leaves empty lists out). */
export function arrayPieces<T>(items: Iterable<T>, render: (item: T) => unknown): Pieces | null {
  return textArrayPieces(items, (item) => JSON.stringify(render(item)));
}

/** Like {@link arrayPieces}, for items already rendered as JSON text (e.g. cached). */
export function textArrayPieces<T>(items: Iterable<T>, text: (item: T) => string): Pieces | null {
  const out: Pieces = ['['];
  let batch: string[] = [];
  let chars = 0;
  let count = 0;
  const flush = () => {
    out.push((out.length > 1 ? ',' : '') + batch.join(','));
    batch = [];
    chars = 0;
  };
  for (const item of items) {
    const json = text(item);
    batch.push(json);
    chars += json.length;
    count += 1;
    if (chars >= PIECE_CHARS) flush();
  }
  if (count === 0) return null;
  if (batch.length > 0) flush();
  out.push(']');
  return out;
}

/** Like {@link arrayPieces}, but `[]` when empty (v0 JSON always writes its lists). */
export function listPieces<T>(items: Iterable<T>, render: (item: T) => unknown): Pieces {
  return arrayPieces(items, render) ?? ['[]'];
}

/** Like {@link textArrayPieces}, but `[]` when empty. */
export function textListPieces<T>(items: Iterable<T>, text: (item: T) => string): Pieces {
  return textArrayPieces(items, text) ?? ['[]'];
}

/** `[a,b,...]` where each item is itself pieces (e.g. a framework with its task lists). */
export function piecesList<T>(items: Iterable<T>, render: (item: T) => Pieces): Pieces {
  const out: Pieces = ['['];
  let first = true;
  for (const item of items) {
    if (!first) out.push(',');
    for (const piece of render(item)) out.push(piece);
    first = false;
  }
  out.push(']');
  return out;
}

/** Joins runs of small pieces (keys, commas, small values) into pieces of about {@link PIECE_CHARS}. */
export function coalescePieces(pieces: Pieces): Pieces {
  const out: Pieces = [];
  let run: string[] = [];
  let chars = 0;
  for (const piece of pieces) {
    if (chars + piece.length > PIECE_CHARS && run.length > 0) {
      out.push(run.join(''));
      run = [];
      chars = 0;
    }
    run.push(piece);
    chars += piece.length;
  }
  if (run.length > 0) out.push(run.join(''));
  return out;
}

/** `{"k":v,...}` from fields whose values are pieces (null values are left out). */
export function objectPieces(fields: ReadonlyArray<readonly [string, Pieces | null]>): Pieces {
  const out: Pieces = ['{'];
  let first = true;
  for (const [key, value] of fields) {
    if (!value) continue;
    out.push(`${first ? '' : ','}${JSON.stringify(key)}:`, ...value);
    first = false;
  }
  out.push('}');
  return out;
}

/** A small value as pieces. */
export function valuePieces(value: unknown): Pieces {
  return [JSON.stringify(value)];
}

/** Total UTF-8 byte length of the pieces. */
export function byteLength(pieces: Pieces): number {
  let total = 0;
  for (const piece of pieces) total += Buffer.byteLength(piece, 'utf8');
  return total;
}
